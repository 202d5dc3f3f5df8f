/**
 * Conversations: the caller's list, direct chats (one per pair), groups and their membership.
 * Membership changes and their system message commit together; the cache is invalidated after.
 * Node-only; handlers do the emitting from what these return.
 */
import { dbReady } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { type ConversationDto, GROUP_MAX_MEMBERS, type MessageDto } from "@/lib/realtime/protocol";
import {
  type ConversationRow,
  type ConversationView,
  type MembershipRow,
  publicUserOf,
  toConversationDto,
  toUsersById,
  type UserRow,
} from "@/lib/services/chat-dto";
import { createBatchLoader } from "@/lib/services/batch-loader";
import { getMembershipCache, requireAdmin, requireMember } from "@/lib/services/membership-cache";
import { appendSystemMessage, toMessageDtos, TX_OPTIONS, type Tx } from "@/lib/services/message-service";
import { dateOf, readByKeys } from "@/lib/db/direct-sqlite";

const conversationSelect = {
  id: true,
  kind: true,
  name: true,
  lastSeq: true,
  lastVersion: true,
  lastActivityAt: true,
  lastMessagePreview: true,
  lastMessageAuthorId: true,
  memberships: { select: { userId: true, role: true, readSeq: true, joinedAt: true, mutedUntil: true } },
} as const;

const userNotFound = () => new AppError("NOT_FOUND", { userMessage: "That person was not found." });

async function usersByIds(db: PrismaClient | Tx, ids: Iterable<string>): Promise<Map<string, UserRow>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  return toUsersById(await db.user.findMany({ where: { id: { in: unique } }, select: { id: true, name: true } }));
}

/** Views for many conversations in two queries (conversations with memberships, then names). */
export async function loadConversationViews(db: PrismaClient | Tx, conversationIds: string[]): Promise<ConversationView[]> {
  if (conversationIds.length === 0) return [];
  const conversations = await db.conversation.findMany({ where: { id: { in: conversationIds } }, select: conversationSelect });
  const users = await usersByIds(db, conversations.flatMap((conversation) => conversation.memberships.map((membership) => membership.userId)));
  return conversations.map(({ memberships, ...conversation }) => ({ conversation, memberships, users }));
}

export async function loadConversationView(db: PrismaClient | Tx, conversationId: string): Promise<ConversationView> {
  const [view] = await loadConversationViews(db, [conversationId]);
  if (!view) throw new AppError("NOT_FOUND", { userMessage: "That conversation was not found." });
  return view;
}

/**
 * Every client asks for its list on each (re)connect: the lists of one moment are read together
 * (batch-loader.ts), on SQLite as two direct statements for all of them (conversations by member,
 * then members with their names by conversation) instead of three Prisma queries per list, which
 * were most of a reconnect storm's database time (docs/PERFORMANCE.md).
 */
const listsLoader = createBatchLoader<string, ConversationView[]>(async (userIds) => {
  type DirectConversation = Omit<ConversationRow, "lastActivityAt"> & { viewerId: string; lastActivityAt: unknown };
  const conversations = await readByKeys<DirectConversation>(
    `SELECT "k"."value" AS "viewerId", c."id", c."kind", c."name", c."lastSeq", c."lastVersion", c."lastActivityAt", c."lastMessagePreview", c."lastMessageAuthorId"
     FROM json_each(@keys) AS "k" JOIN "Membership" m ON m."userId" = "k"."value" JOIN "Conversation" c ON c."id" = m."conversationId"`,
    userIds,
  );
  if (!conversations) return new Map(await Promise.all(userIds.map(async (userId) => [userId, await listViewsThroughPrisma(userId)] as const)));
  type DirectMember = Omit<MembershipRow, "joinedAt" | "mutedUntil"> & { conversationId: string; joinedAt: unknown; mutedUntil: unknown; name: string | null };
  const members =
    (await readByKeys<DirectMember>(
      `SELECT m."conversationId", m."userId", m."role", m."readSeq", m."joinedAt", m."mutedUntil", u."name"
       FROM json_each(@keys) AS "k" JOIN "Membership" m ON m."conversationId" = "k"."value" LEFT JOIN "User" u ON u."id" = m."userId"`,
      [...new Set(conversations.map((conversation) => conversation.id))],
    )) ?? [];
  const users = new Map<string, UserRow>();
  const membershipsOf = new Map<string, MembershipRow[]>();
  for (const { conversationId, name, joinedAt, mutedUntil, ...membership } of members) {
    if (name !== null) users.set(membership.userId, { id: membership.userId, name });
    const list = membershipsOf.get(conversationId) ?? [];
    list.push({ ...membership, joinedAt: dateOf(joinedAt) ?? new Date(0), mutedUntil: dateOf(mutedUntil) });
    membershipsOf.set(conversationId, list);
  }
  const byUser = new Map<string, ConversationView[]>();
  for (const { viewerId, lastActivityAt, ...conversation } of conversations) {
    const view = { conversation: { ...conversation, lastActivityAt: dateOf(lastActivityAt) ?? new Date(0) }, memberships: membershipsOf.get(conversation.id) ?? [], users };
    const views = byUser.get(viewerId) ?? [];
    views.push(view);
    byUser.set(viewerId, views);
  }
  return byUser;
});

/** The same on PostgreSQL: the caller's memberships (the userId index), then their views. */
async function listViewsThroughPrisma(userId: string): Promise<ConversationView[]> {
  const db = await dbReady();
  const memberships = await db.membership.findMany({ where: { userId }, select: { conversationId: true } });
  return loadConversationViews(db, memberships.map((membership) => membership.conversationId));
}

const byActivity = (a: ConversationView, b: ConversationView) =>
  b.conversation.lastActivityAt.getTime() - a.conversation.lastActivityAt.getTime() ||
  (a.conversation.id < b.conversation.id ? -1 : a.conversation.id > b.conversation.id ? 1 : 0);

/** The caller's conversations, most recent activity first. */
export async function listConversations(userId: string): Promise<ConversationDto[]> {
  const views = (await listsLoader(userId)) ?? [];
  return [...views].sort(byActivity).map((view) => toConversationDto(view, userId));
}

async function hasBlockBetween(db: PrismaClient | Tx, a: string, b: string): Promise<boolean> {
  return (await db.block.count({ where: { OR: [{ blockerId: a, blockedId: b }, { blockerId: b, blockedId: a }] } })) > 0;
}

export const directKeyOf = (a: string, b: string): string => [a, b].sort().join(":");

// ── Direct chats ────────────────────────────────────────────────────────────
export type OpenDirectResult = { view: ConversationView; isNew: boolean };

export async function openDirect(userId: string, otherId: string): Promise<OpenDirectResult> {
  if (otherId === userId) throw new AppError("FORBIDDEN", { userMessage: "You can't start a chat with yourself." });
  const db = await dbReady();
  const other = await db.user.findUnique({ where: { id: otherId }, select: { id: true } });
  // Blocked either way looks exactly like an unknown person.
  if (!other || (await hasBlockBetween(db, userId, otherId))) throw userNotFound();
  const directKey = directKeyOf(userId, otherId);
  const existing = await db.conversation.findUnique({ where: { directKey }, select: { id: true } });
  if (existing) return { view: await loadConversationView(db, existing.id), isNew: false };
  try {
    const created = await db.$transaction(
      (tx) =>
        tx.conversation.create({
          data: {
            kind: "direct",
            directKey,
            createdById: userId,
            memberships: { create: [{ userId, role: "member" }, { userId: otherId, role: "member" }] },
          },
          select: { id: true },
        }),
      TX_OPTIONS,
    );
    getMembershipCache().invalidate(created.id);
    return { view: await loadConversationView(db, created.id), isNew: true };
  } catch (error) {
    // Both opened the chat at the same moment: the other insert won, use its conversation.
    const winner = await db.conversation.findUnique({ where: { directKey }, select: { id: true } });
    if (!winner) throw error;
    return { view: await loadConversationView(db, winner.id), isNew: false };
  }
}

// ── Groups ──────────────────────────────────────────────────────────────────
/** Every id must be an existing user who has not blocked the actor; unknown and blocking look alike. */
async function requireAddableUsers(db: PrismaClient, actorId: string, userIds: string[]): Promise<Map<string, UserRow>> {
  const users = await usersByIds(db, [actorId, ...userIds]);
  if (userIds.some((id) => !users.has(id))) throw userNotFound();
  // From the actor's side: a handful of rows, where a list of up to 999 ids would pass Prisma's
  // parameter limit on SQLite.
  const blockers = userIds.length ? await db.block.findMany({ where: { blockedId: actorId }, select: { blockerId: true } }) : [];
  const invited = new Set(userIds);
  if (blockers.some((block) => invited.has(block.blockerId))) throw userNotFound();
  return users;
}

const namesOf = (users: Map<string, UserRow>, ids: string[]): string => {
  const names = ids.map((id) => publicUserOf(users, id).name);
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
};

export type GroupChange = {
  view: ConversationView;
  /** The system message that records the change in history, if any. */
  systemMessage: MessageDto | null;
};

export async function createGroup(userId: string, input: { name: string; memberIds: string[] }): Promise<GroupChange> {
  const db = await dbReady();
  const memberIds = [...new Set(input.memberIds)].filter((id) => id !== userId);
  await requireAddableUsers(db, userId, memberIds);
  const created = await db.$transaction(
    (tx) =>
      tx.conversation.create({
        data: {
          kind: "group",
          name: input.name,
          createdById: userId,
          memberships: { create: [{ userId, role: "admin" }, ...memberIds.map((id) => ({ userId: id, role: "member" }))] },
        },
        select: { id: true },
      }),
    TX_OPTIONS,
  );
  getMembershipCache().invalidate(created.id);
  return { view: await loadConversationView(db, created.id), systemMessage: null };
}

export type AddMembersResult = GroupChange & { addedIds: string[] };

export async function addMembers(userId: string, input: { conversationId: string; userIds: string[] }): Promise<AddMembersResult> {
  const access = await requireAdmin(input.conversationId, userId);
  const db = await dbReady();
  const newIds = [...new Set(input.userIds)].filter((id) => !access.memberIds.has(id));
  const users = await requireAddableUsers(db, userId, newIds);
  if (newIds.length === 0) return { view: await loadConversationView(db, input.conversationId), systemMessage: null, addedIds: [] };
  if (access.memberIds.size + newIds.length > GROUP_MAX_MEMBERS) {
    throw new AppError("FORBIDDEN", { userMessage: `A group can have at most ${GROUP_MAX_MEMBERS} members.` });
  }
  const row = await db.$transaction(async (tx) => {
    const { lastSeq } = await tx.conversation.findUniqueOrThrow({ where: { id: input.conversationId }, select: { lastSeq: true } });
    // Earlier history is readable but not unread for newcomers; the "added" line is.
    await tx.membership.createMany({ data: newIds.map((id) => ({ conversationId: input.conversationId, userId: id, role: "member", readSeq: lastSeq })) });
    return appendSystemMessage(tx, {
      conversationId: input.conversationId,
      authorId: userId,
      body: `${publicUserOf(users, userId).name} added ${namesOf(users, newIds)}`,
    });
  }, TX_OPTIONS);
  getMembershipCache().invalidate(input.conversationId);
  const [systemMessage] = await toMessageDtos(db, [row]);
  return { view: await loadConversationView(db, input.conversationId), systemMessage: systemMessage ?? null, addedIds: newIds };
}

export type RemovalResult = GroupChange & { removedId: string };

/** Removes `targetId` (the actor themself when leaving); promotes the oldest member if no admin remains. */
async function removeFromGroup(actorId: string, conversationId: string, targetId: string, body: string): Promise<RemovalResult> {
  const db = await dbReady();
  const row = await db.$transaction(async (tx) => {
    const message = await appendSystemMessage(tx, { conversationId, authorId: actorId, body });
    const { count } = await tx.membership.deleteMany({ where: { conversationId, userId: targetId } });
    if (count === 0) throw new AppError("NOT_FOUND", { userMessage: "That member was not found." });
    const admins = await tx.membership.count({ where: { conversationId, role: "admin" } });
    if (admins === 0) {
      const oldest = await tx.membership.findFirst({ where: { conversationId }, orderBy: [{ joinedAt: "asc" }, { userId: "asc" }], select: { userId: true } });
      if (oldest) await tx.membership.update({ where: { conversationId_userId: { conversationId, userId: oldest.userId } }, data: { role: "admin" } });
    }
    return message;
  }, TX_OPTIONS);
  getMembershipCache().invalidate(conversationId);
  const [systemMessage] = await toMessageDtos(db, [row]);
  return { view: await loadConversationView(db, conversationId), systemMessage: systemMessage ?? null, removedId: targetId };
}

export async function removeMember(userId: string, input: { conversationId: string; userId: string }): Promise<RemovalResult> {
  if (input.userId === userId) return leaveConversation(userId, input.conversationId);
  const access = await requireAdmin(input.conversationId, userId);
  if (!access.memberIds.has(input.userId)) throw new AppError("NOT_FOUND", { userMessage: "That member was not found." });
  const db = await dbReady();
  const users = await usersByIds(db, [userId, input.userId]);
  return removeFromGroup(userId, input.conversationId, input.userId, `${publicUserOf(users, userId).name} removed ${publicUserOf(users, input.userId).name}`);
}

export async function leaveConversation(userId: string, conversationId: string): Promise<RemovalResult> {
  const access = await requireMember(conversationId, userId);
  if (access.kind !== "group") throw new AppError("FORBIDDEN", { userMessage: "You can't leave a direct chat." });
  const db = await dbReady();
  const users = await usersByIds(db, [userId]);
  return removeFromGroup(userId, conversationId, userId, `${publicUserOf(users, userId).name} left`);
}

export async function renameGroup(userId: string, input: { conversationId: string; name: string }): Promise<GroupChange> {
  await requireAdmin(input.conversationId, userId);
  const db = await dbReady();
  const users = await usersByIds(db, [userId]);
  const row = await db.$transaction(async (tx) => {
    await tx.conversation.update({ where: { id: input.conversationId }, data: { name: input.name } });
    return appendSystemMessage(tx, {
      conversationId: input.conversationId,
      authorId: userId,
      body: `${publicUserOf(users, userId).name} renamed the group to "${input.name}"`,
    });
  }, TX_OPTIONS);
  const [systemMessage] = await toMessageDtos(db, [row]);
  return { view: await loadConversationView(db, input.conversationId), systemMessage: systemMessage ?? null };
}

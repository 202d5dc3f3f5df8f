/**
 * Contacts: user search, friend requests, contacts and blocks. Emails are used to find people but
 * never returned for anyone but oneself (PublicUserDto). Node-only; handlers do the emitting.
 */
import { dbReady } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import {
  type ContactsDto,
  type FriendRequestDto,
  USER_SEARCH_PAGE_SIZE,
  type UserSearchPageDto,
  type UserSearchResultDto,
} from "@/lib/realtime/protocol";
import { decodeCursor, encodeCursor, escapeLike, publicUserOf, toFriendRequestDto, toPublicUser, toUsersById, type UserRow } from "@/lib/services/chat-dto";
import { createBatchLoader } from "@/lib/services/batch-loader";
import { dateOf, readByKeys } from "@/lib/db/direct-sqlite";
import { directKeyOf } from "@/lib/services/conversation-service";
import { getMembershipCache } from "@/lib/services/membership-cache";
import { TX_OPTIONS, type Tx } from "@/lib/services/message-service";

type RequestRow = { id: string; fromId: string; toId: string; status: string; createdAt: Date };

const userNotFound = () => new AppError("NOT_FOUND", { userMessage: "That person was not found." });
const requestNotFound = () => new AppError("NOT_FOUND", { userMessage: "That request was not found." });

async function requestDtos(db: PrismaClient | Tx, rows: RequestRow[]): Promise<FriendRequestDto[]> {
  const ids = [...new Set(rows.flatMap((row) => [row.fromId, row.toId]))];
  const users = toUsersById(ids.length ? await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true } }) : []);
  return rows.map((row) => toFriendRequestDto(row, users));
}

async function requestDto(db: PrismaClient | Tx, row: RequestRow): Promise<FriendRequestDto> {
  const [dto] = await requestDtos(db, [row]);
  if (!dto) throw new Error("request DTO missing");
  return dto;
}

// ── Listing ─────────────────────────────────────────────────────────────────
const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
const newestFirst = (a: { createdAt: string }, b: { createdAt: string }) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0);

/** One row per relation of a user: the other person, and for a pending request the request itself. */
type RelationRow = {
  relation: "contact" | "blocked" | "incoming" | "outgoing" | "self";
  ownerId: string;
  otherId: string;
  name: string | null;
  requestId: string | null;
  createdAt: unknown;
};

/**
 * Every client asks for its contacts on each (re)connect: the lists of one moment are read together
 * (batch-loader.ts), on SQLite as one direct statement for all of them instead of five Prisma
 * queries per list (docs/PERFORMANCE.md, the reconnect storm). A person whose row is gone shows as
 * "Deleted user", as in the Prisma path.
 */
const contactsLoader = createBatchLoader<string, ContactsDto>(async (userIds) => {
  const rows = await readByKeys<RelationRow>(
    `WITH "k" AS (SELECT value AS "v" FROM json_each(@keys))
     SELECT 'contact' AS "relation", c."ownerId", c."contactId" AS "otherId", u."name", NULL AS "requestId", NULL AS "createdAt"
       FROM "k" JOIN "Contact" c ON c."ownerId" = "k"."v" LEFT JOIN "User" u ON u."id" = c."contactId"
     UNION ALL SELECT 'blocked', b."blockerId", b."blockedId", u."name", NULL, NULL
       FROM "k" JOIN "Block" b ON b."blockerId" = "k"."v" LEFT JOIN "User" u ON u."id" = b."blockedId"
     UNION ALL SELECT 'incoming', r."toId", r."fromId", u."name", r."id", r."createdAt"
       FROM "k" JOIN "FriendRequest" r ON r."toId" = "k"."v" AND r."status" = 'pending' LEFT JOIN "User" u ON u."id" = r."fromId"
     UNION ALL SELECT 'outgoing', r."fromId", r."toId", u."name", r."id", r."createdAt"
       FROM "k" JOIN "FriendRequest" r ON r."fromId" = "k"."v" AND r."status" = 'pending' LEFT JOIN "User" u ON u."id" = r."toId"
     UNION ALL SELECT 'self', u."id", u."id", u."name", NULL, NULL FROM "k" JOIN "User" u ON u."id" = "k"."v"`,
    userIds,
  );
  if (!rows) return new Map(await Promise.all(userIds.map(async (userId) => [userId, await contactsThroughPrisma(userId)] as const)));
  const users = new Map<string, UserRow>();
  for (const row of rows) if (row.name !== null) users.set(row.otherId, { id: row.otherId, name: row.name });
  const lists = new Map<string, ContactsDto>();
  for (const row of rows) {
    let list = lists.get(row.ownerId);
    if (!list) {
      list = { contacts: [], incoming: [], outgoing: [], blocked: [] };
      lists.set(row.ownerId, list);
    }
    if (row.relation === "contact" || row.relation === "blocked") list[row.relation === "contact" ? "contacts" : "blocked"].push(publicUserOf(users, row.otherId));
    else if (row.requestId && (row.relation === "incoming" || row.relation === "outgoing")) {
      const [fromId, toId] = row.relation === "incoming" ? [row.otherId, row.ownerId] : [row.ownerId, row.otherId];
      const request = { id: row.requestId, fromId, toId, status: "pending", createdAt: dateOf(row.createdAt) ?? new Date(0) };
      list[row.relation].push(toFriendRequestDto(request, users));
    }
  }
  for (const list of lists.values()) {
    list.contacts.sort(byName);
    list.blocked.sort(byName);
    list.incoming.sort(newestFirst);
    list.outgoing.sort(newestFirst);
  }
  return lists;
});

export async function getContacts(userId: string): Promise<ContactsDto> {
  return (await contactsLoader(userId)) ?? { contacts: [], incoming: [], outgoing: [], blocked: [] };
}

/** The same on PostgreSQL, through Prisma. */
async function contactsThroughPrisma(userId: string): Promise<ContactsDto> {
  const db = await dbReady();
  const [contacts, incoming, outgoing, blocked] = await Promise.all([
    db.contact.findMany({ where: { ownerId: userId }, select: { contactId: true } }),
    db.friendRequest.findMany({ where: { toId: userId, status: "pending" }, orderBy: { createdAt: "desc" } }),
    db.friendRequest.findMany({ where: { fromId: userId, status: "pending" }, orderBy: { createdAt: "desc" } }),
    db.block.findMany({ where: { blockerId: userId }, select: { blockedId: true } }),
  ]);
  const userIds = [
    ...contacts.map((row) => row.contactId),
    ...blocked.map((row) => row.blockedId),
    ...[...incoming, ...outgoing].flatMap((row) => [row.fromId, row.toId]),
  ];
  const users = toUsersById(userIds.length ? await db.user.findMany({ where: { id: { in: [...new Set(userIds)] } }, select: { id: true, name: true } }) : []);
  return {
    contacts: contacts.map((row) => publicUserOf(users, row.contactId)).sort(byName),
    incoming: incoming.map((row) => toFriendRequestDto(row, users)),
    outgoing: outgoing.map((row) => toFriendRequestDto(row, users)),
    blocked: blocked.map((row) => publicUserOf(users, row.blockedId)).sort(byName),
  };
}

// ── Search ──────────────────────────────────────────────────────────────────

/**
 * Exact email (case-insensitive) or name prefix (case-insensitive), keyset-paged by (name, id).
 * People who blocked the caller are left out; the caller appears as "self".
 */
export async function searchUsers(userId: string, input: { query: string; cursor?: string | undefined }): Promise<UserSearchPageDto> {
  const db = await dbReady();
  const after = input.cursor ? decodeCursor(input.cursor, 2) : null;
  const query = input.query.trim();
  const rows = await db.$queryRaw<{ id: string; name: string }[]>`
    SELECT u."id", u."name" FROM "User" AS u
    WHERE (u."email" = ${query.toLowerCase()} OR lower(u."name") LIKE lower(${`${escapeLike(query)}%`}) ESCAPE '\\')
      AND NOT EXISTS (SELECT 1 FROM "Block" AS b WHERE b."blockerId" = u."id" AND b."blockedId" = ${userId})
      ${after ? Prisma.sql`AND (u."name", u."id") > (${after[0]}, ${after[1]})` : Prisma.empty}
    ORDER BY u."name", u."id"
    LIMIT ${USER_SEARCH_PAGE_SIZE + 1}`;
  const page = rows.slice(0, USER_SEARCH_PAGE_SIZE);
  const ids = page.map((row) => row.id);
  const [contacts, requests, blocks] = ids.length
    ? await Promise.all([
        db.contact.findMany({ where: { ownerId: userId, contactId: { in: ids } }, select: { contactId: true } }),
        db.friendRequest.findMany({
          where: { status: "pending", OR: [{ fromId: userId, toId: { in: ids } }, { toId: userId, fromId: { in: ids } }] },
          select: { fromId: true, toId: true },
        }),
        db.block.findMany({ where: { blockerId: userId, blockedId: { in: ids } }, select: { blockedId: true } }),
      ])
    : [[], [], []];
  const contactIds = new Set(contacts.map((row) => row.contactId));
  const blockedIds = new Set(blocks.map((row) => row.blockedId));
  const outgoingIds = new Set(requests.filter((row) => row.fromId === userId).map((row) => row.toId));
  const incomingIds = new Set(requests.filter((row) => row.toId === userId).map((row) => row.fromId));
  const relationOf = (id: string): UserSearchResultDto["relation"] => {
    if (id === userId) return "self";
    if (blockedIds.has(id)) return "blocked";
    if (contactIds.has(id)) return "contact";
    if (incomingIds.has(id)) return "incoming";
    if (outgoingIds.has(id)) return "outgoing";
    return "none";
  };
  const last = page[page.length - 1];
  return {
    users: page.map((row) => ({ ...toPublicUser(row), relation: relationOf(row.id) })),
    nextCursor: rows.length > USER_SEARCH_PAGE_SIZE && last ? encodeCursor([last.name, last.id]) : null,
  };
}

// ── Friend requests ─────────────────────────────────────────────────────────
async function writeContactPair(tx: Tx, a: string, b: string): Promise<void> {
  for (const [ownerId, contactId] of [[a, b], [b, a]] as const) {
    await tx.contact.upsert({ where: { ownerId_contactId: { ownerId, contactId } }, create: { ownerId, contactId }, update: {} });
  }
}

/**
 * The request now, for both sides. An opposite pending request is accepted instead. `isNew` is
 * false when the same request was already pending (asking twice changes nothing).
 */
export async function sendFriendRequest(userId: string, targetId: string): Promise<{ request: FriendRequestDto; isNew: boolean }> {
  if (targetId === userId) throw new AppError("FORBIDDEN", { userMessage: "You can't send a contact request to yourself." });
  const db = await dbReady();
  let isNew = true;
  const row = await db.$transaction(async (tx) => {
    const target = await tx.user.findUnique({ where: { id: targetId }, select: { id: true } });
    const blocks = await tx.block.count({ where: { OR: [{ blockerId: userId, blockedId: targetId }, { blockerId: targetId, blockedId: userId }] } });
    if (!target || blocks > 0) throw userNotFound();
    const isContact = await tx.contact.findUnique({ where: { ownerId_contactId: { ownerId: userId, contactId: targetId } }, select: { ownerId: true } });
    if (isContact) throw new AppError("CONFLICT", { userMessage: "You are already contacts." });

    const opposite = await tx.friendRequest.findUnique({ where: { fromId_toId: { fromId: targetId, toId: userId } } });
    if (opposite?.status === "pending") {
      await writeContactPair(tx, userId, targetId);
      return tx.friendRequest.update({ where: { id: opposite.id }, data: { status: "accepted", respondedAt: new Date() } });
    }
    const existing = await tx.friendRequest.findUnique({ where: { fromId_toId: { fromId: userId, toId: targetId } } });
    if (existing?.status === "pending") {
      isNew = false;
      return existing;
    }
    // One row per ordered pair: asking again after a decline or cancel reopens it.
    return tx.friendRequest.upsert({
      where: { fromId_toId: { fromId: userId, toId: targetId } },
      create: { fromId: userId, toId: targetId },
      update: { status: "pending", createdAt: new Date(), respondedAt: null },
    });
  }, TX_OPTIONS);
  return { request: await requestDto(db, row), isNew };
}

export async function respondToFriendRequest(userId: string, input: { requestId: string; accept: boolean }): Promise<FriendRequestDto> {
  const db = await dbReady();
  const row = await db.$transaction(async (tx) => {
    const request = await tx.friendRequest.findUnique({ where: { id: input.requestId } });
    if (!request || request.toId !== userId) throw requestNotFound();
    if (request.status !== "pending") throw new AppError("CONFLICT", { userMessage: "This request is no longer pending." });
    if (input.accept) await writeContactPair(tx, request.fromId, request.toId);
    return tx.friendRequest.update({
      where: { id: request.id },
      data: { status: input.accept ? "accepted" : "declined", respondedAt: new Date() },
    });
  }, TX_OPTIONS);
  return requestDto(db, row);
}

export async function cancelFriendRequest(userId: string, requestId: string): Promise<FriendRequestDto> {
  const db = await dbReady();
  const row = await db.$transaction(async (tx) => {
    const request = await tx.friendRequest.findUnique({ where: { id: requestId } });
    if (!request || request.fromId !== userId) throw requestNotFound();
    if (request.status !== "pending") throw new AppError("CONFLICT", { userMessage: "This request is no longer pending." });
    return tx.friendRequest.update({ where: { id: request.id }, data: { status: "cancelled", respondedAt: new Date() } });
  }, TX_OPTIONS);
  return requestDto(db, row);
}

// ── Blocks ──────────────────────────────────────────────────────────────────
async function invalidateDirectChat(db: PrismaClient, a: string, b: string): Promise<void> {
  const direct = await db.conversation.findUnique({ where: { directKey: directKeyOf(a, b) }, select: { id: true } });
  if (direct) getMembershipCache().invalidate(direct.id);
}

/** Ends the contact both ways and cancels pending requests between the two; the ability to chat goes. */
export async function blockUser(userId: string, targetId: string): Promise<ContactsDto> {
  if (targetId === userId) throw new AppError("FORBIDDEN", { userMessage: "You can't block yourself." });
  const db = await dbReady();
  await db.$transaction(async (tx) => {
    const target = await tx.user.findUnique({ where: { id: targetId }, select: { id: true } });
    if (!target) throw userNotFound();
    await tx.block.upsert({
      where: { blockerId_blockedId: { blockerId: userId, blockedId: targetId } },
      create: { blockerId: userId, blockedId: targetId },
      update: {},
    });
    await tx.contact.deleteMany({ where: { OR: [{ ownerId: userId, contactId: targetId }, { ownerId: targetId, contactId: userId }] } });
    await tx.friendRequest.updateMany({
      where: { status: "pending", OR: [{ fromId: userId, toId: targetId }, { fromId: targetId, toId: userId }] },
      data: { status: "cancelled", respondedAt: new Date() },
    });
  }, TX_OPTIONS);
  await invalidateDirectChat(db, userId, targetId);
  return getContacts(userId);
}

export async function unblockUser(userId: string, targetId: string): Promise<ContactsDto> {
  const db = await dbReady();
  await db.$transaction((tx) => tx.block.deleteMany({ where: { blockerId: userId, blockedId: targetId } }), TX_OPTIONS);
  await invalidateDirectChat(db, userId, targetId);
  return getContacts(userId);
}

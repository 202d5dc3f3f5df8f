/**
 * Messages: send (idempotent, gap-free per-conversation seq), edit, delete, react, history, sync,
 * search and read pointers. Every change takes the conversation's next version in the same
 * transaction, so `chat:sync` can resume from any version. Node-only; no emits here.
 */
import { randomUUID } from "node:crypto";

import { activeDatabaseProvider, dbReady, directSqlite } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";
import {
  HISTORY_PAGE_SIZE,
  SEARCH_PAGE_SIZE,
  type ChatSendInput,
  type HistoryPageDto,
  type MessageDto,
  type ReadUpdateDto,
  type SearchPageDto,
  type SyncResultDto,
} from "@/lib/realtime/protocol";
import { linkAttachments, removeStoredFiles } from "@/lib/services/attachment-service";
import { appendBatched, type BatchTarget, startBatchWrites } from "@/lib/services/message-append-batch";
import {
  decodeCursor,
  DELETED_PREVIEW,
  encodeCursor,
  escapeLike,
  messageInclude,
  type MessageRow,
  parseMentions,
  previewOf,
  publicUserOf,
  toMessageDto,
  toReplyPreview,
  toUsersById,
} from "@/lib/services/chat-dto";
import { membershipVersions } from "@/lib/services/membership-summaries";
import { type ConversationAccess, getMembershipCache, requireMember } from "@/lib/services/membership-cache";

export type Tx = Prisma.TransactionClient;

/** Transactions queue behind one SQLite connection: wait longer than Prisma's 2 s default under bursts. */
export const TX_OPTIONS = { maxWait: 8_000, timeout: 8_000 } as const;
/**
 * Appending a message on PostgreSQL: READ COMMITTED is enough (the counter UPDATE locks the
 * conversation row, unique keys guard the insert) and concurrent senders queue on the row lock
 * instead of failing and retrying (lib/db/serializable-transactions.ts). SQLite has one level.
 */
function appendTxOptions(): typeof TX_OPTIONS {
  // The app's client type is SQLite's, whose isolation-level union has no ReadCommitted.
  return activeDatabaseProvider() === "postgresql" ? ({ ...TX_OPTIONS, isolationLevel: "ReadCommitted" } as typeof TX_OPTIONS) : TX_OPTIONS;
}
export const SYNC_PAGE_SIZE = 200;

const messageNotFound = () => new AppError("NOT_FOUND", { userMessage: "That message was not found." });
const blockedError = () =>
  new AppError("FORBIDDEN", { userMessage: "You can't send messages in this conversation because one of you has blocked the other." });

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && (error as { code: unknown }).code === "P2002";
}

// ── DTOs ────────────────────────────────────────────────────────────────────
/** Rows (any conversations) → DTOs, with reply previews fetched in one query. */
export async function toMessageDtos(db: PrismaClient | Tx, rows: MessageRow[]): Promise<MessageDto[]> {
  const replyIds = [...new Set(rows.flatMap((row) => (row.replyToId ? [row.replyToId] : [])))];
  const replies = replyIds.length
    ? await db.message.findMany({ where: { id: { in: replyIds } }, select: { id: true, seq: true, authorId: true, body: true, deletedAt: true, conversationId: true } })
    : [];
  const replyById = new Map(replies.map((reply) => [reply.id, reply]));
  // Mentions count only members: the cache knows them (loaded once per conversation, then warm).
  const conversationIds = [...new Set(rows.map((row) => row.conversationId))];
  const accesses = await Promise.all(conversationIds.map((conversationId) => getMembershipCache().get(conversationId)));
  const accessById = new Map(conversationIds.map((conversationId, index) => [conversationId, accesses[index]]));
  return rows.map((row) => {
    const reply = row.replyToId ? replyById.get(row.replyToId) : undefined;
    return toMessageDto(row, {
      replyTo: reply && reply.conversationId === row.conversationId ? toReplyPreview(reply) : null,
      memberIds: accessById.get(row.conversationId)?.memberIds ?? new Set(),
    });
  });
}

async function toMessageDtoOne(db: PrismaClient | Tx, row: MessageRow): Promise<MessageDto> {
  const [dto] = await toMessageDtos(db, [row]);
  if (!dto) throw new Error("message DTO missing");
  return dto;
}

// ── Appending (send and system messages share this path) ────────────────────
export type AppendInput = {
  conversationId: string;
  authorId: string;
  kind: "text" | "system";
  body: string;
  clientMessageId: string;
  preview: string;
  replyToId?: string | undefined;
  attachmentIds?: string[] | undefined;
};

/**
 * Inside the caller's transaction: next seq and version, the row, the author's read pointer, the
 * attachments. A failure anywhere rolls all of it back, so seqs stay gap-free.
 */
export async function appendMessage(tx: Tx, input: AppendInput): Promise<MessageRow> {
  if (input.replyToId) {
    const target = await tx.message.findFirst({ where: { id: input.replyToId, conversationId: input.conversationId }, select: { id: true } });
    if (!target) throw new AppError("NOT_FOUND", { userMessage: "The message you replied to was not found." });
  }
  const { lastSeq: seq, lastVersion: version } = await tx.conversation.update({
    where: { id: input.conversationId },
    data: {
      lastSeq: { increment: 1 },
      lastVersion: { increment: 1 },
      lastActivityAt: new Date(),
      lastMessagePreview: input.preview,
      lastMessageAuthorId: input.authorId,
    },
    select: { lastSeq: true, lastVersion: true },
  });
  // A new message has no reactions or attachments yet: no include queries on the hot path.
  const inserted = await tx.message.create({
    data: {
      conversationId: input.conversationId,
      seq,
      version,
      authorId: input.authorId,
      clientMessageId: input.clientMessageId,
      kind: input.kind,
      body: input.body,
      replyToId: input.replyToId ?? null,
    },
  });
  const created: MessageRow = { ...inserted, reactions: [], attachments: [] };
  // Own messages are read by definition: they never count as unread for their author.
  await tx.membership.updateMany({
    where: { conversationId: input.conversationId, userId: input.authorId, readSeq: { lt: seq } },
    data: { readSeq: seq },
  });
  if (!input.attachmentIds?.length) return created;
  await linkAttachments(tx, {
    attachmentIds: input.attachmentIds,
    conversationId: input.conversationId,
    uploaderId: input.authorId,
    messageId: created.id,
  });
  return tx.message.findUniqueOrThrow({ where: { id: created.id }, include: messageInclude });
}

/** A `kind: "system"` line ("Alice added Bob") inside the caller's transaction. */
export function appendSystemMessage(tx: Tx, input: { conversationId: string; authorId: string; body: string }): Promise<MessageRow> {
  return appendMessage(tx, { ...input, kind: "system", clientMessageId: randomUUID(), preview: previewOf(input.body, 0) });
}

// ── Send ────────────────────────────────────────────────────────────────────
export type SendResult = { message: MessageDto; isNew: boolean };

async function findStored(db: PrismaClient, authorId: string, clientMessageId: string, conversationId: string): Promise<MessageDto | null> {
  const stored = await db.message.findUnique({ where: { authorId_clientMessageId: { authorId, clientMessageId } }, include: messageInclude });
  if (!stored) return null;
  if (stored.conversationId !== conversationId) {
    throw new AppError("CONFLICT", { userMessage: "This message id was already used for another message." });
  }
  return toMessageDtoOne(db, stored);
}

/** Plain text sends are stored in batches, on either database. */
async function batchTarget(db: PrismaClient): Promise<BatchTarget | null> {
  if (activeDatabaseProvider() === "postgresql") return { postgres: db };
  const sqlite = await directSqlite();
  return sqlite ? { sqlite } : null;
}

/** At server start: whatever the first plain text send would otherwise start (the SQLite send worker). */
export async function prepareSends(): Promise<void> {
  const target = await batchTarget(await dbReady());
  if (target) await startBatchWrites(target);
}

export async function sendMessage(userId: string, input: ChatSendInput): Promise<SendResult> {
  const access = await requireMember(input.conversationId, userId);
  const db = await dbReady();
  if (access.isBlocked) {
    // A retry of a message already stored returns it as it is, even if sending is no longer allowed.
    const stored = await findStored(db, userId, input.clientMessageId, input.conversationId);
    if (stored) return { message: stored, isNew: false };
    throw blockedError();
  }
  // No look-up before the insert: a retry hits the unique key, the transaction rolls back
  // (seq included), and the stored message is returned below. The first attempt pays nothing.

  const mentionIds = parseMentions(input.body, access.memberIds);
  const names = mentionIds.length ? toUsersById(await db.user.findMany({ where: { id: { in: mentionIds } }, select: { id: true, name: true } })) : new Map();
  const preview = previewOf(input.body, input.attachmentIds?.length ?? 0, names);
  const target = input.replyToId || input.attachmentIds?.length ? null : await batchTarget(db);
  if (target) {
    const outcome = await appendBatched(target, { conversationId: input.conversationId, authorId: userId, body: input.body, clientMessageId: input.clientMessageId, preview });
    if (outcome.kind === "stored") return { message: await toMessageDtoOne(db, outcome.row), isNew: true };
    if (outcome.kind === "gone") throw new AppError("NOT_FOUND", { userMessage: "That conversation was not found." });
    if (outcome.kind === "duplicate") {
      const stored = await findStored(db, userId, input.clientMessageId, input.conversationId);
      if (stored) return { message: stored, isNew: false };
    }
    // A failed batch (or a duplicate that vanished): the ordinary path below decides.
  }
  try {
    const row = await db.$transaction(
      (tx) =>
        appendMessage(tx, {
          conversationId: input.conversationId,
          authorId: userId,
          kind: "text",
          body: input.body,
          clientMessageId: input.clientMessageId,
          preview,
          replyToId: input.replyToId,
          attachmentIds: input.attachmentIds,
        }),
      appendTxOptions(),
    );
    return { message: await toMessageDtoOne(db, row), isNew: true };
  } catch (error) {
    // A concurrent duplicate committed first: answer with the stored message, never a second one.
    if (isUniqueViolation(error)) {
      const winner = await findStored(db, userId, input.clientMessageId, input.conversationId);
      if (winner) return { message: winner, isNew: false };
    }
    throw error;
  }
}

// ── Edit, delete, react ─────────────────────────────────────────────────────
type MessageTarget = { row: MessageRow; access: ConversationAccess };

async function findVisibleMessage(db: PrismaClient, userId: string, messageId: string): Promise<MessageTarget> {
  const row = await db.message.findUnique({ where: { id: messageId }, include: messageInclude });
  if (!row) throw messageNotFound();
  const access = await getMembershipCache().get(row.conversationId);
  if (!access?.memberIds.has(userId)) throw messageNotFound();
  return { row, access };
}

function assertOwnLiveText(target: MessageTarget, userId: string, action: string): void {
  if (target.row.authorId !== userId || target.row.kind !== "text") {
    throw new AppError("FORBIDDEN", { userMessage: `You can only ${action} your own messages.` });
  }
}

/** Next version for the conversation; the preview follows when the newest message changed. */
async function bumpVersion(tx: Tx, conversationId: string, seq: number, preview: string): Promise<number> {
  const { lastVersion, lastSeq } = await tx.conversation.update({
    where: { id: conversationId },
    data: { lastVersion: { increment: 1 } },
    select: { lastVersion: true, lastSeq: true },
  });
  if (lastSeq === seq) await tx.conversation.update({ where: { id: conversationId }, data: { lastMessagePreview: preview } });
  return lastVersion;
}

export async function editMessage(userId: string, input: { messageId: string; body: string }): Promise<MessageDto> {
  const db = await dbReady();
  const target = await findVisibleMessage(db, userId, input.messageId);
  assertOwnLiveText(target, userId, "edit");
  if (target.row.deletedAt) throw new AppError("FORBIDDEN", { userMessage: "A deleted message cannot be edited." });
  if (target.access.isBlocked) throw blockedError();
  const { row } = target;
  const mentionIds = parseMentions(input.body, target.access.memberIds);
  const names = mentionIds.length ? toUsersById(await db.user.findMany({ where: { id: { in: mentionIds } }, select: { id: true, name: true } })) : new Map();
  const updated = await db.$transaction(async (tx) => {
    const version = await bumpVersion(tx, row.conversationId, row.seq, previewOf(input.body, row.attachments.length, names));
    // Guarded by deletedAt so a delete that committed in between wins.
    const { count } = await tx.message.updateMany({ where: { id: row.id, deletedAt: null }, data: { body: input.body, editedAt: new Date(), version } });
    if (count === 0) throw new AppError("FORBIDDEN", { userMessage: "A deleted message cannot be edited." });
    return tx.message.findUniqueOrThrow({ where: { id: row.id }, include: messageInclude });
  }, TX_OPTIONS);
  return toMessageDtoOne(db, updated);
}

export type ChangeResult = { message: MessageDto; changed: boolean };

export async function deleteMessage(userId: string, input: { messageId: string }): Promise<ChangeResult> {
  const db = await dbReady();
  const target = await findVisibleMessage(db, userId, input.messageId);
  assertOwnLiveText(target, userId, "delete");
  const { row } = target;
  if (row.deletedAt) return { message: await toMessageDtoOne(db, row), changed: false };
  // A deleted message keeps no content for anyone: its reactions, attachment rows and files go too.
  const { updated, storageKeys } = await db.$transaction(async (tx) => {
    const version = await bumpVersion(tx, row.conversationId, row.seq, DELETED_PREVIEW);
    await tx.reaction.deleteMany({ where: { messageId: row.id } });
    const files = await tx.attachment.findMany({ where: { messageId: row.id }, select: { storageKey: true } });
    await tx.attachment.deleteMany({ where: { messageId: row.id } });
    await tx.message.update({ where: { id: row.id }, data: { body: "", deletedAt: new Date(), version } });
    const message = await tx.message.findUniqueOrThrow({ where: { id: row.id }, include: messageInclude });
    return { updated: message, storageKeys: files.map((file) => file.storageKey) };
  }, TX_OPTIONS);
  await removeStoredFiles(storageKeys);
  return { message: await toMessageDtoOne(db, updated), changed: true };
}

export async function reactToMessage(userId: string, input: { messageId: string; emoji: string; isOn: boolean }): Promise<ChangeResult> {
  const db = await dbReady();
  const target = await findVisibleMessage(db, userId, input.messageId);
  const { row } = target;
  if (row.deletedAt) throw new AppError("FORBIDDEN", { userMessage: "You can't react to a deleted message." });
  if (target.access.isBlocked) throw blockedError();
  const isOn = row.reactions.some((reaction) => reaction.userId === userId && reaction.emoji === input.emoji);
  if (isOn === input.isOn) return { message: await toMessageDtoOne(db, row), changed: false };
  const updated = await db.$transaction(async (tx) => {
    const key = { messageId_userId_emoji: { messageId: row.id, userId, emoji: input.emoji } };
    if (input.isOn) await tx.reaction.upsert({ where: key, create: { messageId: row.id, userId, emoji: input.emoji }, update: {} });
    else await tx.reaction.deleteMany({ where: { messageId: row.id, userId, emoji: input.emoji } });
    const { lastVersion: version } = await tx.conversation.update({
      where: { id: row.conversationId },
      data: { lastVersion: { increment: 1 } },
      select: { lastVersion: true },
    });
    await tx.message.update({ where: { id: row.id }, data: { version } });
    return tx.message.findUniqueOrThrow({ where: { id: row.id }, include: messageInclude });
  }, TX_OPTIONS);
  return { message: await toMessageDtoOne(db, updated), changed: true };
}

// ── Reading ─────────────────────────────────────────────────────────────────
export async function getHistory(userId: string, input: { conversationId: string; beforeSeq?: number | undefined; limit?: number | undefined }): Promise<HistoryPageDto> {
  await requireMember(input.conversationId, userId);
  const db = await dbReady();
  const limit = input.limit ?? HISTORY_PAGE_SIZE;
  const rows = await db.message.findMany({
    where: { conversationId: input.conversationId, ...(input.beforeSeq !== undefined ? { seq: { lt: input.beforeSeq } } : {}) },
    orderBy: { seq: "desc" },
    take: limit + 1,
    include: messageInclude,
  });
  const page = rows.slice(0, limit).reverse();
  return { conversationId: input.conversationId, messages: await toMessageDtos(db, page), hasMore: rows.length > limit };
}

/**
 * A page with `seq` in the middle: what "show this message in context" opens. Near the newest
 * message the page is filled up with older ones, so it always holds up to HISTORY_PAGE_SIZE.
 */
export async function getAround(userId: string, input: { conversationId: string; seq: number }): Promise<HistoryPageDto> {
  await requireMember(input.conversationId, userId);
  const db = await dbReady();
  const newer = await db.message.findMany({
    where: { conversationId: input.conversationId, seq: { gte: input.seq } },
    orderBy: { seq: "asc" },
    take: HISTORY_PAGE_SIZE / 2,
    include: messageInclude,
  });
  const olderCount = HISTORY_PAGE_SIZE - newer.length;
  const older = await db.message.findMany({
    where: { conversationId: input.conversationId, seq: { lt: input.seq } },
    orderBy: { seq: "desc" },
    take: olderCount + 1,
    include: messageInclude,
  });
  const page = [...older.slice(0, olderCount).reverse(), ...newer];
  return { conversationId: input.conversationId, messages: await toMessageDtos(db, page), hasMore: older.length > olderCount };
}

/**
 * Everything new or changed after each given version. Pages are cut in version order (then sent
 * in seq order), so the highest version a client applies never skips a change it did not get.
 */
export async function syncMessages(userId: string, input: { conversations: { conversationId: string; afterVersion: number }[] }): Promise<SyncResultDto> {
  const db = await dbReady();
  const afterById = new Map(input.conversations.map((item) => [item.conversationId, item.afterVersion]));
  if (afterById.size === 0) return { updates: [] };
  // Every client asks on each (re)connect: the versions come from the connect path's shared read.
  const versions = await membershipVersions(userId);
  const memberships = [...afterById.keys()].flatMap((conversationId) => {
    const lastVersion = versions.get(conversationId);
    return lastVersion === undefined ? [] : [{ conversationId, lastVersion }];
  });
  const behind = memberships.filter((membership) => (afterById.get(membership.conversationId) ?? 0) < membership.lastVersion);
  const rowsByConversation = new Map<string, MessageRow[]>();
  if (behind.length > 0) {
    const conditions = Prisma.join(
      behind.map((membership) => Prisma.sql`("conversationId" = ${membership.conversationId} AND "version" > ${afterById.get(membership.conversationId) ?? 0})`),
      " OR ",
    );
    const picked = await db.$queryRaw<{ id: string }[]>`
      SELECT "id" FROM (
        SELECT "id", ROW_NUMBER() OVER (PARTITION BY "conversationId" ORDER BY "version") AS "position"
        FROM "Message" WHERE ${conditions}
      ) AS "changed" WHERE "position" <= ${SYNC_PAGE_SIZE + 1}`;
    const rows = picked.length ? await db.message.findMany({ where: { id: { in: picked.map((row) => row.id) } }, include: messageInclude }) : [];
    for (const row of rows) {
      const list = rowsByConversation.get(row.conversationId) ?? [];
      list.push(row);
      rowsByConversation.set(row.conversationId, list);
    }
  }
  const pages = memberships.map((membership) => {
    const rows = (rowsByConversation.get(membership.conversationId) ?? []).sort((a, b) => a.version - b.version);
    return { membership, rows: rows.slice(0, SYNC_PAGE_SIZE).sort((a, b) => a.seq - b.seq), hasMore: rows.length > SYNC_PAGE_SIZE };
  });
  // One DTO pass for all conversations: reply previews in one query, not one per conversation.
  const dtos = await toMessageDtos(db, pages.flatMap((page) => page.rows));
  let offset = 0;
  const updates = pages.map(({ membership, rows, hasMore }) => {
    const messages = dtos.slice(offset, offset + rows.length);
    offset += rows.length;
    return { conversationId: membership.conversationId, messages, lastVersion: membership.lastVersion, hasMore };
  });
  return { updates };
}

// ── Search ──────────────────────────────────────────────────────────────────
export async function searchMessages(userId: string, input: { query: string; conversationId?: string | undefined; cursor?: string | undefined }): Promise<SearchPageDto> {
  if (input.conversationId) await requireMember(input.conversationId, userId);
  const db = await dbReady();
  const [afterId] = input.cursor ? decodeCursor(input.cursor, 1) : [];
  const pattern = `%${escapeLike(input.query)}%`;
  const mine = Prisma.sql`(SELECT "conversationId" FROM "Membership" WHERE "userId" = ${userId})`;
  // The cursor names a message of the caller's own conversations, or nothing at all.
  const picked = await db.$queryRaw<{ id: string }[]>`
    SELECT m."id" FROM "Message" AS m
    WHERE m."conversationId" IN ${mine}
      ${input.conversationId ? Prisma.sql`AND m."conversationId" = ${input.conversationId}` : Prisma.empty}
      AND m."deletedAt" IS NULL AND m."kind" = 'text'
      AND lower(m."body") LIKE lower(${pattern}) ESCAPE '\\'
      ${afterId ? Prisma.sql`AND (m."createdAt", m."id") < (SELECT "createdAt", "id" FROM "Message" WHERE "id" = ${afterId} AND "conversationId" IN ${mine})` : Prisma.empty}
    ORDER BY m."createdAt" DESC, m."id" DESC
    LIMIT ${SEARCH_PAGE_SIZE + 1}`;
  const pageIds = picked.slice(0, SEARCH_PAGE_SIZE).map((row) => row.id);
  if (pageIds.length === 0) return { hits: [], nextCursor: null };

  const rows = await db.message.findMany({ where: { id: { in: pageIds } }, include: messageInclude });
  const byId = new Map(rows.map((row) => [row.id, row]));
  const ordered = pageIds.map((id) => byId.get(id)).filter((row): row is MessageRow => row !== undefined);
  const messages = await toMessageDtos(db, ordered);
  const titles = await conversationTitles(db, userId, [...new Set(ordered.map((row) => row.conversationId))]);
  const lastId = pageIds[pageIds.length - 1];
  return {
    hits: messages.map((message) => ({ message, conversationId: message.conversationId, conversationTitle: titles.get(message.conversationId) ?? "" })),
    nextCursor: picked.length > SEARCH_PAGE_SIZE && lastId ? encodeCursor([lastId]) : null,
  };
}

async function conversationTitles(db: PrismaClient, viewerId: string, conversationIds: string[]): Promise<Map<string, string>> {
  const conversations = await db.conversation.findMany({
    where: { id: { in: conversationIds } },
    select: { id: true, kind: true, name: true, memberships: { where: { userId: { not: viewerId } }, select: { userId: true }, take: 1 } },
  });
  const otherIds = conversations.flatMap((conversation) => (conversation.kind === "direct" ? conversation.memberships.map((m) => m.userId) : []));
  const users = toUsersById(otherIds.length ? await db.user.findMany({ where: { id: { in: otherIds } }, select: { id: true, name: true } }) : []);
  return new Map(
    conversations.map((conversation) => {
      const otherId = conversation.memberships[0]?.userId;
      const title = conversation.kind === "group" ? (conversation.name ?? "Group") : otherId ? publicUserOf(users, otherId).name : "";
      return [conversation.id, title];
    }),
  );
}

// ── Read pointers ───────────────────────────────────────────────────────────
export type MarkReadResult = { update: ReadUpdateDto; moved: boolean };

/** Only forward, and never past the last message. */
export async function markRead(userId: string, input: { conversationId: string; seq: number }): Promise<MarkReadResult> {
  await requireMember(input.conversationId, userId);
  const db = await dbReady();
  return db.$transaction(async (tx) => {
    const conversation = await tx.conversation.findUnique({ where: { id: input.conversationId }, select: { lastSeq: true } });
    if (!conversation) throw new AppError("NOT_FOUND", { userMessage: "That conversation was not found." });
    const target = Math.min(input.seq, conversation.lastSeq);
    const { count } = await tx.membership.updateMany({
      where: { conversationId: input.conversationId, userId, readSeq: { lt: target } },
      data: { readSeq: target },
    });
    const membership = await tx.membership.findUnique({
      where: { conversationId_userId: { conversationId: input.conversationId, userId } },
      select: { readSeq: true },
    });
    if (!membership) throw new AppError("NOT_FOUND", { userMessage: "That conversation was not found." });
    return { update: { conversationId: input.conversationId, userId, readSeq: membership.readSeq }, moved: count > 0 };
  }, TX_OPTIONS);
}

/**
 * Notifications: storing (one multi-row upsert per event, coalescing open groups), paging, read
 * state, deletion, preferences and conversation mutes. Node-only; handlers decide who gets what
 * and do the emitting.
 *
 * Raw SQL here must run unchanged on SQLite and PostgreSQL: quoted identifiers, `ON CONFLICT`,
 * `RETURNING`, `||`, `CASE`, `EXISTS`, `LIKE`; timestamps are always bound parameters (the SQLite
 * adapter writes them in the same ISO format Prisma's own queries use), never `CURRENT_TIMESTAMP`.
 * A message burst's three statements also have SQLite twins (`*_SQLITE`, lists bound as JSON) that
 * run on the process's own connection without Prisma (lib/db/direct-sqlite.ts); keep each pair alike.
 */
import { randomBytes } from "node:crypto";

import { dbReady } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import {
  type ConversationMuteDto,
  type MuteDuration,
  NOTIFICATION_PAGE_SIZE,
  type NotificationDto,
  type NotificationKind,
  type NotificationPageDto,
  type NotificationPreferencesDto,
  type PublicUserDto,
} from "@/lib/realtime/protocol";
import { allDirect, dateOf, readByKeys, sqliteDate } from "@/lib/db/direct-sqlite";
import { createBatchLoader } from "@/lib/services/batch-loader";
import { toUsersById, type UsersById } from "@/lib/services/chat-dto";
import { getMembershipCache } from "@/lib/services/membership-cache";
import {
  decodeNotificationCursor,
  type NotificationRow,
  parseDisabledKinds,
  serializeDisabledKinds,
  toNotificationDto,
  toPreferencesDto,
} from "@/lib/services/notification-dto";

/** "Forever": far enough to never matter, early enough for every database's timestamp range. */
export const MUTED_FOREVER = new Date("9999-12-31T00:00:00.000Z");
const MUTE_MS: Record<Exclude<MuteDuration, "forever" | "off">, number> = {
  "1h": 3_600_000,
  "8h": 8 * 3_600_000,
  "24h": 24 * 3_600_000,
  "7d": 7 * 24 * 3_600_000,
};
/** Kinds that belong to reading a conversation: `chat:mark-read` marks them read too. */
export const CONVERSATION_READ_KINDS: readonly NotificationKind[] = ["message", "mention", "reply"];
export const ANNOUNCEMENT_TITLE = "Announcement";

/** A notification to store for one recipient. Rows with the same open `coalesceKey` grow instead. */
export type NotificationDraft = {
  userId: string;
  kind: NotificationKind;
  conversationId?: string | null;
  messageId?: string | null;
  seq?: number | null;
  title?: string | null;
  preview?: string | null;
  coalesceKey?: string | null;
  /** Events this draft stands for (a burst of messages stored at once); 1 by default. */
  count?: number;
  /** Who caused it, when drafts of one statement have different actors (else the statement's actor). */
  actor?: PublicUserDto;
};

/** What one recipient's devices get: the stored (or grown) notification and their new unread total. */
export type NotificationDelivery = { userId: string; notification: NotificationDto; unreadCount: number };

/** A short random prefix: rows written in one statement get `<batch><userId>` as id (unique per batch). */
const newBatchId = (): string => `n${randomBytes(9).toString("base64url")}`;

const RETURNED_COLUMNS = `"id", "userId", "kind", "conversationId", "messageId", "seq", "actorId", "title", "preview", "count", "readAt", "createdAt", "updatedAt"`;

// ── Who may be notified ─────────────────────────────────────────────────────
export type Recipient = {
  userId: string;
  name: string;
  /** The conversation is muted by this member right now (conversation sources only). */
  muted: boolean;
  /** This person blocked the actor. */
  blocked: boolean;
  disabled: ReadonlySet<NotificationKind>;
};

type RecipientRow = { userId: string; name: string; disabled: string; muted: number | bigint | boolean; blocked: number | bigint | boolean };

const toRecipient = (row: RecipientRow): Recipient => ({
  userId: row.userId,
  name: row.name,
  muted: Boolean(Number(row.muted)),
  blocked: Boolean(Number(row.blocked)),
  disabled: parseDisabledKinds(row.disabled),
});

export type ConversationAudience = { kind: "direct" | "group"; name: string | null; members: Recipient[] };

type AudienceRow = Omit<RecipientRow, "blocked"> & { conversationKind: string; conversationName: string | null; blockedActorId: string | null };

/** One row per member and actor they blocked (one with NULL if none). */
async function audienceRows(conversationId: string, actorIds: readonly string[], onlyUserIds?: readonly string[]): Promise<AudienceRow[]> {
  const now = new Date();
  const direct = await allDirect<AudienceRow>(AUDIENCE_SQLITE, {
    conversationId,
    actors: JSON.stringify(actorIds),
    only: onlyUserIds ? JSON.stringify([...onlyUserIds, ...actorIds]) : null,
    now: sqliteDate(now),
  });
  if (direct) return direct;
  const db = await dbReady();
  return db.$queryRaw<AudienceRow[]>`
    SELECT ${Prisma.raw(AUDIENCE_COLUMNS)}, CASE WHEN m."mutedUntil" IS NOT NULL AND m."mutedUntil" > ${now} THEN 1 ELSE 0 END AS "muted"
    ${Prisma.raw(AUDIENCE_FROM)}
    LEFT JOIN "Block" AS b ON b."blockerId" = m."userId" AND b."blockedId" IN (${Prisma.join([...actorIds])})
    WHERE m."conversationId" = ${conversationId}
      ${onlyUserIds ? Prisma.sql`AND m."userId" IN (${Prisma.join([...onlyUserIds, ...actorIds])})` : Prisma.empty}`;
}

/** The audience's columns and tables, shared by both forms of the query; `b` is the actors' blocks. */
const AUDIENCE_COLUMNS = `m."userId" AS "userId", u."name" AS "name", u."disabledNotificationKinds" AS "disabled",
    c."kind" AS "conversationKind", c."name" AS "conversationName", b."blockedId" AS "blockedActorId"`;
const AUDIENCE_FROM = `FROM "Membership" AS m
    JOIN "User" AS u ON u."id" = m."userId"
    JOIN "Conversation" AS c ON c."id" = m."conversationId"`;

/** The same on SQLite's own connection (lib/db/direct-sqlite.ts): the lists are JSON arrays, `@only` NULL for everyone. */
const AUDIENCE_SQLITE = `
  SELECT ${AUDIENCE_COLUMNS}, CASE WHEN m."mutedUntil" IS NOT NULL AND m."mutedUntil" > @now THEN 1 ELSE 0 END AS "muted"
  ${AUDIENCE_FROM}
  LEFT JOIN "Block" AS b ON b."blockerId" = m."userId" AND b."blockedId" IN (SELECT value FROM json_each(@actors))
  WHERE m."conversationId" = @conversationId AND (@only IS NULL OR m."userId" IN (SELECT value FROM json_each(@only)))`;

/**
 * Every member of a conversation (the actors included, for names) with their mute, their
 * preferences and, per actor, whether they blocked that actor: one query, whatever the number of
 * members and actors (a busy group's burst has several authors). Null if the conversation is gone.
 */
export async function loadConversationAudiences(
  conversationId: string,
  actorIds: readonly string[],
  onlyUserIds?: readonly string[],
): Promise<Map<string, ConversationAudience> | null> {
  if (actorIds.length === 0) return new Map();
  const rows = await audienceRows(conversationId, actorIds, onlyUserIds);
  const first = rows[0];
  if (!first) return null;
  const members = new Map<string, { row: AudienceRow; blocks: Set<string> }>();
  for (const row of rows) {
    const member = members.get(row.userId) ?? { row, blocks: new Set<string>() };
    if (row.blockedActorId) member.blocks.add(row.blockedActorId);
    members.set(row.userId, member);
  }
  const kind = first.conversationKind === "group" ? "group" : "direct";
  // Each member's recipient is built once (its preferences parsed once); per actor only `blocked`
  // differs, and only for members who blocked someone. Per actor and member, this was 13 % of the
  // main thread for a room of 1,000 with a burst of 100 authors (docs/PERFORMANCE.md).
  const built = [...members.values()].map(({ row, blocks }) => ({ recipient: toRecipient({ ...row, blocked: false }), blocks }));
  const shared = built.map(({ recipient }) => recipient);
  const anyBlocks = built.some(({ blocks }) => blocks.size > 0);
  const membersFor = (actorId: string): Recipient[] =>
    anyBlocks ? built.map(({ recipient, blocks }) => (blocks.has(actorId) ? { ...recipient, blocked: true } : recipient)) : shared;
  return new Map(actorIds.map((actorId) => [actorId, { kind, name: first.conversationName, members: membersFor(actorId) }]));
}

/** The audience of one actor's event in a conversation (see loadConversationAudiences). */
export async function loadConversationAudience(conversationId: string, actorId: string, onlyUserIds?: readonly string[]): Promise<ConversationAudience | null> {
  return (await loadConversationAudiences(conversationId, [actorId], onlyUserIds))?.get(actorId) ?? null;
}

/** People outside a conversation (contact requests, group invitations): preferences and blocks, one query. */
export async function loadUserRecipients(userIds: readonly string[], actorId: string): Promise<Recipient[]> {
  if (userIds.length === 0) return [];
  const db = await dbReady();
  const rows = await db.$queryRaw<RecipientRow[]>`
    SELECT u."id" AS "userId", u."name" AS "name", u."disabledNotificationKinds" AS "disabled", 0 AS "muted",
      CASE WHEN EXISTS (SELECT 1 FROM "Block" AS b WHERE b."blockerId" = u."id" AND b."blockedId" = ${actorId}) THEN 1 ELSE 0 END AS "blocked"
    FROM "User" AS u
    WHERE u."id" IN (${Prisma.join([...userIds])})`;
  return rows.map(toRecipient);
}

// ── Storing ─────────────────────────────────────────────────────────────────
async function unreadCounts(userIds: readonly string[]): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const direct = await readByKeys<{ userId: string; count: number }>(UNREAD_BY_USER_SQLITE, [...new Set(userIds)]);
  if (direct) return new Map(direct.map((row) => [row.userId, row.count]));
  const db = await dbReady();
  // Raw: this runs after every burst, and Prisma's groupBy costs several times the query itself.
  const groups = await db.$queryRaw<{ userId: string; unread: number | bigint }[]>`
    SELECT "userId", COUNT(*) AS "unread" FROM "Notification"
    WHERE "userId" IN (${Prisma.join([...userIds])}) AND "readAt" IS NULL
    GROUP BY "userId"`;
  return new Map(groups.map((group) => [group.userId, Number(group.unread)]));
}

/** Unread totals of distinct users on SQLite's own connection (the keys are joined, so they must be distinct). */
const UNREAD_BY_USER_SQLITE = `SELECT n."userId", COUNT(*) AS "count" FROM json_each(@keys) AS "k" JOIN "Notification" n ON n."userId" = "k"."value" AND n."readAt" IS NULL GROUP BY n."userId"`;

const NOTIFICATION_INSERT = `INSERT INTO "Notification" ("id", "userId", "kind", "conversationId", "messageId", "seq", "actorId", "title", "preview", "count", "coalesceKey", "createdAt", "updatedAt")`;

const UPSERT_SET = `
    ON CONFLICT ("userId", "coalesceKey") DO UPDATE SET
      "count" = "Notification"."count" + excluded."count",
      "messageId" = excluded."messageId",
      "seq" = excluded."seq",
      "actorId" = excluded."actorId",
      "title" = excluded."title",
      "preview" = excluded."preview",
      "updatedAt" = excluded."updatedAt"`;

/**
 * The upsert on SQLite's own connection: the rows come as one JSON array of arrays (one statement
 * text whatever their number). `WHERE true` is SQLite's way to tell the upsert's ON from a join's.
 */
const UPSERT_SQLITE = `
    ${NOTIFICATION_INSERT}
    SELECT r.value ->> 0, r.value ->> 1, r.value ->> 2, r.value ->> 3, r.value ->> 4, r.value ->> 5, r.value ->> 6, r.value ->> 7,
      r.value ->> 8, r.value ->> 9, r.value ->> 10, @now, @now
    FROM json_each(@rows) AS r WHERE true
    ${UPSERT_SET}
    RETURNING ${RETURNED_COLUMNS}`;

type DraftValues = [string, string, string, string | null, string | null, number | null, string | null, string | null, string | null, number, string | null];

async function upsertRows(values: readonly DraftValues[], now: Date): Promise<NotificationRow[]> {
  const direct = await allDirect<NotificationRow>(UPSERT_SQLITE, { rows: JSON.stringify(values), now: sqliteDate(now) });
  if (direct) return direct;
  const db = await dbReady();
  return db.$queryRaw<NotificationRow[]>`
    ${Prisma.raw(NOTIFICATION_INSERT)}
    VALUES ${Prisma.join(values.map((row) => Prisma.sql`(${Prisma.join(row)}, ${now}, ${now})`))}
    ${Prisma.raw(UPSERT_SET)}
    RETURNING ${Prisma.raw(RETURNED_COLUMNS)}`;
}

/**
 * One statement for every recipient: new rows are inserted, an open group with the same
 * `(userId, coalesceKey)` grows by one and takes the latest source, actor and preview. Then one
 * grouped count. Two queries, whatever the number of recipients.
 */
export async function storeNotifications(drafts: readonly NotificationDraft[], actor: PublicUserDto | null): Promise<NotificationDelivery[]> {
  if (drafts.length === 0) return [];
  const now = new Date();
  const batch = newBatchId();
  const actors = new Map<string, PublicUserDto>();
  if (actor) actors.set(actor.id, actor);
  for (const draft of drafts) if (draft.actor) actors.set(draft.actor.id, draft.actor);
  // Ids are `<batch><userId>`: a user with two drafts in one statement (a mention and a message) needs a suffix.
  const perUser = new Map<string, number>();
  const values = drafts.map((draft): DraftValues => {
    const nth = (perUser.get(draft.userId) ?? 0) + 1;
    perUser.set(draft.userId, nth);
    const id = nth === 1 ? batch + draft.userId : `${batch}${draft.userId}.${nth}`;
    return [id, draft.userId, draft.kind, draft.conversationId ?? null, draft.messageId ?? null, draft.seq ?? null, (draft.actor ?? actor)?.id ?? null,
      draft.title ?? null, draft.preview ?? null, draft.count ?? 1, draft.coalesceKey ?? null];
  });
  const rows = await upsertRows(values, now);
  const counts = await unreadCounts(rows.map((row) => row.userId));
  return rows.map((row) => ({
    userId: row.userId,
    notification: toNotificationDto(row, { actor: row.actorId ? actors.get(row.actorId) : null }),
    unreadCount: counts.get(row.userId) ?? 0,
  }));
}

/**
 * One row per user (but the author, and those who switched announcements off) with one
 * `INSERT … SELECT`. Ids are `<batch><userId>`, so the rows of any user are found without a search.
 */
export async function storeAnnouncement(authorId: string, body: string): Promise<{ batch: string; delivered: number }> {
  const db = await dbReady();
  const now = new Date();
  const batch = newBatchId();
  const delivered = await db.$executeRaw`
    INSERT INTO "Notification" ("id", "userId", "kind", "title", "preview", "count", "createdAt", "updatedAt")
    SELECT ${batch} || u."id", u."id", 'announcement', ${ANNOUNCEMENT_TITLE}, ${body}, 1, ${now}, ${now}
    FROM "User" AS u
    WHERE u."id" <> ${authorId} AND u."disabledNotificationKinds" NOT LIKE '%"announcement"%'`;
  return { batch, delivered };
}

/** The rows an announcement wrote for these users (those connected now), with their unread totals: two queries. */
export async function loadAnnouncementDeliveries(batch: string, userIds: readonly string[]): Promise<NotificationDelivery[]> {
  if (userIds.length === 0) return [];
  const db = await dbReady();
  const rows = await db.notification.findMany({ where: { id: { in: userIds.map((userId) => batch + userId) } } });
  const counts = await unreadCounts(rows.map((row) => row.userId));
  return rows.map((row) => ({ userId: row.userId, notification: toNotificationDto(row, {}), unreadCount: counts.get(row.userId) ?? 0 }));
}

// ── Reading ─────────────────────────────────────────────────────────────────
/** Every connect asks for this: the connects of one moment share one query (batch-loader.ts). */
const unreadLoader = createBatchLoader<string, number>(unreadCounts);

export async function countUnread(userId: string): Promise<number> {
  return (await unreadLoader(userId)) ?? 0;
}

type Page = { rows: NotificationRow[]; users: UsersById };

async function pageThroughPrisma(userId: string, after: { updatedAt: Date; id: string } | null): Promise<Page> {
  const db = await dbReady();
  const rows = await db.notification.findMany({
    where: {
      userId,
      ...(after ? { OR: [{ updatedAt: { lt: after.updatedAt } }, { updatedAt: after.updatedAt, id: { lt: after.id } }] } : {}),
    },
    orderBy: [{ updatedAt: "desc" }, { id: "desc" }],
    take: NOTIFICATION_PAGE_SIZE + 1,
  });
  const actorIds = [...new Set(rows.slice(0, NOTIFICATION_PAGE_SIZE).flatMap((row) => (row.actorId ? [row.actorId] : [])))];
  const users = actorIds.length ? await db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, name: true } }) : [];
  return { rows, users: toUsersById(users) };
}

type FirstPageRow = Omit<NotificationRow, "readAt" | "createdAt" | "updatedAt"> & {
  readAt: unknown;
  createdAt: unknown;
  updatedAt: unknown;
  actorName: string | null;
};

/**
 * The newest page of each user, with its actors' names: every client asks for it on each
 * (re)connect, so the requests of one moment share one statement on SQLite (a reconnect storm
 * asked Prisma for two queries per tab); PostgreSQL reads each through Prisma.
 */
const firstPagesLoader = createBatchLoader<string, Page>(async (userIds) => {
  const direct = await readByKeys<FirstPageRow>(
    `SELECT n."id", n."userId", n."kind", n."conversationId", n."messageId", n."seq", n."actorId", n."title", n."preview", n."count",
            n."readAt", n."createdAt", n."updatedAt", a."name" AS "actorName"
     FROM json_each(@keys) AS "k"
     JOIN "Notification" n ON n."id" IN (
       SELECT p."id" FROM "Notification" p WHERE p."userId" = "k"."value" ORDER BY p."updatedAt" DESC, p."id" DESC LIMIT ${NOTIFICATION_PAGE_SIZE + 1})
     LEFT JOIN "User" a ON a."id" = n."actorId"
     ORDER BY n."userId", n."updatedAt" DESC, n."id" DESC`,
    userIds,
  );
  if (!direct) return new Map(await Promise.all(userIds.map(async (userId) => [userId, await pageThroughPrisma(userId, null)] as const)));
  const pages = new Map<string, { rows: NotificationRow[]; users: Map<string, { id: string; name: string }> }>();
  for (const { actorName, readAt, createdAt, updatedAt, ...row } of direct) {
    let page = pages.get(row.userId);
    if (!page) pages.set(row.userId, (page = { rows: [], users: new Map() }));
    page.rows.push({ ...row, readAt: dateOf(readAt), createdAt: dateOf(createdAt) ?? new Date(0), updatedAt: dateOf(updatedAt) ?? new Date(0) });
    if (row.actorId && actorName !== null) page.users.set(row.actorId, { id: row.actorId, name: actorName });
  }
  return pages;
});

/** Newest first by (updatedAt, id); `before` is the cursor of the last item already shown. */
export async function listNotifications(userId: string, before?: string | null): Promise<NotificationPageDto> {
  const after = before ? decodeNotificationCursor(before) : null;
  const [{ rows, users }, unreadCount] = await Promise.all([
    after ? pageThroughPrisma(userId, after) : firstPagesLoader(userId).then((page) => page ?? { rows: [], users: new Map() }),
    countUnread(userId),
  ]);
  const page = rows.slice(0, NOTIFICATION_PAGE_SIZE);
  return { items: page.map((row) => toNotificationDto(row, { users })), hasMore: rows.length > NOTIFICATION_PAGE_SIZE, unreadCount };
}

// ── Read state and deletion (owner only) ────────────────────────────────────
/**
 * `ids` null means all. Ids of other people (or already gone) are silently ignored: only the
 * caller's rows are touched, and `ids` in the result lists exactly the caller's rows that changed,
 * so a stale device never gets an error and nobody learns whether a foreign id exists.
 */
export type ReadStateChange = { ids: string[] | null; changed: boolean; unreadCount: number };

export async function markNotificationsRead(userId: string, ids: readonly string[] | null): Promise<ReadStateChange> {
  const db = await dbReady();
  const now = new Date();
  // Reading closes a coalescing group: the next burst starts a new notification.
  const data = { readAt: now, coalesceKey: null };
  if (ids === null) {
    const { count } = await db.notification.updateMany({ where: { userId, readAt: null }, data });
    return { ids: null, changed: count > 0, unreadCount: await countUnread(userId) };
  }
  const mine = await db.notification.findMany({ where: { userId, id: { in: [...new Set(ids)] }, readAt: null }, select: { id: true } });
  const changedIds = mine.map((row) => row.id);
  if (changedIds.length > 0) await db.notification.updateMany({ where: { userId, id: { in: changedIds }, readAt: null }, data });
  return { ids: changedIds, changed: changedIds.length > 0, unreadCount: await countUnread(userId) };
}

export async function deleteNotifications(userId: string, ids: readonly string[] | null): Promise<ReadStateChange> {
  const db = await dbReady();
  if (ids === null) {
    const { count } = await db.notification.deleteMany({ where: { userId } });
    return { ids: null, changed: count > 0, unreadCount: 0 };
  }
  const mine = await db.notification.findMany({ where: { userId, id: { in: [...new Set(ids)] } }, select: { id: true } });
  const changedIds = mine.map((row) => row.id);
  if (changedIds.length > 0) await db.notification.deleteMany({ where: { userId, id: { in: changedIds } } });
  return { ids: changedIds, changed: changedIds.length > 0, unreadCount: await countUnread(userId) };
}

/** Reading a conversation up to `readSeq` reads its message, mention and reply notifications up to there. */
export async function markConversationNotificationsRead(userId: string, conversationId: string, readSeq: number): Promise<ReadStateChange> {
  const db = await dbReady();
  const mine = await db.notification.findMany({
    where: { userId, conversationId, readAt: null, kind: { in: [...CONVERSATION_READ_KINDS] }, seq: { lte: readSeq } },
    select: { id: true },
  });
  const ids = mine.map((row) => row.id);
  if (ids.length === 0) return { ids, changed: false, unreadCount: 0 };
  await db.notification.updateMany({ where: { userId, id: { in: ids }, readAt: null }, data: { readAt: new Date(), coalesceKey: null } });
  return { ids, changed: true, unreadCount: await countUnread(userId) };
}

// ── Preferences ─────────────────────────────────────────────────────────────
export async function getPreferences(userId: string): Promise<NotificationPreferencesDto> {
  const db = await dbReady();
  const user = await db.user.findUnique({ where: { id: userId }, select: { disabledNotificationKinds: true } });
  return toPreferencesDto(parseDisabledKinds(user?.disabledNotificationKinds));
}

/** Kinds not named keep their setting. Only future notifications are affected. */
export async function setPreferences(userId: string, kinds: Partial<Record<NotificationKind, boolean>>): Promise<NotificationPreferencesDto> {
  const db = await dbReady();
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId }, select: { disabledNotificationKinds: true } });
    if (!user) throw new AppError("UNAUTHORIZED");
    const disabled = parseDisabledKinds(user.disabledNotificationKinds);
    for (const [kind, isOn] of Object.entries(kinds) as [NotificationKind, boolean | undefined][]) {
      if (isOn === true) disabled.delete(kind);
      else if (isOn === false) disabled.add(kind);
    }
    await tx.user.update({ where: { id: userId }, data: { disabledNotificationKinds: serializeDisabledKinds(disabled) } });
    return toPreferencesDto(disabled);
  });
}

// ── Conversation mutes ──────────────────────────────────────────────────────
export function mutedUntilFor(duration: MuteDuration, now = Date.now()): Date | null {
  if (duration === "off") return null;
  if (duration === "forever") return MUTED_FOREVER;
  return new Date(now + MUTE_MS[duration]);
}

/** Members only: anyone else gets FORBIDDEN. */
export async function muteConversation(userId: string, input: { conversationId: string; duration: MuteDuration }): Promise<ConversationMuteDto> {
  const access = await getMembershipCache().get(input.conversationId);
  if (!access?.memberIds.has(userId)) throw new AppError("FORBIDDEN", { userMessage: "You can only mute conversations you are in." });
  const mutedUntil = mutedUntilFor(input.duration);
  const db = await dbReady();
  const { count } = await db.membership.updateMany({ where: { conversationId: input.conversationId, userId }, data: { mutedUntil } });
  if (count === 0) throw new AppError("FORBIDDEN", { userMessage: "You can only mute conversations you are in." });
  return { conversationId: input.conversationId, mutedUntil: mutedUntil?.toISOString() ?? null };
}

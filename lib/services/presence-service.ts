/** Presence persistence and audience: who may see whom, chosen status, last seen. Node-only. */
import { dbReady } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { createBatchLoader } from "@/lib/services/batch-loader";
import type { OwnPresenceDto, PresenceDto, PresenceMode, PresenceSetStatusInput, PresenceStatus } from "@/lib/realtime/protocol";
import { dateOf, readByKeys } from "@/lib/db/direct-sqlite";

export type PresenceProfile = {
  userId: string;
  mode: PresenceMode;
  customText: string | null;
  customEmoji: string | null;
  expiresAt: Date | null;
  lastSeenAt: Date | null;
};

const profileSelect = {
  id: true,
  presenceMode: true,
  statusText: true,
  statusEmoji: true,
  statusExpiresAt: true,
  lastSeenAt: true,
} as const;

type ProfileRow = {
  id: string;
  presenceMode: string;
  statusText: string | null;
  statusEmoji: string | null;
  statusExpiresAt: Date | null;
  lastSeenAt: Date | null;
};

const asMode = (value: string): PresenceMode => (value === "dnd" || value === "invisible" ? value : "auto");

/** An expired custom status reads as cleared even before the timer (or anyone) removes it. */
function toProfile(row: ProfileRow, now: number): PresenceProfile {
  const expired = row.statusExpiresAt !== null && row.statusExpiresAt.getTime() <= now;
  return {
    userId: row.id,
    mode: asMode(row.presenceMode),
    customText: expired ? null : row.statusText,
    customEmoji: expired ? null : row.statusEmoji,
    expiresAt: expired ? null : row.statusExpiresAt,
    lastSeenAt: row.lastSeenAt,
  };
}

/** A profile row as SQLite returns it to a direct read (dates as stored). */
type DirectProfileRow = Omit<ProfileRow, "statusExpiresAt" | "lastSeenAt"> & { statusExpiresAt: unknown; lastSeenAt: unknown };
const PROFILE_COLUMNS = `u."id", u."presenceMode", u."statusText", u."statusEmoji", u."statusExpiresAt", u."lastSeenAt"`;
const fromDirect = (row: DirectProfileRow): ProfileRow => ({ ...row, statusExpiresAt: dateOf(row.statusExpiresAt), lastSeenAt: dateOf(row.lastSeenAt) });

export async function loadPresenceProfiles(userIds: readonly string[]): Promise<PresenceProfile[]> {
  if (userIds.length === 0) return [];
  const direct = await readByKeys<DirectProfileRow>(`SELECT ${PROFILE_COLUMNS} FROM "User" u WHERE u."id" IN (SELECT value FROM json_each(@keys))`, userIds);
  const rows: ProfileRow[] =
    direct?.map(fromDirect) ?? (await (await dbReady()).user.findMany({ where: { id: { in: [...userIds] } }, select: profileSelect }));
  const now = Date.now();
  return rows.map((row) => toProfile(row, now));
}

/** One user's profile: the connects and announcements of one moment share one query (batch-loader.ts). */
const profileLoader = createBatchLoader<string, PresenceProfile>(async (userIds) => {
  const profiles = await loadPresenceProfiles(userIds);
  return new Map(profiles.map((profile) => [profile.userId, profile]));
});

export async function loadPresenceProfile(userId: string): Promise<PresenceProfile | null> {
  return (await profileLoader(userId)) ?? null;
}

/**
 * For many users at once, on SQLite: every (user, related person) row, contacts either way and
 * co-members, and every block either way flagged `blocked`; `audiencesOf` combines them. Kept as
 * UNION ALL over a join with the keys: as UNION/EXCEPT with `IN (SELECT … json_each)` SQLite
 * sorted every arm into a temporary B-tree and built an index of the keys five times, ~6× the
 * time of this form (the handshake profile, docs/PERFORMANCE.md).
 */
const KEYS_CTE = `"k" AS (SELECT value AS "v" FROM json_each(@keys))`;
const RELATIONS_SQL = `
    SELECT 0 AS "blocked", c."ownerId" AS "userId", c."contactId" AS "id" FROM "k" JOIN "Contact" c ON c."ownerId" = "k"."v"
    UNION ALL SELECT 0, c."contactId", c."ownerId" FROM "k" JOIN "Contact" c ON c."contactId" = "k"."v"
    UNION ALL SELECT 0, m1."userId", m2."userId" FROM "k" JOIN "Membership" m1 ON m1."userId" = "k"."v" JOIN "Membership" m2 ON m2."conversationId" = m1."conversationId"
    UNION ALL SELECT 1, b."blockerId", b."blockedId" FROM "k" JOIN "Block" b ON b."blockerId" = "k"."v"
    UNION ALL SELECT 1, b."blockedId", b."blockerId" FROM "k" JOIN "Block" b ON b."blockedId" = "k"."v"`;

type RelationRow = { blocked: number; userId: string; id: string };

/** Each user's audience from relation rows: related, not themselves, no block either way; one entry per person. */
function audiencesOf<Row extends RelationRow>(rows: readonly Row[]): Map<string, Map<string, Row>> {
  const blocked = new Set<string>();
  for (const row of rows) if (row.blocked) blocked.add(`${row.userId}|${row.id}`);
  const byUser = new Map<string, Map<string, Row>>();
  for (const row of rows) {
    if (row.blocked || row.id === row.userId || (blocked.size > 0 && blocked.has(`${row.userId}|${row.id}`))) continue;
    let audience = byUser.get(row.userId);
    if (!audience) {
      audience = new Map();
      byUser.set(row.userId, audience);
    }
    audience.set(row.id, row);
  }
  return byUser;
}

/** Each user's audience (ids), for many users at once. */
async function audiencesById(userIds: string[]): Promise<Map<string, string[]>> {
  const direct = await readByKeys<RelationRow>(`WITH ${KEYS_CTE} ${RELATIONS_SQL}`, userIds);
  const byUser = new Map<string, string[]>();
  if (direct) {
    for (const [userId, audience] of audiencesOf(direct)) byUser.set(userId, [...audience.keys()]);
    return byUser;
  }
  for (const row of await audienceThroughPrisma(userIds)) {
    if (row.id === row.userId) continue;
    const audience = byUser.get(row.userId) ?? [];
    audience.push(row.id);
    byUser.set(row.userId, audience);
  }
  return byUser;
}

const audienceLoader = createBatchLoader<string, string[]>(audiencesById);

/** The same query on PostgreSQL. */
async function audienceThroughPrisma(userIds: string[]): Promise<{ userId: string; id: string }[]> {
  const db = await dbReady();
  const ids = Prisma.join(userIds);
  return db.$queryRaw<{ userId: string; id: string }[]>`
    SELECT "ownerId" AS "userId", "contactId" AS "id" FROM "Contact" WHERE "ownerId" IN (${ids})
    UNION SELECT "contactId", "ownerId" FROM "Contact" WHERE "contactId" IN (${ids})
    UNION SELECT m1."userId", m2."userId" FROM "Membership" m1 JOIN "Membership" m2 ON m2."conversationId" = m1."conversationId" WHERE m1."userId" IN (${ids})
    EXCEPT SELECT "blockerId", "blockedId" FROM "Block" WHERE "blockerId" IN (${ids})
    EXCEPT SELECT "blockedId", "blockerId" FROM "Block" WHERE "blockedId" IN (${ids})`;
}

/**
 * Everyone allowed to see `userId`'s presence (and whose presence `userId` may see: the relation
 * is symmetric): contacts and co-members of any conversation, minus blocks in either direction.
 * One query, shared by the users asking at the same moment (a burst of connects).
 */
export async function presenceAudience(userId: string): Promise<string[]> {
  return [...((await audienceLoader(userId)) ?? [])];
}

/**
 * The profiles of everyone in `userId`'s audience: what a connecting socket's presence snapshot
 * shows. On SQLite the audience and its profiles are one statement for all the connects of a moment.
 */
const audienceProfilesLoader = createBatchLoader<string, PresenceProfile[]>(async (userIds) => {
  const byViewer = new Map<string, PresenceProfile[]>();
  const add = (viewerId: string, profile: PresenceProfile) => {
    const profiles = byViewer.get(viewerId);
    if (profiles) profiles.push(profile);
    else byViewer.set(viewerId, [profile]);
  };
  const direct = await readByKeys<DirectProfileRow & RelationRow>(
    `WITH ${KEYS_CTE}, "pairs" AS (${RELATIONS_SQL}) SELECT p."blocked", p."userId", ${PROFILE_COLUMNS} FROM "pairs" p JOIN "User" u ON u."id" = p."id"`,
    userIds,
  );
  const now = Date.now();
  if (direct) {
    for (const [viewerId, audience] of audiencesOf(direct)) for (const row of audience.values()) add(viewerId, toProfile(fromDirect(row), now));
    return byViewer;
  }
  // PostgreSQL: the audiences, then everyone's profiles in one read.
  const audiences = await audiencesById(userIds);
  const profiles = new Map((await loadPresenceProfiles([...new Set([...audiences.values()].flat())])).map((profile) => [profile.userId, profile]));
  for (const [viewerId, audience] of audiences) {
    for (const id of audience) {
      const profile = profiles.get(id);
      if (profile) add(viewerId, profile);
    }
  }
  return byViewer;
});

export async function presenceAudienceProfiles(userId: string): Promise<PresenceProfile[]> {
  return [...((await audienceProfilesLoader(userId)) ?? [])];
}

/** Pairs among `userIds` with a block in either direction, as "a|b" keys in both orders. */
export async function blockedPairs(userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length < 2) return new Set();
  const db = await dbReady();
  const rows = await db.block.findMany({
    where: { blockerId: { in: [...userIds] }, blockedId: { in: [...userIds] } },
    select: { blockerId: true, blockedId: true },
  });
  return new Set(rows.flatMap((row) => [`${row.blockerId}|${row.blockedId}`, `${row.blockedId}|${row.blockerId}`]));
}

export async function savePresenceStatus(userId: string, input: PresenceSetStatusInput): Promise<PresenceProfile> {
  const db = await dbReady();
  const customText = input.customText?.trim() ? input.customText.trim() : null;
  const customEmoji = input.customEmoji ?? null;
  const hasCustom = customText !== null || customEmoji !== null;
  const row = await db.user.update({
    where: { id: userId },
    data: {
      presenceMode: input.status,
      statusText: customText,
      statusEmoji: customEmoji,
      statusExpiresAt: hasCustom && input.expiresAt ? new Date(input.expiresAt) : null,
    },
    select: profileSelect,
  });
  return toProfile(row, Date.now());
}

/** Clears the custom status if it is the one that expired (a newer one set meanwhile is kept). */
export async function clearExpiredStatus(userId: string, expiresAt: Date): Promise<boolean> {
  const db = await dbReady();
  const { count } = await db.user.updateMany({
    where: { id: userId, statusExpiresAt: { lte: expiresAt } },
    data: { statusText: null, statusEmoji: null, statusExpiresAt: null },
  });
  return count > 0;
}

export async function recordLastSeen(userId: string, at: Date): Promise<void> {
  const db = await dbReady();
  await db.user.updateMany({ where: { id: userId }, data: { lastSeenAt: at } });
}

/** What others see: invisible users look offline, with no custom status and never "in a call". */
export function toPresenceDto(profile: PresenceProfile, status: PresenceStatus, inCall = false): PresenceDto {
  const hidden = profile.mode === "invisible";
  return {
    userId: profile.userId,
    status,
    customText: hidden ? null : profile.customText,
    customEmoji: hidden ? null : profile.customEmoji,
    lastSeenAt: status === "offline" ? (profile.lastSeenAt?.toISOString() ?? null) : null,
    inCall: status !== "offline" && inCall,
  };
}

export function toOwnPresenceDto(profile: PresenceProfile, status: PresenceStatus, inCall = false): OwnPresenceDto {
  return {
    userId: profile.userId,
    status,
    customText: profile.customText,
    customEmoji: profile.customEmoji,
    lastSeenAt: null,
    inCall,
    mode: profile.mode,
    expiresAt: profile.expiresAt?.toISOString() ?? null,
  };
}

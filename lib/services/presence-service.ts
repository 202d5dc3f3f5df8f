/** Presence persistence and audience: who may see whom, chosen status, last seen. Node-only. */
import { dbReady } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import { createBatchLoader } from "@/lib/services/batch-loader";
import type { OwnPresenceDto, PresenceDto, PresenceMode, PresenceSetStatusInput, PresenceStatus } from "@/lib/realtime/protocol";
import { dateOf, readByKeys } from "@/lib/db/direct-read";

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

export async function loadPresenceProfiles(userIds: readonly string[]): Promise<PresenceProfile[]> {
  if (userIds.length === 0) return [];
  const direct = await readByKeys<Omit<ProfileRow, "statusExpiresAt" | "lastSeenAt"> & { statusExpiresAt: unknown; lastSeenAt: unknown }>(
    `SELECT "id", "presenceMode", "statusText", "statusEmoji", "statusExpiresAt", "lastSeenAt" FROM "User" WHERE "id" IN (SELECT value FROM json_each(@keys))`,
    userIds,
  );
  const rows: ProfileRow[] =
    direct?.map((row) => ({ ...row, statusExpiresAt: dateOf(row.statusExpiresAt), lastSeenAt: dateOf(row.lastSeenAt) })) ??
    (await (await dbReady()).user.findMany({ where: { id: { in: [...userIds] } }, select: profileSelect }));
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

/** For many users at once: (user, member of their audience) pairs, in the one-user query's shape. */
const AUDIENCE_SQL = `
    SELECT "ownerId" AS "userId", "contactId" AS "id" FROM "Contact" WHERE "ownerId" IN (SELECT value FROM json_each(@keys))
    UNION SELECT "contactId", "ownerId" FROM "Contact" WHERE "contactId" IN (SELECT value FROM json_each(@keys))
    UNION SELECT m1."userId", m2."userId" FROM "Membership" m1 JOIN "Membership" m2 ON m2."conversationId" = m1."conversationId" WHERE m1."userId" IN (SELECT value FROM json_each(@keys))
    EXCEPT SELECT "blockerId", "blockedId" FROM "Block" WHERE "blockerId" IN (SELECT value FROM json_each(@keys))
    EXCEPT SELECT "blockedId", "blockerId" FROM "Block" WHERE "blockedId" IN (SELECT value FROM json_each(@keys))`;

const audienceLoader = createBatchLoader<string, string[]>(async (userIds) => {
  const rows = (await readByKeys<{ userId: string; id: string }>(AUDIENCE_SQL, userIds)) ?? (await audienceThroughPrisma(userIds));
  const byUser = new Map<string, string[]>();
  for (const row of rows) {
    if (row.id === row.userId) continue;
    const audience = byUser.get(row.userId) ?? [];
    audience.push(row.id);
    byUser.set(row.userId, audience);
  }
  return byUser;
});

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

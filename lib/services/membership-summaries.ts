/**
 * Each of a user's memberships with its conversation's sequence and version: which rooms a
 * connecting socket joins and its unread counts, and which conversations `chat:sync` must page.
 * Every connect and every resync asks for this: the asks of one moment share one query
 * (batch-loader.ts), a direct statement on SQLite (direct-sqlite.ts), Prisma on PostgreSQL. Node-only.
 */
import { dbReady } from "@/lib/db";
import { readByKeys } from "@/lib/db/direct-sqlite";
import type { UnreadCountsDto } from "@/lib/realtime/protocol";
import { createBatchLoader } from "@/lib/services/batch-loader";

type MembershipSummary = { conversationId: string; readSeq: number; lastSeq: number; lastVersion: number };

const summariesLoader = createBatchLoader<string, MembershipSummary[]>(async (userIds) => {
  type Row = MembershipSummary & { userId: string };
  const rows: Row[] =
    (await readByKeys<Row>(
      `SELECT m."userId", m."conversationId", m."readSeq", c."lastSeq", c."lastVersion" FROM json_each(@keys) AS "k" JOIN "Membership" m ON m."userId" = "k"."value" JOIN "Conversation" c ON c."id" = m."conversationId"`,
      userIds,
    )) ??
    (
      await (await dbReady()).membership.findMany({
        where: { userId: { in: userIds } },
        select: { userId: true, conversationId: true, readSeq: true, conversation: { select: { lastSeq: true, lastVersion: true } } },
      })
    ).map(({ conversation, ...membership }) => ({ ...membership, ...conversation }));
  const byUser = new Map<string, MembershipSummary[]>();
  for (const { userId, ...summary } of rows) {
    const summaries = byUser.get(userId) ?? [];
    summaries.push(summary);
    byUser.set(userId, summaries);
  }
  return byUser;
});

/** For the connection handler: which rooms to join and the authoritative unread counts. */
export async function listMembershipSummaries(userId: string): Promise<UnreadCountsDto["counts"]> {
  return ((await summariesLoader(userId)) ?? []).map((summary) => ({
    conversationId: summary.conversationId,
    readSeq: summary.readSeq,
    unreadCount: Math.max(0, summary.lastSeq - summary.readSeq),
  }));
}

/** The latest version of each of the user's conversations (`chat:sync`). */
export async function membershipVersions(userId: string): Promise<Map<string, number>> {
  return new Map(((await summariesLoader(userId)) ?? []).map((summary) => [summary.conversationId, summary.lastVersion]));
}

/** Browser-session revocation: a signed-out session id may never open a socket again. Node-only. */
import { dbReady } from "@/lib/db";
import { createBatchLoader } from "@/lib/services/batch-loader";
import { readByKeys } from "@/lib/db/direct-sqlite";

/** How long a signed-out session id is remembered: longer than any socket token or session cookie lives. */
const REVOCATION_TTL_MS = 31 * 24 * 60 * 60 * 1000;

export async function revokeSession(sid: string, userId: string): Promise<void> {
  const db = await dbReady();
  const expiresAt = new Date(Date.now() + REVOCATION_TTL_MS);
  const exists = await db.user.findUnique({ where: { id: userId }, select: { id: true } });
  if (!exists) return;
  await db.revokedSession.upsert({ where: { sid }, create: { sid, userId, expiresAt }, update: {} });
  await db.revokedSession.deleteMany({ where: { expiresAt: { lt: new Date() } } });
}

/** Handshakes arriving together are checked with one query (batch-loader.ts: batched, never cached). */
const revokedLoader = createBatchLoader<string, true>(async (sids) => {
  const rows =
    (await readByKeys<{ sid: string }>(`SELECT r."sid" FROM json_each(@keys) AS "k" JOIN "RevokedSession" r ON r."sid" = "k"."value"`, sids)) ??
    (await (await dbReady()).revokedSession.findMany({ where: { sid: { in: sids } }, select: { sid: true } }));
  return new Map(rows.map((row) => [row.sid, true as const]));
});

export async function isSessionRevoked(sid: string): Promise<boolean> {
  return (await revokedLoader(sid)) === true;
}

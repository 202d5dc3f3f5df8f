/**
 * A short mutual-exclusion lock in Redis (SET NX PX with a random token; released only by its
 * holder, by a compare-and-delete script). For brief critical sections across processes: the TTL
 * frees a lock whose holder died, and the token lets the holder check it still owns the lock when
 * it writes (a holder slower than the TTL must not overwrite its successor's work). Node-only.
 */
import { randomUUID } from "node:crypto";

import { AppError } from "@/lib/errors";
import { type RedisClient, withRedis } from "./client";

export type LockOptions = {
  /** How long the lock lasts if its holder never releases it. */
  ttlMs?: number;
  /** How long to wait for it before giving up with UNAVAILABLE. */
  waitMs?: number;
};

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `critical` holding `key`; it receives the lock's token (for writes that check ownership). */
export async function withLock<T>(redis: RedisClient, key: string, critical: (token: string) => Promise<T>, options: LockOptions = {}): Promise<T> {
  const ttlMs = options.ttlMs ?? 5_000;
  const deadline = Date.now() + (options.waitMs ?? 3_000);
  const token = randomUUID();
  // Short random sleeps: waiters do not retry in lockstep, and a brief section is not waited on long.
  while ((await withRedis(() => redis.set(key, token, "PX", ttlMs, "NX"))) !== "OK") {
    if (Date.now() >= deadline) throw new AppError("UNAVAILABLE", { message: `lock ${key} is busy` });
    await sleep(2 + Math.random() * 8);
  }
  try {
    return await critical(token);
  } finally {
    // A failed release leaves the lock to its TTL; the section's own outcome is what the caller gets.
    await withRedis(() => redis.eval(RELEASE, 1, key, token)).catch(() => undefined);
  }
}

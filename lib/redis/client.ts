/**
 * Redis connections for the scale-out setup (`REDIS_URL`). Two kinds, because they fail differently
 * on purpose while Redis is away:
 * - "state" (presence, calls, the match queue, rate limits): no offline queue, one retry, so a
 *   request that needs Redis fails at once with UNAVAILABLE instead of hanging until its timeout;
 * - "adapter" (Socket.IO's Redis Streams adapter): commands wait for the reconnect, so broadcasts
 *   made during a short outage are delayed rather than dropped.
 * Both reconnect by themselves, forever, backing off to one attempt a second. Node-only.
 */
import { Redis } from "ioredis";
import type { Logger } from "pino";

import { AppError, isDependencyUnavailable } from "@/lib/errors";

export { getStateRedis, setStateRedis } from "./shared";

export type RedisClient = Redis;
export type RedisRole = "state" | "adapter";

const RECONNECT_MAX_DELAY_MS = 1_000;

export function createRedisClient(url: string, role: RedisRole, logger: Logger): RedisClient {
  const client = new Redis(url, {
    connectionName: `parley-${role}`,
    retryStrategy: (attempt) => Math.min(attempt * 100, RECONNECT_MAX_DELAY_MS),
    ...(role === "state" ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 2_000 } : { maxRetriesPerRequest: null }),
  });
  // One line per outage, not one per reconnect attempt.
  let down = false;
  client.on("error", (error: Error) => {
    if (down) return;
    down = true;
    logger.error({ err: error, role }, "redis unavailable");
  });
  client.on("ready", () => {
    if (down) logger.info({ role }, "redis available again");
    down = false;
  });
  return client;
}

/** Runs a Redis-backed step; an unreachable Redis becomes the typed UNAVAILABLE error the client sees. */
export async function withRedis<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (isDependencyUnavailable(error)) throw new AppError("UNAVAILABLE", { cause: error });
    throw error;
  }
}

/** Startup: resolves once the connection is up (a "state" connection refuses commands before). */
export function waitUntilReady(client: RedisClient, timeoutMs = 15_000): Promise<void> {
  if (client.status === "ready") return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off("ready", onReady);
      reject(new Error(`Redis did not answer within ${timeoutMs} ms (REDIS_URL)`));
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    client.once("ready", onReady);
  });
}

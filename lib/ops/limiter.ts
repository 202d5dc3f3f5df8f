/**
 * One place that picks where request budgets live: this process's memory (the embedded default) or
 * Redis when the process runs in the scale-out setup, so a budget is per user across all processes.
 * While Redis is unreachable the insurance limiter (memory, same budget) answers instead: an outage
 * must not turn every request into an error, nor lift the limits.
 */
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";

import { getStateRedis } from "@/lib/redis/shared";

export type LimiterOptions = { keyPrefix: string; points: number; duration: number };

export function createLimiter(options: LimiterOptions): RateLimiterAbstract {
  const memory = new RateLimiterMemory(options);
  const redis = getStateRedis();
  if (!redis) return memory;
  return new RateLimiterRedis({ ...options, keyPrefix: `parley:rl:${options.keyPrefix}`, storeClient: redis, insuranceLimiter: memory });
}

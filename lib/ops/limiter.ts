/**
 * One place that picks where request budgets live: this process's memory (the embedded default) or
 * Redis when the process runs in the scale-out setup, so a budget is per user across all processes.
 * While Redis is unreachable the insurance limiter (memory, same budget) answers instead: an outage
 * must not turn every request into an error, nor lift the limits.
 */
import { AsyncResource } from "node:async_hooks";

import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";

import { exposeCount } from "@/lib/ops/debug-counts";
import { getStateRedis } from "@/lib/redis/shared";

export type LimiterOptions = { keyPrefix: string; points: number; duration: number };

/**
 * The memory store starts a timer per key, for `duration`, and a timer keeps the async context it
 * was started in: in Next's route handlers, the request's stores (its headers, cookies and more).
 * Every sign-in key held its request for a minute (test/reliability/memory.integration.test.ts).
 * Keys are written in a scope made with the first limiter instead: server.ts makes its limiter at
 * startup, outside any request, and Next's copy of this module reuses that scope (globalThis).
 */
const slot = globalThis as unknown as { __parleyLimiterScope?: AsyncResource };

class DetachedMemoryLimiter extends RateLimiterMemory {
  private readonly scope = (slot.__parleyLimiterScope ??= new AsyncResource("parley-limiter"));

  override consume(...args: Parameters<RateLimiterMemory["consume"]>) {
    return this.scope.runInAsyncScope(() => super.consume(...args));
  }
  override penalty(...args: Parameters<RateLimiterMemory["penalty"]>) {
    return this.scope.runInAsyncScope(() => super.penalty(...args));
  }
  override reward(...args: Parameters<RateLimiterMemory["reward"]>) {
    return this.scope.runInAsyncScope(() => super.reward(...args));
  }
  override block(...args: Parameters<RateLimiterMemory["block"]>) {
    return this.scope.runInAsyncScope(() => super.block(...args));
  }
  override set(...args: Parameters<RateLimiterMemory["set"]>) {
    return this.scope.runInAsyncScope(() => super.set(...args));
  }
}

export function createLimiter(options: LimiterOptions): RateLimiterAbstract {
  const memory = new DetachedMemoryLimiter(options);
  // Keys live `duration` seconds. The store is the library's private field: -1 if it moves.
  exposeCount(`limiter.${options.keyPrefix}`, () => (memory as unknown as { _memoryStorage?: { _storage?: Map<string, unknown> } })._memoryStorage?._storage?.size ?? -1);
  const redis = getStateRedis();
  if (!redis) return memory;
  return new RateLimiterRedis({ ...options, keyPrefix: `parley:rl:${options.keyPrefix}`, storeClient: redis, insuranceLimiter: memory });
}

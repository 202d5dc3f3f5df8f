/**
 * Request budgets behind an interface: in-memory for the embedded default; a Redis-backed
 * implementation (same library, RateLimiterRedis) joins it in the scale-out setup.
 */
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export type RateLimitResult = { ok: true } | { ok: false; retryAfterMs: number };

export type RateLimiter = {
  consume: (key: string, points?: number) => Promise<RateLimitResult>;
};

export function createMemoryRateLimiter(options: { pointsPerSecond: number }): RateLimiter {
  // Burst of one second's budget, refilled every second.
  const limiter = new RateLimiterMemory({ points: options.pointsPerSecond, duration: 1 });
  return {
    async consume(key, points = 1) {
      try {
        await limiter.consume(key, points);
        return { ok: true };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return { ok: false, retryAfterMs: rejection.msBeforeNext };
        throw rejection;
      }
    },
  };
}

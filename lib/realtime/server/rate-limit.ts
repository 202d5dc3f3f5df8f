/**
 * Request budgets behind an interface: in-memory for the embedded default; a Redis-backed
 * implementation (same library, RateLimiterRedis) joins it in the scale-out setup.
 */
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

export type RateLimitResult = { ok: true } | { ok: false; retryAfterMs: number };

export type RateLimiter = {
  /** `weight` 1 is one request; chatty signaling events weigh less (the library wants whole points). */
  consume: (key: string, weight?: number) => Promise<RateLimitResult>;
};

const POINTS_PER_REQUEST = 100;

export function createMemoryRateLimiter(options: { pointsPerSecond: number }): RateLimiter {
  // Burst of one second's budget, refilled every second.
  const limiter = new RateLimiterMemory({ points: options.pointsPerSecond * POINTS_PER_REQUEST, duration: 1 });
  return {
    async consume(key, weight = 1) {
      try {
        await limiter.consume(key, Math.max(1, Math.round(weight * POINTS_PER_REQUEST)));
        return { ok: true };
      } catch (rejection) {
        if (rejection instanceof RateLimiterRes) return { ok: false, retryAfterMs: rejection.msBeforeNext };
        throw rejection;
      }
    },
  };
}

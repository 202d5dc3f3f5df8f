/**
 * Request budgets behind an interface: in this process's memory for the embedded default, in Redis
 * in the scale-out setup (lib/ops/limiter.ts picks), so a user's budget spans all processes.
 */
import { RateLimiterRes } from "rate-limiter-flexible";

import { createLimiter } from "@/lib/ops/limiter";

export type RateLimitResult = { ok: true } | { ok: false; retryAfterMs: number };

export type RateLimiter = {
  /** `weight` 1 is one request; chatty signaling events weigh less (the library wants whole points). */
  consume: (key: string, weight?: number) => Promise<RateLimitResult>;
};

const POINTS_PER_REQUEST = 100;

export function createRateLimiter(options: { pointsPerSecond: number }): RateLimiter {
  // Burst of one second's budget, refilled every second.
  const limiter = createLimiter({ keyPrefix: "socket", points: options.pointsPerSecond * POINTS_PER_REQUEST, duration: 1 });
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

/** Per-IP+email limits on sign-in and register, against guessing and enumeration. */
import type { RateLimiterAbstract } from "rate-limiter-flexible";

import { createLimiter } from "@/lib/ops/limiter";

const slot = globalThis as unknown as { __parleyAuthLimiter?: RateLimiterAbstract };

function limiter(): RateLimiterAbstract {
  const points = Number(process.env.AUTH_ATTEMPTS_PER_MINUTE) || 10;
  slot.__parleyAuthLimiter ??= createLimiter({ keyPrefix: "auth", points, duration: 60 });
  return slot.__parleyAuthLimiter;
}

export async function consumeAuthAttempt(key: string): Promise<boolean> {
  try {
    await limiter().consume(key);
    return true;
  } catch {
    return false;
  }
}

/**
 * User search finds an account by its exact email (how people find each other). Every answer says
 * whether that email has an account, so at the ordinary request budget (RATE_LIMIT_PER_SECOND)
 * search would be a far faster way to test a list of addresses than register, which must say it
 * too but is held to AUTH_ATTEMPTS_PER_MINUTE per address. Queries that can only match an email
 * (they contain "@") therefore also spend EMAIL_LOOKUPS_PER_HOUR per user, shared by every process.
 */
import type { RateLimiterAbstract, RateLimiterRes } from "rate-limiter-flexible";

import { getServerEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { createLimiter } from "@/lib/ops/limiter";

const slot = globalThis as unknown as { __parleyEmailLookupLimiter?: RateLimiterAbstract };

export const isEmailLookup = (query: string) => query.includes("@");

/** Throws RATE_LIMITED once the user has spent the hour's exact-email lookups. */
export async function spendEmailLookup(userId: string): Promise<void> {
  slot.__parleyEmailLookupLimiter ??= createLimiter({ keyPrefix: "email-lookup", points: getServerEnv().EMAIL_LOOKUPS_PER_HOUR, duration: 3_600 });
  try {
    await slot.__parleyEmailLookupLimiter.consume(userId);
  } catch (rejection) {
    if (rejection instanceof Error) throw rejection;
    throw new AppError("RATE_LIMITED", {
      retryAfterMs: (rejection as RateLimiterRes).msBeforeNext,
      userMessage: "Too many searches by email for now. Try again later, or search by name.",
    });
  }
}

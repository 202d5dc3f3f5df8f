/**
 * Limits on sign-in and register, against guessing and enumeration: AUTH_ATTEMPTS_PER_MINUTE per
 * address and email for sign-in and per address for register, and for sign-in also
 * SIGN_IN_PER_IP_FACTOR times that per address whatever the email, so trying one password on many
 * accounts (or timing many addresses) from one place is limited too.
 */
import type { RateLimiterAbstract } from "rate-limiter-flexible";

import { createLimiter } from "@/lib/ops/limiter";

/** Sign-ins one address may try across all emails, as a multiple of the per-email budget (people behind one NAT share it). */
export const SIGN_IN_PER_IP_FACTOR = 5;

const slot = globalThis as unknown as { __parleyAuthLimiter?: RateLimiterAbstract; __parleyAuthIpLimiter?: RateLimiterAbstract };

function attemptsPerMinute(): number {
  return Number(process.env.AUTH_ATTEMPTS_PER_MINUTE) || 10;
}

function limiter(): RateLimiterAbstract {
  slot.__parleyAuthLimiter ??= createLimiter({ keyPrefix: "auth", points: attemptsPerMinute(), duration: 60 });
  return slot.__parleyAuthLimiter;
}

function ipLimiter(): RateLimiterAbstract {
  slot.__parleyAuthIpLimiter ??= createLimiter({ keyPrefix: "auth-ip", points: SIGN_IN_PER_IP_FACTOR * attemptsPerMinute(), duration: 60 });
  return slot.__parleyAuthIpLimiter;
}

async function consume(from: RateLimiterAbstract, key: string): Promise<boolean> {
  try {
    await from.consume(key);
    return true;
  } catch {
    return false;
  }
}

export function consumeAuthAttempt(key: string): Promise<boolean> {
  return consume(limiter(), key);
}

/** One sign-in attempt: within the address's budget across all emails, and within this email's from this address. */
export async function consumeSignInAttempt(ip: string, email: string): Promise<boolean> {
  return (await consume(ipLimiter(), `signin:${ip}`)) && (await consume(limiter(), `signin:${ip}:${email}`));
}

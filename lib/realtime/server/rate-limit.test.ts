import { describe, expect, it } from "vitest";

import { createRateLimiter } from "./rate-limit";

async function allowed(limiter: ReturnType<typeof createRateLimiter>, key: string, attempts: number, weight?: number) {
  let count = 0;
  for (let index = 0; index < attempts; index += 1) if ((await limiter.consume(key, weight)).ok) count += 1;
  return count;
}

describe("createRateLimiter", () => {
  it("allows one second's budget of plain requests, then refuses with a retry delay", async () => {
    const limiter = createRateLimiter({ pointsPerSecond: 20 });
    expect(await allowed(limiter, "u:chat:send", 30)).toBe(20);
    const refused = await limiter.consume("u:chat:send");
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.retryAfterMs).toBeGreaterThan(0);
  });

  it("a lighter weight buys proportionally more requests, per key", async () => {
    const limiter = createRateLimiter({ pointsPerSecond: 20 });
    expect(await allowed(limiter, "u:call:signal", 150, 0.2)).toBe(100);
    expect(await allowed(limiter, "v:call:signal", 5, 0.2)).toBe(5);
  });
});

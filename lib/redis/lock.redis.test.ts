import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { AppError } from "@/lib/errors";
import { connectStateClient } from "@/test/support/redis-clients";
import { startTestRedis, type TestRedis } from "@/test/support/redis";
import type { RedisClient } from "./client";
import { withLock } from "./lock";

let redis: TestRedis;
let clientA: RedisClient;
let clientB: RedisClient;

beforeAll(async () => {
  redis = await startTestRedis();
  [clientA, clientB] = await Promise.all([connectStateClient(redis.url), connectStateClient(redis.url)]);
});

afterAll(async () => {
  clientA?.disconnect();
  clientB?.disconnect();
  await redis?.stop();
});

beforeEach(async () => {
  await clientA.flushall();
});

describe("redis lock", () => {
  it("read-modify-write sections from two connections never interleave", async () => {
    await clientA.set("counter", "0");
    const increment = (client: RedisClient) =>
      withLock(client, "lock", async () => {
        const value = Number(await client.get("counter"));
        await new Promise((resolve) => setTimeout(resolve, 1));
        await client.set("counter", String(value + 1));
      });
    await Promise.all(Array.from({ length: 30 }, (_, index) => increment(index % 2 === 0 ? clientA : clientB)));
    expect(await clientA.get("counter")).toBe("30");
    expect(await clientA.exists("lock")).toBe(0);
  });

  it("a lock held too long is UNAVAILABLE to a waiter; one whose holder died frees itself after its TTL", async () => {
    await clientA.set("lock", "someone-else", "PX", 400);
    const refused = await withLock(clientB, "lock", async () => "ran", { waitMs: 100 }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe("UNAVAILABLE");
    expect(await withLock(clientB, "lock", async () => "ran", { waitMs: 2_000 })).toBe("ran");
  });

  it("releasing never deletes a lock that another holder took after this one expired", async () => {
    await withLock(clientA, "lock", async () => {
      await clientA.set("lock", "successor"); // as if the TTL ran out and B took it
    });
    expect(await clientA.get("lock")).toBe("successor");
  });
});

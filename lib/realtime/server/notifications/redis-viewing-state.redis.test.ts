// What each socket shows, shared through a real Redis by two connections (two processes).
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import type { RedisClient } from "@/lib/redis/client";
import { startTestRedis, type TestRedis } from "@/test/support/redis";
import { closeClients, connectStateClient } from "@/test/support/redis-clients";
import { createRedisViewingState } from "./redis-viewing-state";
import type { ViewingState } from "./viewing-state";

let redis: TestRedis;
let clientA: RedisClient;
let clientB: RedisClient;
let a: ViewingState;
let b: ViewingState;

beforeAll(async () => {
  redis = await startTestRedis();
  [clientA, clientB] = await Promise.all([connectStateClient(redis.url), connectStateClient(redis.url)]);
  a = createRedisViewingState(clientA);
  b = createRedisViewingState(clientB);
});

afterAll(async () => {
  await closeClients(clientA, clientB);
  await redis?.stop();
});

beforeEach(async () => {
  await clientA.flushall();
});

describe("redis viewing state", () => {
  it("a socket on one process showing a conversation is seen from the other", async () => {
    await a.set("u1", "s1", "c1");
    await b.set("u1", "s2", "c2");
    expect(await b.isViewing("u1", "c1")).toBe(true);
    expect(await a.isViewing("u1", "c2")).toBe(true);
    await a.set("u1", "s1", "c2");
    expect(await b.isViewing("u1", "c1")).toBe(false);
    await a.set("u1", "s1", null);
    await b.remove("u1", "s2");
    await b.remove("u1", "unknown");
    expect(await a.isViewing("u1", "c2")).toBe(false);
    expect(await clientA.exists("parley:viewing:u1")).toBe(0);
  });

  it("finds the viewers among a room of 100 in one round trip", async () => {
    const users = Array.from({ length: 100 }, (_, index) => `u${index}`);
    await Promise.all(users.map((userId, index) => (index % 2 ? a : b).set(userId, `s${index}`, index % 10 === 0 ? "room" : "elsewhere")));
    await a.set("u7", "second-tab", "room");
    await a.viewersAmong(["warm-up"], "room"); // loads the script into Redis
    const sent = vi.spyOn(clientA, "sendCommand");
    const viewers = await a.viewersAmong(users, "room");
    expect(sent).toHaveBeenCalledTimes(1);
    sent.mockRestore();
    expect(viewers).toEqual(new Set(["u0", "u7", "u10", "u20", "u30", "u40", "u50", "u60", "u70", "u80", "u90"]));
    expect(await b.viewersAmong([], "room")).toEqual(new Set());
  });
});

// Two processes' membership caches, each wired to a real Redis on its own connection: an
// invalidation in one reaches the other; a subscriber that was cut off drops everything.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import type { RedisClient } from "@/lib/redis/client";
import { startTestRedis, type TestRedis } from "@/test/support/redis";
import { closeClients, connectStateClient, silentLogger } from "@/test/support/redis-clients";
import { type ConversationAccess, createMemoryMembershipCache, type MembershipCache } from "./membership-cache";
import { startMembershipInvalidation } from "./membership-invalidation";

const access = (...memberIds: string[]): ConversationAccess => ({
  kind: "group",
  roles: new Map(memberIds.map((id) => [id, "member" as const])),
  memberIds: new Set(memberIds),
  isBlocked: false,
});

/** One process: its cache over a shared "database", counting its own loads. */
function processCache(rows: Map<string, ConversationAccess>) {
  const loads: string[] = [];
  const cache = createMemoryMembershipCache({
    load: async (conversationId) => {
      loads.push(conversationId);
      return rows.get(conversationId) ?? null;
    },
  });
  return { cache, loads };
}

let redis: TestRedis;
let clientA: RedisClient;
let clientB: RedisClient;
const rows = new Map<string, ConversationAccess>();
let a: { cache: MembershipCache; loads: string[] };
let b: { cache: MembershipCache; loads: string[] };
let stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  redis = await startTestRedis();
  [clientA, clientB] = await Promise.all([connectStateClient(redis.url), connectStateClient(redis.url)]);
  a = processCache(rows);
  b = processCache(rows);
  stops = await Promise.all([startMembershipInvalidation(clientA, silentLogger, a.cache), startMembershipInvalidation(clientB, silentLogger, b.cache)]);
});

afterAll(async () => {
  for (const stop of stops) await stop();
  await closeClients(clientA, clientB);
  await redis?.stop();
});

describe("membership invalidation across processes", () => {
  it("an invalidation on one process clears the other's copy", async () => {
    rows.set("c1", access("alice", "bob"));
    rows.set("c2", access("carol"));
    await Promise.all([a.cache.get("c1"), b.cache.get("c1"), b.cache.get("c2")]);
    expect((await b.cache.get("c1"))?.memberIds.has("bob")).toBe(true);

    rows.set("c1", access("alice")); // bob removed, committed by process A
    a.cache.invalidate("c1");
    await vi.waitFor(async () => expect((await b.cache.get("c1"))?.memberIds.has("bob")).toBe(false), { timeout: 2_000, interval: 20 });
    expect(b.loads.filter((id) => id === "c2")).toEqual(["c2"]); // other entries stay
  });

  it("after a Redis outage a subscriber drops its whole cache (invalidations may have been missed)", async () => {
    rows.set("c3", access("dave"));
    await b.cache.get("c3");
    await redis.stop();
    rows.set("c3", access("erin")); // changed while nobody could be told
    await redis.start();
    await vi.waitFor(async () => expect((await b.cache.get("c3"))?.memberIds.has("erin")).toBe(true), { timeout: 10_000, interval: 100 });
  });
});

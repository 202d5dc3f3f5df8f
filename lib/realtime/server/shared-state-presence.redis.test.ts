// installRedisPresence wires the process-wide states to a real Redis, and its stop function puts
// the memory defaults back.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import { INSTANCE_ID } from "@/lib/ops/instance";
import type { RedisClient } from "@/lib/redis/client";
import { getMembershipCache } from "@/lib/services/membership-cache";
import { MEMBERSHIP_INVALIDATE_CHANNEL } from "@/lib/services/membership-invalidation";
import { startTestRedis, type TestRedis } from "@/test/support/redis";
import { closeClients, connectStateClient, silentLogger } from "@/test/support/redis-clients";
import { INSTANCES_KEY, trackSocket, untrackSocket } from "./instances";
import { getViewingState } from "./notifications/viewing-state";
import { getPresenceState } from "./presence/presence-state";
import { installRedisPresence } from "./shared-state-presence";

let redis: TestRedis;
let client: RedisClient;
let other: RedisClient;

beforeAll(async () => {
  redis = await startTestRedis();
  [client, other] = await Promise.all([connectStateClient(redis.url), connectStateClient(redis.url)]);
});

afterAll(async () => {
  await closeClients(client, other);
  await redis?.stop();
});

describe("installRedisPresence", () => {
  it("shares presence, viewing, socket tracking and membership invalidations until stopped", async () => {
    const published: string[] = [];
    const subscriber = other.duplicate({ enableOfflineQueue: true });
    await subscriber.subscribe(MEMBERSHIP_INVALIDATE_CHANNEL);
    subscriber.on("message", (_channel: string, conversationId: string) => published.push(conversationId));

    const stop = await installRedisPresence({ redis: client, logger: silentLogger });
    try {
      await getPresenceState().addSocket("u1", "s1");
      await getViewingState().set("u1", "s1", "c1");
      await trackSocket("u1", "s1");
      expect(await other.hget("parley:presence:user:u1", "last")).toBe("online");
      expect(await other.hget("parley:viewing:u1", "s1")).toBe("c1");
      expect(await other.smembers(`parley:instance:${INSTANCE_ID}:sockets`)).toEqual(["u1|s1"]);
      expect(await other.smembers(INSTANCES_KEY)).toEqual([INSTANCE_ID]);
      expect(await other.exists(`parley:instance:${INSTANCE_ID}`)).toBe(1);
      getMembershipCache().invalidate("c9");
      await vi.waitFor(() => expect(published).toEqual(["c9"]), { timeout: 2_000, interval: 20 });
      await untrackSocket("u1", "s1");
      expect(await other.exists(`parley:instance:${INSTANCE_ID}:sockets`)).toBe(0);
    } finally {
      await stop();
    }

    // Memory again: nothing reaches Redis any more.
    await getPresenceState().addSocket("u2", "s2");
    await getViewingState().set("u2", "s2", "c2");
    await trackSocket("u2", "s2");
    getMembershipCache().invalidate("c10");
    expect(await getPresenceState().connectionOf("u1")).toBe("offline");
    expect(await other.exists("parley:presence:user:u2", "parley:viewing:u2", `parley:instance:${INSTANCE_ID}:sockets`)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(published).toEqual(["c9"]);
    await subscriber.quit();
  });
});

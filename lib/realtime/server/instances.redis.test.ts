// Processes dying without their disconnect handlers: three trackers on three connections stand for
// three server processes sharing a real Redis.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import type { RedisClient } from "@/lib/redis/client";
import { startTestRedis, type TestRedis } from "@/test/support/redis";
import { closeClients, connectStateClient, silentLogger } from "@/test/support/redis-clients";
import { createInstanceTracker, type DeadListeners, INSTANCES_KEY, type InstanceTracker } from "./instances";

const TTL_MS = 300;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let redis: TestRedis;
let clients: RedisClient[];
const trackers: InstanceTracker[] = [];

/** A process: its own connection and listeners; timers slow enough that the test drives reaping. */
async function startProcess(instanceId: string, client: RedisClient, options: { reapMs?: number; claimMs?: number; onPresumedDead?: () => void } = {}) {
  const calls: string[] = [];
  const deadInstances: string[] = [];
  const listeners: DeadListeners = {
    sockets: new Set([(userId: string, socketId: string) => void calls.push(`${userId}|${socketId}`)]),
    instances: new Set([(id: string) => void deadInstances.push(id)]),
  };
  const tracker = await createInstanceTracker({
    redis: client,
    logger: silentLogger,
    instanceId,
    listeners,
    ttlMs: TTL_MS,
    refreshMs: 50,
    reapMs: options.reapMs ?? 60_000,
    ...(options.claimMs ? { claimMs: options.claimMs } : {}),
    ...(options.onPresumedDead ? { onPresumedDead: options.onPresumedDead } : {}),
  });
  trackers.push(tracker);
  return { tracker, calls, deadInstances, listeners };
}

beforeAll(async () => {
  redis = await startTestRedis();
  clients = await Promise.all([1, 2, 3].map(() => connectStateClient(redis.url)));
});

afterAll(async () => {
  await closeClients(...(clients ?? []));
  await redis?.stop();
});

beforeEach(async () => {
  await clients[0]!.flushall();
});

afterEach(() => {
  for (const tracker of trackers.splice(0)) tracker.stop();
});

describe("instance liveness and the reaper", () => {
  it("a dead process's sockets are released once, by exactly one of the reapers", async () => {
    const a = await startProcess("A", clients[0]!);
    const b = await startProcess("B", clients[1]!);
    const c = await startProcess("C", clients[2]!);
    await a.tracker.track("u1", "s1");
    await a.tracker.track("u1", "s2");
    await a.tracker.track("u|odd", "s3");
    await a.tracker.track("u2", "closed");
    await a.tracker.untrack("u2", "closed");

    // Alive: nothing to reap.
    await wait(TTL_MS + 100);
    expect(await b.tracker.reap()).toEqual([]);

    a.tracker.stop(); // SIGKILL: no more refreshes, no disconnect handlers
    await wait(TTL_MS + 100);
    const [byB, byC] = await Promise.all([b.tracker.reap(), c.tracker.reap()]);
    expect([...byB, ...byC]).toEqual(["A"]);
    expect([...b.calls, ...c.calls].sort()).toEqual(["u1|s1", "u1|s2", "u|odd|s3"]);
    expect([...b.deadInstances, ...c.deadInstances]).toEqual(["A"]);

    // Gone for good: nobody reaps it again, and its bookkeeping is deleted.
    expect(await c.tracker.reap()).toEqual([]);
    expect(await b.tracker.reap()).toEqual([]);
    expect(await clients[0]!.smembers(INSTANCES_KEY)).toEqual(expect.not.arrayContaining(["A"]));
    expect(await clients[0]!.exists("parley:instance:A:sockets", "parley:instance:A:reaper")).toBe(0);
    expect(b.calls.length + c.calls.length).toBe(3);
  });

  it("reaps on its own timer", async () => {
    const a = await startProcess("A", clients[0]!);
    const b = await startProcess("B", clients[1]!, { reapMs: 50 });
    await a.tracker.track("u1", "s1");
    a.tracker.stop();
    await vi.waitFor(() => expect(b.calls).toEqual(["u1|s1"]), { timeout: 3_000, interval: 50 });
  });

  it("a socket whose listener failed stays listed and is retried after the claim expires", async () => {
    const a = await startProcess("A", clients[0]!);
    const b = await startProcess("B", clients[1]!, { claimMs: 200 });
    let failures = 1;
    b.listeners.sockets.add((_userId, socketId) => {
      if (socketId === "s2" && failures-- > 0) throw new Error("database away");
    });
    await a.tracker.track("u1", "s1");
    await a.tracker.track("u1", "s2");
    a.tracker.stop();
    await wait(TTL_MS + 100);
    expect(await b.tracker.reap()).toEqual(["A"]);
    expect(await clients[0]!.smembers("parley:instance:A:sockets")).toEqual(["u1|s2"]);
    expect(await b.tracker.reap()).toEqual([]); // still claimed
    await wait(250);
    expect(await b.tracker.reap()).toEqual(["A"]);
    expect(b.calls.sort()).toEqual(["u1|s1", "u1|s2", "u1|s2"]);
    expect(await clients[0]!.exists("parley:instance:A:sockets")).toBe(0);
  });

  it("a socket listed while the reap ran is not forgotten with the instance", async () => {
    const a = await startProcess("A", clients[0]!);
    const b = await startProcess("B", clients[1]!, { claimMs: 200 });
    let late = true;
    b.listeners.sockets.add(async () => {
      if (!late) return;
      late = false;
      await a.tracker.track("u2", "late"); // a stalled process still accepting a socket
    });
    await a.tracker.track("u1", "s1");
    a.tracker.stop();
    await wait(TTL_MS + 100);
    expect(await b.tracker.reap()).toEqual(["A"]);
    expect(await clients[0]!.smembers(INSTANCES_KEY)).toContain("A");
    await wait(250);
    expect(await b.tracker.reap()).toEqual(["A"]);
    expect(b.calls).toEqual(["u1|s1", "u2|late"]);
    expect(await clients[0]!.smembers(INSTANCES_KEY)).not.toContain("A");
  });

  it("a process whose liveness key vanished (a long stall, Redis lost its data) notices and comes back", async () => {
    const presumedDead = vi.fn();
    await startProcess("A", clients[0]!, { onPresumedDead: presumedDead });
    await clients[0]!.del("parley:instance:A");
    await vi.waitFor(() => expect(presumedDead).toHaveBeenCalledTimes(1), { timeout: 2_000, interval: 20 });
    expect(await clients[0]!.exists("parley:instance:A")).toBe(1);
    expect(await clients[0]!.smembers(INSTANCES_KEY)).toContain("A");
  });
});

/**
 * The Redis match queue against a real Redis, with two queue instances on two connections standing
 * for two server processes, and busy users from the Redis call state.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import type { RedisClient } from "@/lib/redis/client";
import { connectStateClient } from "@/test/support/redis-clients";
import { startTestRedis, type TestRedis } from "@/test/support/redis";
import { newCall } from "../calls/call-machine";
import type { CallState } from "../calls/call-state";
import { createRedisCallState } from "../calls/redis-call-state";
import type { MatchQueue } from "./match-queue";
import { request } from "./queue-test-support";
import { createRedisMatchQueue } from "./redis-match-queue";

const RELAX = 10_000;
const T0 = 1_700_000_000_000;

let redis: TestRedis;
let clientA: RedisClient;
let clientB: RedisClient;
let calls: CallState;
let a: MatchQueue;
let b: MatchQueue;

beforeAll(async () => {
  redis = await startTestRedis();
  [clientA, clientB] = await Promise.all([connectStateClient(redis.url), connectStateClient(redis.url)]);
  calls = createRedisCallState(clientA);
  const busyAmong = (userIds: readonly string[]) => calls.busyAmong(userIds);
  a = createRedisMatchQueue(clientA, { relaxAfterMs: RELAX, busyAmong });
  b = createRedisMatchQueue(clientB, { relaxAfterMs: RELAX, busyAmong });
});

afterAll(async () => {
  calls?.close();
  clientA?.disconnect();
  clientB?.disconnect();
  await redis?.stop();
});

beforeEach(async () => {
  await clientA.flushall();
});

describe("redis match queue", () => {
  it("forty people joining at once through two processes: disjoint pairs, nobody matched twice, nobody left", async () => {
    const results = await Promise.all(Array.from({ length: 40 }, (_, index) => (index % 2 === 0 ? a : b).join(request(`u${index}`, "chill"), T0 + (index % 3))));
    const pairs = results.flatMap((result) => result.pairs);
    const paired = pairs.flatMap((pair) => [pair.caller.userId, pair.callee.userId]);
    expect(pairs).toHaveLength(20);
    expect(new Set(paired).size).toBe(40);
    expect(results.filter((result) => result.queued !== null)).toHaveLength(20);
    expect(await a.size()).toBe(0);
    expect(await b.size()).toBe(0);
  });

  it("one process sees the other's queue: positions, leaving by socket, statuses, exclusions", async () => {
    await a.join(request("v", "venting"), T0);
    const second = await b.join(request("h", "happy"), T0 + 1);
    expect(second.queued?.status).toMatchObject({ position: 2, waiting: 2 });
    expect(await a.size()).toBe(2);
    // A socket that no longer holds the place cannot take it away; the one that does can.
    expect((await b.leave("v", { socketId: "old-tab" }, T0 + 2)).left).toBeNull();
    const left = await b.leave("v", { socketId: "socket-v" }, T0 + 2);
    expect(left.left?.userId).toBe("v");
    expect(left.moved.map((notice) => [notice.userId, notice.status.position])).toEqual([["h", 1]]);
    await a.exclude("h", "c");
    expect((await b.join(request("c", "happy"), T0 + 3)).pairs).toEqual([]);
    expect((await a.status("c", T0 + 3))?.status).toMatchObject({ position: 2, waiting: 2 });
  });

  it("skips someone in a live call (on any process) and pairs them in a later sweep once free", async () => {
    await calls.begin(newCall({ id: "call-1", kind: "audio", callerId: "a", calleeId: "z", conversationId: null, at: new Date(T0) }), "s-a");
    await a.join(request("a", "chill"), T0);
    expect((await b.join(request("b", "chill"), T0 + 1)).pairs).toEqual([]);
    expect((await a.sweep(T0 + 2)).pairs).toEqual([]);
    await calls.apply("call-1", { type: "cancel" }, new Date(T0 + 3));
    const swept = await b.sweep(T0 + 4);
    expect(swept.pairs.map((pair) => [pair.caller.userId, pair.callee.userId])).toEqual([["a", "b"]]);
  });

  it("relaxing is told once, whichever process sweeps", async () => {
    await a.join(request("x", "happy", { preferences: { mood: "happy", language: "de", topic: null } }), T0);
    expect((await a.sweep(T0 + RELAX)).moved.map((notice) => [notice.userId, notice.status.relaxed])).toEqual([["x", true]]);
    expect(await b.sweep(T0 + RELAX + 100)).toEqual({ moved: [], pairs: [] });
  });
});

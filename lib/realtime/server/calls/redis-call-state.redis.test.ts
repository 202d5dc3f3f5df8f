/**
 * The Redis call state against a real Redis, with two state instances on two connections standing
 * for two server processes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { AppError } from "@/lib/errors";
import type { RedisClient } from "@/lib/redis/client";
import { connectStateClient } from "@/test/support/redis-clients";
import { startTestRedis, type TestRedis } from "@/test/support/redis";
import { newCall } from "./call-machine";
import type { CallState, CallTimer } from "./call-state";
import { createRedisCallState } from "./redis-call-state";

const T0 = new Date("2026-01-01T10:00:00.000Z");
const call = (id: string, callerId: string, calleeId: string) => newCall({ id, kind: "video", callerId, calleeId, conversationId: "conv-1", at: T0 });
const POLL_MS = 50;

let redis: TestRedis;
let clientA: RedisClient;
let clientB: RedisClient;
let a: CallState;
let b: CallState;

beforeAll(async () => {
  redis = await startTestRedis();
  [clientA, clientB] = await Promise.all([connectStateClient(redis.url), connectStateClient(redis.url)]);
});

afterAll(async () => {
  a?.close();
  b?.close();
  clientA?.disconnect();
  clientB?.disconnect();
  await redis?.stop();
});

beforeEach(async () => {
  a?.close();
  b?.close();
  await clientA.flushall();
  a = createRedisCallState(clientA, { pollMs: POLL_MS });
  b = createRedisCallState(clientB, { pollMs: POLL_MS });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("redis call state", () => {
  it("shares a call between processes, dates and sockets included", async () => {
    expect(await a.begin(call("c1", "alice", "bob"), "s-alice")).toBe("ok");
    const seen = await b.callOf("bob");
    expect(seen).toEqual({ call: call("c1", "alice", "bob"), callerSocketId: "s-alice", calleeSocketId: null });
    expect(seen?.call.createdAt).toBeInstanceOf(Date);
    expect(await b.busyAmong(["alice", "bob", "carol"])).toEqual(new Set(["alice", "bob"]));
    expect(await b.activeAmong(["alice", "bob"])).toEqual(new Set());
    expect(await b.counts()).toEqual({ ringing: 1, active: 0 });

    const at = new Date(T0.getTime() + 5_000);
    expect(await b.apply("c1", { type: "accept" }, at, { socketId: "s-bob" })).toMatchObject({ ok: true, call: { status: "active", answeredAt: at } });
    const active = await a.get("c1");
    expect(active?.call.answeredAt).toEqual(at);
    expect(active?.calleeSocketId).toBe("s-bob");
    expect(await a.isInActiveCall("alice")).toBe(true);
    expect(await a.activeAmong(["alice", "bob", "carol"])).toEqual(new Set(["alice", "bob"]));
    expect(await a.counts()).toEqual({ ringing: 0, active: 1 });
  });

  it("two processes racing to accept one ringing call: exactly one wins, and its socket is bound", async () => {
    for (let round = 0; round < 25; round += 1) {
      const id = `race-${round}`;
      await a.begin(call(id, `caller-${round}`, `callee-${round}`), "s-caller");
      const [fromA, fromB] = await Promise.all([
        a.apply(id, { type: "accept" }, T0, { socketId: "s-on-a" }),
        b.apply(id, { type: "accept" }, T0, { socketId: "s-on-b" }),
      ]);
      const winners = [fromA, fromB].filter((result) => result.ok);
      expect(winners).toHaveLength(1);
      expect([fromA, fromB].find((result) => !result.ok)).toEqual({ ok: false, reason: "invalid" });
      expect((await a.get(id))?.calleeSocketId).toBe(fromA.ok ? "s-on-a" : "s-on-b");
    }
  });

  it("two processes calling the same person at once: one rings, the other finds them busy", async () => {
    for (let round = 0; round < 25; round += 1) {
      const callee = `callee-${round}`;
      const results = await Promise.all([a.begin(call(`x-${round}`, `p-${round}`, callee), "s-p"), b.begin(call(`y-${round}`, `q-${round}`, callee), "s-q")]);
      expect(results.toSorted()).toEqual(["callee-busy", "ok"]);
      expect(await a.busyAmong([`p-${round}`, `q-${round}`])).toHaveProperty("size", 1);
    }
  });

  it("an ended call leaves Redis at once: no call, user, count or timer keys remain", async () => {
    await a.begin(call("c1", "alice", "bob"), "s-alice");
    await a.apply("c1", { type: "accept" }, T0, { socketId: "s-bob" });
    await a.setTimer("c1", "caller-grace", Date.now() + 60_000);
    expect(await b.apply("c1", { type: "hangup" }, T0)).toMatchObject({ ok: true, call: { status: "ended", outcome: "completed" } });
    expect(await clientA.keys("parley:call:*")).toEqual([]);
    expect(await a.apply("c1", { type: "hangup" }, T0)).toEqual({ ok: false, reason: "unknown" });
    // A timer for a call that is gone is never stored.
    await a.setTimer("c1", "ring", Date.now());
    expect(await clientA.keys("parley:call:*")).toEqual([]);
    expect(await a.counts()).toEqual({ ringing: 0, active: 0 });
  });

  it("binds only over the expected socket, and a grace period's end is refused once the side is back", async () => {
    await a.begin(call("c1", "alice", "bob"), "s-alice");
    // A reconnect on B and the old socket's disconnect on A, in either order: the new socket stays.
    expect(await b.bind("c1", "caller", null, { ifBound: "s-alice" })).toBe(true);
    expect(await b.bind("c1", "caller", "s-alice-2", { ifBound: null })).toBe(true);
    expect(await a.bind("c1", "caller", null, { ifBound: "s-alice" })).toBe(false);
    expect(await a.apply("c1", { type: "disconnect", side: "caller" }, T0, { ifUnbound: "caller" })).toEqual({ ok: false, reason: "rebound" });
    expect((await a.get("c1"))?.callerSocketId).toBe("s-alice-2");
    expect(await a.bind("gone", "caller", "x")).toBe(false);
  });

  it("a timer set by a process that stops fires exactly once, on another process", async () => {
    const firedOnA: [string, CallTimer][] = [];
    const firedOnB: [string, CallTimer][] = [];
    a.onDue((callId, name) => firedOnA.push([callId, name]));
    await a.begin(call("c1", "alice", "bob"), "s-alice");
    await a.setTimer("c1", "ring", Date.now() + 300);
    a.close(); // process A dies: its poller stops
    b.onDue((callId, name) => firedOnB.push([callId, name]));
    await sleep(300 + 10 * POLL_MS);
    expect(firedOnA).toEqual([]);
    expect(firedOnB).toEqual([["c1", "ring"]]);
    await sleep(5 * POLL_MS);
    expect(firedOnB).toHaveLength(1);
  });

  it("with every process polling, each due timer runs once in all; replaced and cleared timers do not run", async () => {
    const fired: string[] = [];
    a.onDue((callId, name) => fired.push(`${callId}|${name}`));
    b.onDue((callId, name) => fired.push(`${callId}|${name}`));
    const ids = Array.from({ length: 30 }, (_, index) => `t-${index}`);
    for (const id of ids) {
      await a.begin(call(id, `${id}-caller`, `${id}-callee`), "s");
      await (id.endsWith("0") ? b : a).setTimer(id, "caller-grace", Date.now() + 100);
    }
    await a.setTimer("t-1", "caller-grace", Date.now() + 60_000); // replaced: later
    await b.setTimer("t-2", "caller-grace", null); // cleared
    await sleep(100 + 10 * POLL_MS);
    const expected = ids.filter((id) => id !== "t-1" && id !== "t-2").map((id) => `${id}|caller-grace`);
    expect(fired.toSorted()).toEqual(expected.toSorted());
  });

  it("an unreachable Redis is UNAVAILABLE, and the state works again once it is back", async () => {
    await a.begin(call("c1", "alice", "bob"), "s-alice");
    await redis.stop();
    const failure = await a.get("c1").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe("UNAVAILABLE");
    await redis.start();
    await expect.poll(() => a.isBusy("alice").catch(() => "down"), { timeout: 10_000, interval: 200 }).toBe(false); // no persistence: the restart lost it
    expect(await a.begin(call("c2", "alice", "bob"), "s-alice")).toBe("ok");
  });
});

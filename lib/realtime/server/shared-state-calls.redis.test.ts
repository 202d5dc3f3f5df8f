import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { RedisClient } from "@/lib/redis/client";
import { connectStateClient } from "@/test/support/redis-clients";
import { startTestRedis, type TestRedis } from "@/test/support/redis";
import { newCall } from "./calls/call-machine";
import { createMemoryCallState, getCallState, onCallTimerDue, setCallState } from "./calls/call-state";
import { getMatchQueue } from "./match/match-queue";
import { installRedisCallAndMatchState } from "./shared-state-calls";

let redis: TestRedis;
let client: RedisClient;

beforeAll(async () => {
  redis = await startTestRedis();
  client = await connectStateClient(redis.url);
});

afterAll(async () => {
  setCallState(createMemoryCallState());
  client?.disconnect();
  await redis?.stop();
});

describe("installing the Redis call and match state", () => {
  it("the handlers' timer work, registered before, runs the Redis state's timers; the queue and the busy check share Redis", async () => {
    const due: string[] = [];
    onCallTimerDue((callId, name) => due.push(`${callId}|${name}`));
    installRedisCallAndMatchState(client, { relaxAfterMs: 10_000 });

    const state = getCallState();
    await state.begin(newCall({ id: "c1", kind: "audio", callerId: "alice", calleeId: "bob", conversationId: null, at: new Date() }), "s-alice");
    expect(await client.get("parley:call:user:bob")).toBe("c1");
    await state.setTimer("c1", "ring", Date.now());
    await expect.poll(() => due, { timeout: 3_000 }).toEqual(["c1|ring"]);

    const queue = getMatchQueue();
    const preferences = { mood: "chill", language: "en", topic: null } as const;
    await queue.join({ userId: "bob", socketId: "s-bob", preferences, exclusions: [] }, Date.now());
    // Bob is in a call (in Redis): Carol waits instead of being paired with him.
    expect((await queue.join({ userId: "carol", socketId: "s-carol", preferences, exclusions: [] }, Date.now())).pairs).toEqual([]);
    expect(Number(await client.get("parley:match:queue-size"))).toBe(2);
  });
});

import { describe, expect, it } from "vitest";

import type { MatchPair, MatchQueue } from "./match-queue";
import { createMemoryMatchQueue } from "./memory-match-queue";
import { request } from "./queue-test-support";

const RELAX = 10_000;
const T0 = 1_700_000_000_000;

function setup(busy: Set<string> = new Set()): MatchQueue {
  return createMemoryMatchQueue({ relaxAfterMs: RELAX, busyAmong: async (userIds) => new Set(userIds.filter((userId) => busy.has(userId))) });
}

const pairIds = (pair: MatchPair | undefined) => (pair ? [pair.caller.userId, pair.callee.userId] : null);

describe("joining and positions", () => {
  it("queues in arrival order per language; a join behind nobody changes no one's position", async () => {
    const queue = setup();
    const first = await queue.join(request("v", "venting"), T0);
    expect(first.queued?.status).toMatchObject({ state: "queued", position: 1, waiting: 1, relaxed: false, estimateSeconds: null });
    expect(first.queued?.status.joinedAt).toBe(new Date(T0).toISOString());
    const second = await queue.join(request("h", "happy"), T0 + 1);
    const third = await queue.join(request("c", "curious"), T0 + 2);
    const german = await queue.join(request("d", "venting", { preferences: { mood: "venting", language: "de", topic: null } }), T0 + 3);
    expect([second.queued?.status.position, third.queued?.status.position, german.queued?.status.position]).toEqual([2, 3, 1]);
    expect(third.queued?.status.waiting).toBe(3);
    for (const result of [second, third, german]) expect(result.moved).toEqual([]);
    expect(await queue.size()).toBe(4);
  });

  it("tells exactly those behind someone who leaves their new position", async () => {
    const queue = setup();
    for (const [index, mood] of (["venting", "happy", "curious"] as const).entries()) await queue.join(request(`u${index}`, mood), T0 + index);
    const left = await queue.leave("u0", {}, T0 + 10);
    expect(left.left?.userId).toBe("u0");
    expect(left.moved.map((notice) => [notice.userId, notice.socketId, notice.status.position, notice.status.waiting])).toEqual([
      ["u1", "socket-u1", 1, 2],
      ["u2", "socket-u2", 2, 2],
    ]);
    // The last one leaving moves nobody.
    expect((await queue.leave("u2", {}, T0 + 11)).moved).toEqual([]);
  });

  it("joining again keeps the place, takes the new preferences and socket, and names the replaced socket", async () => {
    const queue = setup();
    await queue.join(request("a", "venting"), T0);
    await queue.join(request("b", "happy"), T0 + 1);
    const again = await queue.join(request("a", "thoughtful", { socketId: "tab-2", preferences: { mood: "thoughtful", language: "en", topic: "books" } }), T0 + 5);
    expect(again.replacedSocketId).toBe("socket-a");
    expect(again.queued).toMatchObject({ socketId: "tab-2", status: { position: 1, joinedAt: new Date(T0).toISOString(), preferences: { mood: "thoughtful", topic: "books" } } });
    expect(again.moved).toEqual([]);
    const same = await queue.join(request("a", "thoughtful", { socketId: "tab-2" }), T0 + 6);
    expect(same.replacedSocketId).toBeNull();
    // The old socket closing later does not take the place away.
    expect((await queue.leave("a", { socketId: "socket-a" }, T0 + 7)).left).toBeNull();
    expect((await queue.status("a", T0 + 7))?.socketId).toBe("tab-2");
  });

  it("moving to another language keeps the old join time there too, and both lanes hear who moved", async () => {
    const queue = setup();
    await queue.join(request("a", "venting"), T0);
    await queue.join(request("b", "happy"), T0 + 1);
    await queue.join(request("x", "curious", { preferences: { mood: "curious", language: "de", topic: null } }), T0 + 2);
    const moved = await queue.join(request("a", "venting", { preferences: { mood: "venting", language: "de", topic: null } }), T0 + 3);
    expect(moved.queued?.status).toMatchObject({ position: 1, waiting: 2 });
    expect(moved.moved.map((notice) => [notice.userId, notice.status.position])).toEqual([
      ["x", 2],
      ["b", 1],
    ]);
  });
});

describe("pairing", () => {
  it("pairs at once when someone compatible waits; the longer wait calls; both waits feed the estimate", async () => {
    const queue = setup();
    await queue.join(request("a", "chill"), T0);
    await queue.join(request("b", "venting"), T0 + 1_000);
    const result = await queue.join(request("c", "happy"), T0 + 4_000);
    expect(result.queued).toBeNull();
    expect(pairIds(result.pairs[0])).toEqual(["a", "c"]);
    expect(result.pairs[0]?.caller.socketId).toBe("socket-a");
    // b moved up from 2 to 1.
    expect(result.moved.map((notice) => [notice.userId, notice.status.position])).toEqual([["b", 1]]);
    expect((await queue.status("b", T0 + 4_000))?.status.estimateSeconds).toBe(2); // mean of 4 s and 0 s
    expect(await queue.size()).toBe(1);
  });

  it("pairs a hundred and one simultaneous joins into disjoint pairs, leaving exactly one", async () => {
    const queue = setup();
    const results = await Promise.all(Array.from({ length: 101 }, (_, index) => queue.join(request(`u${index}`, "chill"), T0)));
    const pairs = results.flatMap((result) => result.pairs);
    const paired = pairs.flatMap((pair) => [pair.caller.userId, pair.callee.userId]);
    expect(pairs).toHaveLength(50);
    expect(new Set(paired).size).toBe(100);
    expect(await queue.size()).toBe(1);
  });

  it("honours exclusions given at join and added while waiting", async () => {
    const queue = setup();
    await queue.join(request("a", "chill", { exclusions: ["b"] }), T0);
    expect((await queue.join(request("b", "chill"), T0 + 1)).pairs).toEqual([]);
    await queue.exclude("b", "c");
    expect((await queue.join(request("c", "chill"), T0 + 2)).pairs.map(pairIds)).toEqual([["a", "c"]]);
  });

  it("skips a busy candidate and pairs them in a later sweep once free", async () => {
    const busy = new Set(["a"]);
    const queue = setup(busy);
    await queue.join(request("a", "chill"), T0);
    expect((await queue.join(request("b", "chill"), T0 + 1)).pairs).toEqual([]);
    expect((await queue.sweep(T0 + 2)).pairs).toEqual([]);
    busy.delete("a");
    expect((await queue.sweep(T0 + 3)).pairs.map(pairIds)).toEqual([["a", "b"]]);
  });
});

describe("relaxing", () => {
  it("the sweep pairs incompatible moods once a wait relaxes, and tells the relaxed once", async () => {
    const queue = setup();
    await queue.join(request("v", "venting"), T0);
    await queue.join(request("h", "happy"), T0 + 100);
    await queue.join(request("x", "happy", { preferences: { mood: "happy", language: "de", topic: null } }), T0 + 200);
    expect(await queue.sweep(T0 + RELAX - 1)).toEqual({ moved: [], pairs: [] });
    const swept = await queue.sweep(T0 + RELAX);
    expect(swept.pairs.map(pairIds)).toEqual([["v", "h"]]);
    expect(swept.moved).toEqual([]);
    const later = await queue.sweep(T0 + RELAX + 200);
    expect(later.moved.map((notice) => [notice.userId, notice.status.relaxed])).toEqual([["x", true]]);
    expect(await queue.sweep(T0 + RELAX + 500)).toEqual({ moved: [], pairs: [] });
  });

  it("a newcomer of any mood takes a relaxed waiter at once, and an ack carrying relaxed is not pushed again", async () => {
    const queue = setup();
    await queue.join(request("v", "venting"), T0);
    await queue.join(request("c", "curious", { preferences: { mood: "curious", language: "de", topic: null } }), T0);
    expect((await queue.status("c", T0 + RELAX))?.status.relaxed).toBe(true);
    const swept = await queue.sweep(T0 + RELAX);
    expect(swept.moved.map((notice) => notice.userId)).toEqual(["v"]);
    const joined = await queue.join(request("h", "happy"), T0 + RELAX + 1);
    expect(joined.pairs.map(pairIds)).toEqual([["v", "h"]]);
  });
});

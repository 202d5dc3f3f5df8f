import { describe, expect, it } from "vitest";

import { type ConversationAccess, createMemoryMembershipCache } from "./membership-cache";

function access(...memberIds: string[]): ConversationAccess {
  const roles = new Map(memberIds.map((id, index) => [id, index === 0 ? ("admin" as const) : ("member" as const)]));
  return { kind: "group", roles, memberIds: new Set(memberIds), isBlocked: false };
}

/** A loader that counts its calls and answers from a mutable "database". */
function fakeDatabase(rows: Record<string, ConversationAccess>) {
  const calls: string[] = [];
  const load = async (conversationId: string) => {
    calls.push(conversationId);
    return rows[conversationId] ?? null;
  };
  return { rows, calls, load };
}

describe("memory membership cache", () => {
  it("loads on a miss, then answers from memory", async () => {
    const db = fakeDatabase({ c1: access("a", "b") });
    const cache = createMemoryMembershipCache({ load: db.load });
    expect((await cache.get("c1"))?.memberIds.has("b")).toBe(true);
    expect((await cache.get("c1"))?.memberIds.has("b")).toBe(true);
    expect(db.calls).toEqual(["c1"]);
  });

  it("shares one load between concurrent misses and does not remember unknown conversations", async () => {
    const db = fakeDatabase({ c1: access("a") });
    const cache = createMemoryMembershipCache({ load: db.load });
    await Promise.all([cache.get("c1"), cache.get("c1"), cache.get("c1")]);
    expect(db.calls).toEqual(["c1"]);
    expect(await cache.get("nope")).toBeNull();
    db.rows.nope = access("x");
    expect((await cache.get("nope"))?.memberIds.has("x")).toBe(true);
  });

  it("reloads after invalidate", async () => {
    const db = fakeDatabase({ c1: access("a", "b") });
    const cache = createMemoryMembershipCache({ load: db.load });
    await cache.get("c1");
    db.rows.c1 = access("a");
    cache.invalidate("c1");
    expect((await cache.get("c1"))?.memberIds.has("b")).toBe(false);
    expect(db.calls).toEqual(["c1", "c1"]);
  });

  it("hands invalidations to the peer notifier; forget and clear stay local", async () => {
    const db = fakeDatabase({ c1: access("a"), c2: access("b") });
    const cache = createMemoryMembershipCache({ load: db.load });
    const sent: string[] = [];
    cache.setPeerNotifier((conversationId) => sent.push(conversationId));
    await Promise.all([cache.get("c1"), cache.get("c2")]);
    cache.invalidate("c1");
    cache.forget("c2");
    await Promise.all([cache.get("c1"), cache.get("c2")]);
    cache.clear();
    await cache.get("c1");
    expect(sent).toEqual(["c1"]);
    expect(db.calls).toEqual(["c1", "c2", "c1", "c2", "c1"]);
    cache.setPeerNotifier(null);
    cache.invalidate("c1");
    expect(sent).toEqual(["c1"]);
  });

  it("keeps a load that an invalidation overtook out of the cache", async () => {
    let release: (value: ConversationAccess) => void = () => undefined;
    const calls: string[] = [];
    const cache = createMemoryMembershipCache({
      load: (conversationId) => {
        calls.push(conversationId);
        return calls.length === 1 ? new Promise((resolve) => (release = resolve)) : Promise.resolve(access("a"));
      },
    });
    const stale = cache.get("c1");
    cache.invalidate("c1");
    release(access("a", "removed"));
    expect((await stale)?.memberIds.has("removed")).toBe(true); // the caller that asked before still gets its answer
    expect((await cache.get("c1"))?.memberIds.has("removed")).toBe(false);
    expect(calls).toEqual(["c1", "c1"]);
  });

  it("is bounded: the least recently used conversation is evicted first", async () => {
    const db = fakeDatabase({ c1: access("a"), c2: access("a"), c3: access("a") });
    const cache = createMemoryMembershipCache({ load: db.load, maxConversations: 2 });
    await cache.get("c1");
    await cache.get("c2");
    await cache.get("c1"); // c2 is now the least recently used
    await cache.get("c3");
    db.calls.length = 0;
    await cache.get("c1");
    await cache.get("c3");
    expect(db.calls).toEqual([]);
    await cache.get("c2");
    expect(db.calls).toEqual(["c2"]);
  });

  it("propagates a failed load and retries on the next call", async () => {
    let fail = true;
    const cache = createMemoryMembershipCache({
      load: async () => {
        if (fail) throw new Error("database down");
        return access("a");
      },
    });
    await expect(cache.get("c1")).rejects.toThrow("database down");
    fail = false;
    expect((await cache.get("c1"))?.memberIds.has("a")).toBe(true);
  });
});

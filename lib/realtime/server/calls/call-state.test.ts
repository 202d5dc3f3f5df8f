import { afterEach, describe, expect, it, vi } from "vitest";

import { newCall } from "./call-machine";
import { createMemoryCallState } from "./call-state";

const T0 = new Date("2026-01-01T10:00:00.000Z");
const call = (id: string, callerId: string, calleeId: string) => newCall({ id, kind: "audio", callerId, calleeId, conversationId: null, at: T0 });

afterEach(() => {
  vi.useRealTimers();
});

describe("memory call state", () => {
  it("a user in any live call is busy, on either side; a second call to or from them is refused", async () => {
    const state = createMemoryCallState();
    expect(await state.begin(call("c1", "alice", "bob"), "s-alice")).toBe("ok");
    expect(await state.isBusy("alice")).toBe(true);
    expect(await state.isBusy("bob")).toBe(true);
    expect(await state.isBusy("carol")).toBe(false);
    expect(await state.begin(call("c2", "carol", "bob"), "s-carol")).toBe("callee-busy");
    expect(await state.begin(call("c3", "carol", "alice"), "s-carol")).toBe("callee-busy");
    expect(await state.begin(call("c4", "bob", "carol"), "s-bob")).toBe("caller-busy");
    expect(await state.get("c2")).toBeNull();
    expect((await state.callOf("bob"))?.call.id).toBe("c1");
    expect(await state.busyAmong(["alice", "carol", "bob"])).toEqual(new Set(["alice", "bob"]));
  });

  it("the first accept wins and binds its socket; a second sees the call already active", async () => {
    const state = createMemoryCallState();
    await state.begin(call("c1", "alice", "bob"), "s-alice");
    expect(await state.isInActiveCall("bob")).toBe(false);
    const [first, second] = await Promise.all([
      state.apply("c1", { type: "accept" }, T0, { socketId: "s-bob-1" }),
      state.apply("c1", { type: "accept" }, T0, { socketId: "s-bob-2" }),
    ]);
    expect(first.ok).toBe(true);
    expect(second).toEqual({ ok: false, reason: "invalid" });
    expect(await state.get("c1")).toMatchObject({ callerSocketId: "s-alice", calleeSocketId: "s-bob-1" });
    expect(await state.isInActiveCall("alice")).toBe(true);
    expect(await state.activeAmong(["alice", "bob", "carol"])).toEqual(new Set(["alice", "bob"]));
    expect(await state.counts()).toEqual({ ringing: 0, active: 1 });
  });

  it("an ended call leaves the state, frees both users and clears its timers", async () => {
    vi.useFakeTimers();
    const state = createMemoryCallState();
    const fired = vi.fn();
    state.onDue(fired);
    await state.begin(call("c1", "alice", "bob"), "s-alice");
    await state.setTimer("c1", "ring", Date.now() + 1_000);
    await state.setTimer("c1", "caller-grace", Date.now() + 1_000);
    const result = await state.apply("c1", { type: "cancel" }, T0);
    expect(result).toMatchObject({ ok: true, call: { status: "ended", outcome: "cancelled" } });
    expect(await state.get("c1")).toBeNull();
    expect((await state.isBusy("alice")) || (await state.isBusy("bob"))).toBe(false);
    expect(await state.apply("c1", { type: "hangup" }, T0)).toEqual({ ok: false, reason: "unknown" });
    // A timer set for a call that is gone is never set.
    await state.setTimer("c1", "ring", Date.now() + 1_000);
    vi.advanceTimersByTime(2_000);
    expect(fired).not.toHaveBeenCalled();
  });

  it("a due timer runs the registered handler once; replacing or clearing cancels the previous one", async () => {
    vi.useFakeTimers();
    const state = createMemoryCallState();
    const fired = vi.fn();
    state.onDue(fired);
    await state.begin(call("c1", "alice", "bob"), "s-alice");
    await state.setTimer("c1", "caller-grace", Date.now() + 1_000);
    await state.setTimer("c1", "caller-grace", Date.now() + 3_000);
    await state.setTimer("c1", "ring", Date.now() + 1_000);
    await state.setTimer("c1", "ring", null);
    vi.advanceTimersByTime(2_000);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_500);
    expect(fired.mock.calls).toEqual([["c1", "caller-grace"]]);
  });

  it("binds and unbinds a side's socket, and with ifBound only over the expected one", async () => {
    const state = createMemoryCallState();
    await state.begin(call("c1", "alice", "bob"), "s-alice");
    expect(await state.bind("c1", "caller", null, { ifBound: "s-other" })).toBe(false);
    expect(await state.bind("c1", "caller", null, { ifBound: "s-alice" })).toBe(true);
    expect((await state.get("c1"))?.callerSocketId).toBeNull();
    expect(await state.bind("c1", "caller", "s-alice-2", { ifBound: null })).toBe(true);
    expect(await state.bind("c1", "caller", "s-alice-3", { ifBound: null })).toBe(false);
    expect((await state.get("c1"))?.callerSocketId).toBe("s-alice-2");
    expect(await state.bind("missing", "caller", "x")).toBe(false);
    expect(await state.get("missing")).toBeNull();
  });

  it("ifUnbound: a grace period's end is refused once the side is back", async () => {
    const state = createMemoryCallState();
    await state.begin(call("c1", "alice", "bob"), "s-alice");
    await state.bind("c1", "caller", null);
    await state.bind("c1", "caller", "s-alice-2");
    expect(await state.apply("c1", { type: "disconnect", side: "caller" }, T0, { ifUnbound: "caller" })).toEqual({ ok: false, reason: "rebound" });
    await state.bind("c1", "caller", null);
    expect(await state.apply("c1", { type: "disconnect", side: "caller" }, T0, { ifUnbound: "caller" })).toMatchObject({ ok: true, call: { status: "ended" } });
  });
});

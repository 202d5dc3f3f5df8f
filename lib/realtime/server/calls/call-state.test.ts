import { afterEach, describe, expect, it, vi } from "vitest";

import { newCall } from "./call-machine";
import { createMemoryCallState } from "./call-state";

const T0 = new Date("2026-01-01T10:00:00.000Z");
const call = (id: string, callerId: string, calleeId: string) => newCall({ id, kind: "audio", callerId, calleeId, conversationId: null, at: T0 });

afterEach(() => {
  vi.useRealTimers();
});

describe("memory call state", () => {
  it("a user in any live call is busy, on either side; a second call to or from them is refused", () => {
    const state = createMemoryCallState();
    expect(state.begin(call("c1", "alice", "bob"), "s-alice")).toBe("ok");
    expect(state.isBusy("alice")).toBe(true);
    expect(state.isBusy("bob")).toBe(true);
    expect(state.isBusy("carol")).toBe(false);
    expect(state.begin(call("c2", "carol", "bob"), "s-carol")).toBe("callee-busy");
    expect(state.begin(call("c3", "carol", "alice"), "s-carol")).toBe("callee-busy");
    expect(state.begin(call("c4", "bob", "carol"), "s-bob")).toBe("caller-busy");
    expect(state.get("c2")).toBeNull();
    expect(state.callOf("bob")?.call.id).toBe("c1");
    expect(state.isBusy("carol")).toBe(false);
  });

  it("the first accept wins and binds its socket; a second sees the call already active", () => {
    const state = createMemoryCallState();
    state.begin(call("c1", "alice", "bob"), "s-alice");
    expect(state.isInActiveCall("bob")).toBe(false);
    const first = state.apply("c1", { type: "accept" }, T0, "s-bob-1");
    expect(first.ok).toBe(true);
    expect(state.apply("c1", { type: "accept" }, T0, "s-bob-2")).toEqual({ ok: false, reason: "invalid" });
    expect(state.get("c1")).toMatchObject({ callerSocketId: "s-alice", calleeSocketId: "s-bob-1" });
    expect(state.isInActiveCall("alice")).toBe(true);
    expect(state.isInActiveCall("bob")).toBe(true);
  });

  it("an ended call leaves the state, frees both users and clears its timers", () => {
    vi.useFakeTimers();
    const state = createMemoryCallState();
    state.begin(call("c1", "alice", "bob"), "s-alice");
    const fired = vi.fn();
    state.setTimer("c1", "ring", setTimeout(fired, 1_000));
    state.setTimer("c1", "caller-grace", setTimeout(fired, 1_000));
    const result = state.apply("c1", { type: "cancel" }, T0);
    expect(result).toMatchObject({ ok: true, call: { status: "ended", outcome: "cancelled" } });
    expect(state.get("c1")).toBeNull();
    expect(state.isBusy("alice") || state.isBusy("bob")).toBe(false);
    expect(state.apply("c1", { type: "hangup" }, T0)).toEqual({ ok: false, reason: "unknown" });
    vi.advanceTimersByTime(2_000);
    expect(fired).not.toHaveBeenCalled();
    // A timer set for a call that is gone is cleared at once.
    state.setTimer("c1", "ring", setTimeout(fired, 1_000));
    vi.advanceTimersByTime(2_000);
    expect(fired).not.toHaveBeenCalled();
  });

  it("replacing or clearing a timer cancels the previous one", () => {
    vi.useFakeTimers();
    const state = createMemoryCallState();
    state.begin(call("c1", "alice", "bob"), "s-alice");
    const first = vi.fn();
    const second = vi.fn();
    state.setTimer("c1", "caller-grace", setTimeout(first, 1_000));
    state.setTimer("c1", "caller-grace", setTimeout(second, 1_000));
    vi.advanceTimersByTime(1_500);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledOnce();
    const third = vi.fn();
    state.setTimer("c1", "ring", setTimeout(third, 1_000));
    state.setTimer("c1", "ring", null);
    vi.advanceTimersByTime(1_500);
    expect(third).not.toHaveBeenCalled();
  });

  it("binds and unbinds a side's socket", () => {
    const state = createMemoryCallState();
    state.begin(call("c1", "alice", "bob"), "s-alice");
    state.bind("c1", "caller", null);
    expect(state.get("c1")?.callerSocketId).toBeNull();
    state.bind("c1", "caller", "s-alice-2");
    expect(state.get("c1")?.callerSocketId).toBe("s-alice-2");
    state.bind("missing", "caller", "x");
    expect(state.get("missing")).toBeNull();
  });
});

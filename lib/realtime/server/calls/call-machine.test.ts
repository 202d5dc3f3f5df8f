import { describe, expect, it } from "vitest";

import { type CallEvent, type CallRecord, chatLineOf, durationOf, formatDuration, newCall, otherSide, sideOf, transition } from "./call-machine";

const T0 = new Date("2026-01-01T10:00:00.000Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const ringing = (kind: "audio" | "video" = "audio"): CallRecord =>
  newCall({ id: "c1", kind, callerId: "alice", calleeId: "bob", conversationId: "conv", at: T0 });

function must(call: CallRecord, event: CallEvent, when: Date): CallRecord {
  const result = transition(call, event, when);
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.call;
}

describe("call machine", () => {
  it("starts ringing with nothing decided", () => {
    expect(ringing()).toMatchObject({ status: "ringing", outcome: null, endReason: null, answeredAt: null, endedAt: null, durationSeconds: 0 });
  });

  it("ringing → active → ended(hangup) completes with the whole seconds between answer and end", () => {
    const active = must(ringing(), { type: "accept" }, at(3));
    expect(active).toMatchObject({ status: "active", answeredAt: at(3), outcome: null });
    const ended = must(active, { type: "hangup" }, new Date(at(3).getTime() + 201_900));
    expect(ended).toMatchObject({ status: "ended", outcome: "completed", endReason: "hangup", durationSeconds: 201 });
  });

  it.each([
    [{ type: "decline" }, "declined", "declined"],
    [{ type: "cancel" }, "cancelled", "cancelled"],
    [{ type: "timeout" }, "missed", "timeout"],
    [{ type: "offline" }, "missed", "offline"],
    [{ type: "busy" }, "busy", "busy"],
    [{ type: "fail" }, "failed", "failed"],
    [{ type: "disconnect", side: "caller" }, "cancelled", "disconnected"],
    [{ type: "disconnect", side: "callee" }, "missed", "disconnected"],
  ] as [CallEvent, string, string][])("ringing → ended on %o: outcome %s, reason %s, no duration", (event, outcome, reason) => {
    const ended = must(ringing(), event, at(30));
    expect(ended).toMatchObject({ status: "ended", outcome, endReason: reason, endedAt: at(30), durationSeconds: 0, answeredAt: null });
  });

  it("an active call that drops or fails is failed, with its duration", () => {
    const active = must(ringing(), { type: "accept" }, at(1));
    expect(must(active, { type: "disconnect", side: "callee" }, at(61))).toMatchObject({ outcome: "failed", endReason: "disconnected", durationSeconds: 60 });
    expect(must(active, { type: "fail" }, at(11))).toMatchObject({ outcome: "failed", endReason: "failed", durationSeconds: 10 });
  });

  it("refuses what does not apply: hangup while ringing, accept/decline/cancel/timeout once active", () => {
    expect(transition(ringing(), { type: "hangup" }, at(1))).toEqual({ ok: false, reason: "invalid" });
    const active = must(ringing(), { type: "accept" }, at(1));
    for (const type of ["accept", "decline", "cancel", "timeout", "offline", "busy"] as const) {
      expect(transition(active, { type }, at(2))).toEqual({ ok: false, reason: "invalid" });
    }
  });

  it("nothing moves an ended call", () => {
    const ended = must(ringing(), { type: "timeout" }, at(30));
    for (const event of [{ type: "accept" }, { type: "hangup" }, { type: "fail" }, { type: "disconnect", side: "caller" }] as CallEvent[]) {
      expect(transition(ended, event, at(31))).toEqual({ ok: false, reason: "ended" });
    }
  });

  it("does not change the record it was given", () => {
    const call = ringing();
    must(call, { type: "accept" }, at(1));
    expect(call.status).toBe("ringing");
  });

  it("sides", () => {
    expect(sideOf(ringing(), "alice")).toBe("caller");
    expect(sideOf(ringing(), "bob")).toBe("callee");
    expect(sideOf(ringing(), "mallory")).toBeNull();
    expect(otherSide("caller")).toBe("callee");
  });

  it("durations and chat lines", () => {
    expect(durationOf(null, at(5))).toBe(0);
    expect(durationOf(at(10), at(5))).toBe(0);
    expect(formatDuration(0)).toBe("0:00");
    expect(formatDuration(201)).toBe("3:21");
    expect(formatDuration(3_725)).toBe("1:02:05");
    const video = ringing("video");
    expect(chatLineOf(must(video, { type: "timeout" }, at(30)))).toBe("Missed video call");
    expect(chatLineOf(must(ringing(), { type: "offline" }, at(0)))).toBe("Missed audio call");
    expect(chatLineOf(must(ringing(), { type: "decline" }, at(2)))).toBe("Declined audio call");
    expect(chatLineOf(must(ringing(), { type: "cancel" }, at(2)))).toBe("Cancelled audio call");
    expect(chatLineOf(must(ringing(), { type: "busy" }, at(0)))).toBeNull();
    expect(chatLineOf(must(ringing(), { type: "fail" }, at(0)))).toBeNull();
    const active = must(video, { type: "accept" }, at(0));
    expect(chatLineOf(must(active, { type: "hangup" }, at(201)))).toBe("Video call · 3:21");
    expect(chatLineOf(must(active, { type: "disconnect", side: "caller" }, at(5)))).toBe("Video call · 0:05");
  });
});

import { describe, expect, it } from "vitest";

import { callFixture as call } from "./call-fixture";
import { callReducer, initialCallMachineState, isInCall, type CallEvent, type CallMachineState } from "./call-machine";

const active = call({ status: "active", answeredAt: "2030-01-01T00:00:02.000Z" });
const ended = call({ status: "ended", outcome: "completed", endReason: "hangup", durationSeconds: 5 });

function run(...events: CallEvent[]): CallMachineState {
  return events.reduce(callReducer, initialCallMachineState);
}

describe("callReducer", () => {
  it("caller: dialed → ringing → connecting on accept → active once media connects → ended", () => {
    expect(run({ type: "dialed", call: call() })).toMatchObject({ phase: "outgoing-ringing", role: "caller" });
    expect(run({ type: "dialed", call: call() }, { type: "accepted", call: active, at: 1000 })).toMatchObject({ phase: "connecting", answeredAt: 1000 });
    const live = run({ type: "dialed", call: call() }, { type: "accepted", call: active, at: 1000 }, { type: "media-connected" });
    expect(live).toMatchObject({ phase: "active", call: active });
    expect(callReducer(live, { type: "ended", call: ended })).toMatchObject({ phase: "ended", call: ended, answeredAt: 1000 });
  });

  it("an acknowledged start that already ended (busy, offline) goes straight to ended", () => {
    const busy = call({ status: "ended", outcome: "busy", endReason: "busy" });
    expect(run({ type: "dialed", call: busy })).toMatchObject({ phase: "ended", call: busy, role: "caller" });
  });

  it("callee: incoming → connecting on accept; answered elsewhere returns to idle", () => {
    expect(run({ type: "incoming", call: call() })).toMatchObject({ phase: "incoming-ringing", role: "callee" });
    expect(run({ type: "incoming", call: call() }, { type: "accepted", call: active, at: 5 })).toMatchObject({ phase: "connecting" });
    expect(run({ type: "incoming", call: call() }, { type: "answered-elsewhere", callId: "c1" })).toEqual(initialCallMachineState);
  });

  it("a second call does not replace the one in progress", () => {
    const ringing = run({ type: "dialed", call: call() });
    expect(callReducer(ringing, { type: "incoming", call: call({ id: "c2" }) })).toBe(ringing);
    expect(callReducer(ringing, { type: "dialed", call: call({ id: "c2" }) })).toBe(ringing);
  });

  it("a new call may start after the previous one ended", () => {
    const after = run({ type: "dialed", call: call() }, { type: "ended", call: ended });
    expect(callReducer(after, { type: "incoming", call: call({ id: "c2" }) })).toMatchObject({ phase: "incoming-ringing", call: { id: "c2" } });
  });

  it("events about another call are ignored", () => {
    const ringing = run({ type: "incoming", call: call() });
    expect(callReducer(ringing, { type: "ended", call: { ...ended, id: "other" } })).toBe(ringing);
    expect(callReducer(ringing, { type: "accepted", call: { ...active, id: "other" }, at: 1 })).toBe(ringing);
    expect(callReducer(ringing, { type: "answered-elsewhere", callId: "other" })).toBe(ringing);
  });

  it("an end the tab already saw, or one while idle, changes nothing", () => {
    const after = run({ type: "dialed", call: call() }, { type: "ended", call: ended });
    expect(callReducer(after, { type: "ended", call: ended })).toBe(after);
    expect(callReducer(initialCallMachineState, { type: "ended", call: ended })).toBe(initialCallMachineState);
  });

  it("media interruptions mark recovery until the connection is back", () => {
    const live = run({ type: "dialed", call: call() }, { type: "accepted", call: active, at: 1 }, { type: "media-connected" });
    const broken = callReducer(live, { type: "media-interrupted" });
    expect(broken).toMatchObject({ phase: "active", isRecovering: true });
    expect(callReducer(broken, { type: "media-connected" })).toMatchObject({ phase: "active", isRecovering: false });
    expect(callReducer(initialCallMachineState, { type: "media-interrupted" })).toBe(initialCallMachineState);
  });

  it("a local failure is kept with the end", () => {
    const live = run({ type: "dialed", call: call() }, { type: "accepted", call: active, at: 1 });
    expect(callReducer(live, { type: "ended", call: ended, failure: "no route" })).toMatchObject({ phase: "ended", failure: "no route" });
  });

  it("refreshed updates the call, or ends it when the server ended it meanwhile", () => {
    const live = run({ type: "dialed", call: call() }, { type: "accepted", call: active, at: 1 });
    expect(callReducer(live, { type: "refreshed", call: { ...active, durationSeconds: 0 } })).toMatchObject({ phase: "connecting" });
    expect(callReducer(live, { type: "refreshed", call: ended })).toMatchObject({ phase: "ended", call: ended });
  });

  it("a match call starts answered: connecting at once with the match's role, then active, then ended", () => {
    const matchCall = call({ status: "active", kind: "audio", conversationId: null, match: { matchId: "m1", selfAlias: "Blue Otter", peerAlias: "Quiet Fox" } });
    const callee = run({ type: "matched", call: matchCall, role: "callee", at: 42 });
    expect(callee).toMatchObject({ phase: "connecting", role: "callee", answeredAt: 42, call: matchCall });
    expect(run({ type: "matched", call: matchCall, role: "caller", at: 1 })).toMatchObject({ role: "caller" });
    const live = callReducer(callee, { type: "media-connected" });
    expect(live).toMatchObject({ phase: "active" });
    expect(callReducer(live, { type: "ended", call: { ...matchCall, status: "ended", outcome: "completed" } })).toMatchObject({ phase: "ended" });
  });

  it("a match never replaces a call in progress, and a match call that is not active is ignored", () => {
    const ringing = run({ type: "dialed", call: call() });
    const matchCall = call({ id: "c2", status: "active", match: { matchId: "m1", selfAlias: "A", peerAlias: "B" } });
    expect(callReducer(ringing, { type: "matched", call: matchCall, role: "caller", at: 1 })).toBe(ringing);
    expect(run({ type: "matched", call: { ...matchCall, status: "ended" }, role: "caller", at: 1 })).toEqual(initialCallMachineState);
    const after = run({ type: "dialed", call: call() }, { type: "ended", call: ended });
    expect(callReducer(after, { type: "matched", call: matchCall, role: "callee", at: 1 })).toMatchObject({ phase: "connecting", call: { id: "c2" } });
  });

  it("isInCall covers ringing both ways and the live phases", () => {
    expect(["idle", "outgoing-ringing", "incoming-ringing", "connecting", "active", "ended"].map((phase) => isInCall(phase as CallMachineState["phase"]))).toEqual([
      false,
      true,
      true,
      true,
      true,
      false,
    ]);
  });
});

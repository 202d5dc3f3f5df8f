import { describe, expect, it } from "vitest";

import type { CallDto } from "@/lib/realtime/protocol";
import { callDescription, callEndedNotice, callPeerLabel, callEndedText, callOutcomeText, elapsedSeconds, formatDuration } from "./call-text";

const ANA = { id: "u-ana", name: "Ana", avatarColor: "#123456" };
const BEN = { id: "u-ben", name: "Ben", avatarColor: "#654321" };

function ended(outcome: CallDto["outcome"], endReason: CallDto["endReason"], durationSeconds = 0) {
  return { caller: ANA, callee: BEN, outcome, endReason, durationSeconds };
}

describe("formatDuration", () => {
  it("writes m:ss, and h:mm:ss from an hour on", () => {
    expect(formatDuration(0)).toBe("0:00");
    expect(formatDuration(7)).toBe("0:07");
    expect(formatDuration(201)).toBe("3:21");
    expect(formatDuration(3723)).toBe("1:02:03");
    expect(formatDuration(-5)).toBe("0:00");
    expect(formatDuration(59.9)).toBe("0:59");
  });

  it("elapsedSeconds never goes negative", () => {
    expect(elapsedSeconds(1_000, 4_500)).toBe(3);
    expect(elapsedSeconds(5_000, 4_000)).toBe(0);
  });
});

describe("callEndedText", () => {
  it("says how the call ended from each side", () => {
    expect(callEndedText(ended("completed", "hangup", 201), ANA.id)).toBe("Call ended · 3:21");
    expect(callEndedText(ended("completed", "disconnected", 42), BEN.id)).toBe("Call ended · 0:42 (connection lost)");
    expect(callEndedText(ended("missed", "offline"), ANA.id)).toBe("Ben is offline");
    expect(callEndedText(ended("missed", "timeout"), ANA.id)).toBe("Missed: Ben did not answer");
    expect(callEndedText(ended("missed", "timeout"), BEN.id)).toBe("Missed call from Ana");
    expect(callEndedText(ended("declined", "declined"), ANA.id)).toBe("Declined: Ben declined the call");
    expect(callEndedText(ended("busy", "busy"), ANA.id)).toBe("Busy: Ben is in another call");
    expect(callEndedText(ended("cancelled", "cancelled"), ANA.id)).toBe("Call cancelled");
    expect(callEndedText(ended("cancelled", "cancelled"), BEN.id)).toBe("Missed call from Ana");
    expect(callEndedText(ended("failed", "failed"), ANA.id)).toBe("Call failed: the connection could not be established");
    expect(callEndedText(ended("completed", "hangup", 3), ANA.id, "no camera")).toBe("Call failed: no camera");
  });

  it("leaves the callee's missed and declined calls to their own notices", () => {
    expect(callEndedNotice(ended("missed", "timeout"), BEN.id)).toBeNull();
    expect(callEndedNotice(ended("declined", "declined"), BEN.id)).toBeNull();
    expect(callEndedNotice(ended("declined", "declined"), ANA.id)).toBe("Declined: Ben declined the call");
    expect(callEndedNotice(ended("missed", "timeout"), BEN.id, "lost")).toBe("Call failed: lost");
  });
});

describe("history texts", () => {
  it("describes direction, kind, outcome and duration", () => {
    expect(callDescription({ direction: "outgoing", kind: "video" })).toBe("Outgoing video call");
    expect(callDescription({ direction: "incoming", kind: "audio" })).toBe("Incoming audio call");
    expect(callOutcomeText({ outcome: "completed", status: "ended", durationSeconds: 65 })).toBe("Completed · 1:05");
    expect(callOutcomeText({ outcome: "declined", status: "ended", durationSeconds: 0 })).toBe("Declined");
    expect(callOutcomeText({ outcome: null, status: "active", durationSeconds: 0 })).toBe("In progress");
  });
});

describe("callPeerLabel", () => {
  it("names the other side, or the match alias for an anonymous match call", () => {
    expect(callPeerLabel({ direction: "outgoing", caller: ANA, callee: BEN, match: null })).toBe("Ben");
    expect(callPeerLabel({ direction: "incoming", caller: ANA, callee: BEN, match: null })).toBe("Ana");
    const peer = { id: "match-peer", name: "Quiet Fox", avatarColor: "#111111" };
    expect(callPeerLabel({ direction: "incoming", caller: peer, callee: BEN, match: { matchId: "m1", selfAlias: "Blue Otter", peerAlias: "Quiet Fox" } })).toBe("Match · Quiet Fox");
  });
});

/**
 * The call state machine, pure: ringing → active → ended(reason); ringing → ended(reason). Every
 * transition returns a new record or says why it is not allowed; nothing here knows sockets,
 * timers or the database. Outcome (what history shows) follows from the state left and the reason.
 */
import type { CallEndReason, CallKind, CallOutcome, CallStatus } from "@/lib/realtime/protocol";

export type CallRecord = {
  id: string;
  kind: CallKind;
  callerId: string;
  calleeId: string;
  conversationId: string | null;
  status: CallStatus;
  outcome: CallOutcome | null;
  endReason: CallEndReason | null;
  createdAt: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
  durationSeconds: number;
};

export type CallSide = "caller" | "callee";

export type CallEvent =
  | { type: "accept" }
  | { type: "decline" }
  | { type: "cancel" }
  | { type: "hangup" }
  | { type: "timeout" }
  | { type: "offline" }
  | { type: "busy" }
  | { type: "disconnect"; side: CallSide }
  | { type: "fail" };

/** `ended`: the call is over; `invalid`: the event does not apply in this state (e.g. hangup while ringing). */
export type TransitionResult = { ok: true; call: CallRecord } | { ok: false; reason: "ended" | "invalid" };

export function newCall(input: { id: string; kind: CallKind; callerId: string; calleeId: string; conversationId: string | null; at: Date }): CallRecord {
  return {
    id: input.id,
    kind: input.kind,
    callerId: input.callerId,
    calleeId: input.calleeId,
    conversationId: input.conversationId,
    status: "ringing",
    outcome: null,
    endReason: null,
    createdAt: input.at,
    answeredAt: null,
    endedAt: null,
    durationSeconds: 0,
  };
}

/** Which side a user is on, or null for anyone else. */
export function sideOf(call: Pick<CallRecord, "callerId" | "calleeId">, userId: string): CallSide | null {
  if (call.callerId === userId) return "caller";
  if (call.calleeId === userId) return "callee";
  return null;
}

export const otherSide = (side: CallSide): CallSide => (side === "caller" ? "callee" : "caller");

/** Whole seconds from answer to end; 0 when never answered. */
export function durationOf(answeredAt: Date | null, endedAt: Date): number {
  if (!answeredAt) return 0;
  return Math.max(0, Math.floor((endedAt.getTime() - answeredAt.getTime()) / 1000));
}

/** While ringing: who ended it and why → outcome. A caller who vanishes cancelled; a callee who vanishes missed it. */
const RINGING_ENDS: Record<Exclude<CallEvent["type"], "accept" | "hangup" | "disconnect">, [CallOutcome, CallEndReason]> = {
  decline: ["declined", "declined"],
  cancel: ["cancelled", "cancelled"],
  timeout: ["missed", "timeout"],
  offline: ["missed", "offline"],
  busy: ["busy", "busy"],
  fail: ["failed", "failed"],
};

function ended(call: CallRecord, outcome: CallOutcome, endReason: CallEndReason, at: Date): CallRecord {
  return { ...call, status: "ended", outcome, endReason, endedAt: at, durationSeconds: durationOf(call.answeredAt, at) };
}

export function transition(call: CallRecord, event: CallEvent, at: Date): TransitionResult {
  if (call.status === "ended") return { ok: false, reason: "ended" };
  if (call.status === "ringing") {
    switch (event.type) {
      case "accept":
        return { ok: true, call: { ...call, status: "active", answeredAt: at } };
      case "hangup":
        return { ok: false, reason: "invalid" };
      case "disconnect":
        return event.side === "caller"
          ? { ok: true, call: ended(call, "cancelled", "disconnected", at) }
          : { ok: true, call: ended(call, "missed", "disconnected", at) };
      default: {
        const [outcome, reason] = RINGING_ENDS[event.type];
        return { ok: true, call: ended(call, outcome, reason, at) };
      }
    }
  }
  // active
  switch (event.type) {
    case "hangup":
      return { ok: true, call: ended(call, "completed", "hangup", at) };
    case "disconnect":
      return { ok: true, call: ended(call, "failed", "disconnected", at) };
    case "fail":
      return { ok: true, call: ended(call, "failed", "failed", at) };
    default:
      return { ok: false, reason: "invalid" };
  }
}

/** m:ss (h:mm:ss from an hour on), as the chat line and history show a duration. */
export function formatDuration(totalSeconds: number): string {
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const pad = (value: number) => String(value).padStart(2, "0");
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
}

/**
 * The system line an ended call leaves in the direct conversation, or null (busy: the callee never
 * knew; a call that failed before anyone answered).
 */
export function chatLineOf(call: Pick<CallRecord, "kind" | "outcome" | "answeredAt" | "durationSeconds">): string | null {
  const kind = call.kind === "video" ? "video call" : "audio call";
  const Kind = call.kind === "video" ? "Video call" : "Audio call";
  switch (call.outcome) {
    case "missed":
      return `Missed ${kind}`;
    case "declined":
      return `Declined ${kind}`;
    case "cancelled":
      return `Cancelled ${kind}`;
    case "completed":
      return `${Kind} · ${formatDuration(call.durationSeconds)}`;
    case "failed":
      return call.answeredAt ? `${Kind} · ${formatDuration(call.durationSeconds)}` : null;
    default:
      return null;
  }
}

/**
 * What a call says in the toast when it ends and in the history, in one place so both agree.
 * Plain text only (sonner and React render it as text).
 */
import type { CallDto, CallHistoryItemDto, CallOutcome } from "@/lib/realtime/protocol";

/** "0:07", "3:21", "1:02:03": minutes and seconds, hours only when there are some. */
export function formatDuration(totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, "0");
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}

/** Seconds elapsed since `sinceMs` at `nowMs`, never negative (the timer of a running call). */
export function elapsedSeconds(sinceMs: number, nowMs: number): number {
  return Math.max(0, Math.floor((nowMs - sinceMs) / 1000));
}

type EndedCall = Pick<CallDto, "caller" | "callee" | "outcome" | "endReason" | "durationSeconds">;

/** The toast when a call ends, from the point of view of `selfId`. */
export function callEndedText(call: EndedCall, selfId: string | null, failure?: string | null): string {
  const isCaller = call.caller.id === selfId;
  const peer = isCaller ? call.callee.name : call.caller.name;
  const lost = call.endReason === "disconnected" ? " (connection lost)" : "";
  if (failure) return `Call failed: ${failure}`;
  switch (call.outcome) {
    case "completed":
      return `Call ended · ${formatDuration(call.durationSeconds)}${lost}`;
    case "missed":
      if (!isCaller) return `Missed call from ${peer}`;
      return call.endReason === "offline" ? `${peer} is offline` : `Missed: ${peer} did not answer`;
    case "declined":
      return isCaller ? `Declined: ${peer} declined the call` : "Call declined";
    case "busy":
      return isCaller ? `Busy: ${peer} is in another call` : `Missed call from ${peer} (you were busy)`;
    case "cancelled":
      return isCaller ? "Call cancelled" : `Missed call from ${peer}`;
    case "failed":
      return `Call failed${lost || ": the connection could not be established"}`;
    default:
      return "Call ended";
  }
}

const OUTCOME_LABELS: Record<CallOutcome, string> = {
  completed: "Completed",
  missed: "Missed",
  declined: "Declined",
  cancelled: "Cancelled",
  busy: "Busy",
  failed: "Failed",
};

/** "Outgoing video call", "Incoming audio call". */
export function callDescription(item: Pick<CallHistoryItemDto, "direction" | "kind">): string {
  return `${item.direction === "outgoing" ? "Outgoing" : "Incoming"} ${item.kind} call`;
}

/** Who the history row is with: the other person's name, or "Match · <alias>" for an anonymous match call. */
export function callPeerLabel(item: Pick<CallHistoryItemDto, "direction" | "caller" | "callee" | "match">): string {
  if (item.match) return `Match · ${item.match.peerAlias}`;
  return (item.direction === "outgoing" ? item.callee : item.caller).name;
}

/** "Completed · 3:21", "Missed", "In progress". */
export function callOutcomeText(item: Pick<CallHistoryItemDto, "outcome" | "status" | "durationSeconds">): string {
  if (!item.outcome) return item.status === "ringing" ? "Ringing" : "In progress";
  const label = OUTCOME_LABELS[item.outcome];
  return item.durationSeconds > 0 ? `${label} · ${formatDuration(item.durationSeconds)}` : label;
}

/**
 * The toast when a call ends, or null where another notice already covers it: the callee's missed
 * call arrives as a missed-call notification (which toasts, and respects DND), and declining is the
 * callee's own act.
 */
export function callEndedNotice(call: EndedCall, selfId: string | null, failure?: string | null): string | null {
  const isCaller = call.caller.id === selfId;
  if (!failure && !isCaller && (call.outcome === "missed" || call.outcome === "declined")) return null;
  return callEndedText(call, selfId, failure);
}

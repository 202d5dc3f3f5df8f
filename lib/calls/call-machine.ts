/**
 * The browser's view of one call as a pure reducer, so every transition is unit-tested without a
 * socket or a peer connection. The server owns the call's state; this only follows its events
 * (plus the peer connection's "connected"), and ignores events about a call this tab is not in:
 * the callee's other devices and the caller's other tabs hear `call:ended` too.
 */
import type { CallDto } from "@/lib/realtime/protocol";

export type CallPhase = "idle" | "outgoing-ringing" | "incoming-ringing" | "connecting" | "active" | "ended";
export type CallRole = "caller" | "callee";

export type CallMachineState = {
  phase: CallPhase;
  call: CallDto | null;
  role: CallRole | null;
  /** Local epoch ms of the answer: the running timer counts from it, like the server's duration. */
  answeredAt: number | null;
  /** Media dropped (network or socket blip) and an ICE restart is under way. */
  isRecovering: boolean;
  /** Why this side ended the call itself (media failed, devices unavailable), shown with the outcome. */
  failure: string | null;
};

export type CallEvent =
  /** The caller's `call:start` was acknowledged: ringing, or already ended (busy, offline). */
  | { type: "dialed"; call: CallDto }
  | { type: "incoming"; call: CallDto }
  | { type: "accepted"; call: CallDto; at: number }
  /**
   * A match call (`match:found`): already answered on the server, so there is no ringing; the side
   * with match role "caller" offers first, exactly as a caller does after `accepted`.
   */
  | { type: "matched"; call: CallDto; role: CallRole; at: number }
  /** The peer connection reached "connected" (first time, or again after a restart). */
  | { type: "media-connected" }
  | { type: "media-interrupted" }
  | { type: "ended"; call: CallDto; failure?: string | null }
  | { type: "answered-elsewhere"; callId: string }
  /** The server's call after a reconnect (`call:current`), for the call this tab is in. */
  | { type: "refreshed"; call: CallDto }
  | { type: "reset" };

export const initialCallMachineState: CallMachineState = {
  phase: "idle",
  call: null,
  role: null,
  answeredAt: null,
  isRecovering: false,
  failure: null,
};

/** Phases in which this tab takes part in a call (ringing counts: it must not start another). */
export function isInCall(phase: CallPhase): boolean {
  return phase === "outgoing-ringing" || phase === "incoming-ringing" || phase === "connecting" || phase === "active";
}

const isFree = (phase: CallPhase) => phase === "idle" || phase === "ended";

export function callReducer(state: CallMachineState, event: CallEvent): CallMachineState {
  const isThisCall = (callId: string) => state.call?.id === callId;
  switch (event.type) {
    case "dialed": {
      if (!isFree(state.phase)) return state;
      const base = { ...initialCallMachineState, call: event.call, role: "caller" as const };
      return event.call.status === "ended" ? { ...base, phase: "ended" } : { ...base, phase: "outgoing-ringing" };
    }
    case "incoming":
      if (!isFree(state.phase) || event.call.status !== "ringing") return state;
      return { ...initialCallMachineState, phase: "incoming-ringing", call: event.call, role: "callee" };
    case "accepted":
      if (!isThisCall(event.call.id) || (state.phase !== "outgoing-ringing" && state.phase !== "incoming-ringing")) return state;
      return { ...state, phase: "connecting", call: event.call, answeredAt: event.at };
    case "matched":
      if (!isFree(state.phase) || event.call.status !== "active") return state;
      return { ...initialCallMachineState, phase: "connecting", call: event.call, role: event.role, answeredAt: event.at };
    case "media-connected":
      if (state.phase !== "connecting" && state.phase !== "active") return state;
      return { ...state, phase: "active", isRecovering: false };
    case "media-interrupted":
      if (state.phase !== "connecting" && state.phase !== "active") return state;
      return state.isRecovering ? state : { ...state, isRecovering: true };
    case "ended":
      if (!isThisCall(event.call.id) || !isInCall(state.phase)) return state;
      return { ...state, phase: "ended", call: event.call, isRecovering: false, failure: event.failure ?? null };
    case "answered-elsewhere":
      if (!isThisCall(event.callId) || state.phase !== "incoming-ringing") return state;
      return initialCallMachineState;
    case "refreshed":
      if (!isThisCall(event.call.id) || !isInCall(state.phase)) return state;
      if (event.call.status === "ended") return { ...state, phase: "ended", call: event.call, isRecovering: false };
      return { ...state, call: event.call };
    case "reset":
      return initialCallMachineState;
  }
}

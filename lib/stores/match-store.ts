/**
 * Match (anonymous voice calls with strangers): where this tab stands (idle, queued, matched, or
 * just ended), the preferences it joined with, the queue as the server last reported it, the live
 * match and the last one that ended (for rating, blocking and reporting). Written by the match
 * client (lib/realtime/client/match-client.ts) from acks and bridge events; every transition is the
 * pure `matchReducer`, so the races between acks and pushes are unit-tested without a socket.
 * The call itself (media, timer, connection state) lives in the call store like any other call.
 */
import "client-only";
import { create } from "zustand";

import type { CallDto, MatchDto, MatchLeftReason, MatchPreferencesDto, MatchQueuedDto, MatchStatusDto } from "@/lib/realtime/protocol";

export type MatchPhase = "idle" | "queued" | "matched" | "ended";
/** The request in flight, so its buttons can wait for it. */
export type MatchPending = "join" | "skip" | null;
export type MatchNotice = { tone: "error" | "info"; text: string };

export type MatchState = {
  phase: MatchPhase;
  /** The last join's preferences: "Find someone new", a skip and a reconnect re-join with them. */
  preferences: MatchPreferencesDto | null;
  /** The server's latest queue report; null while a (re-)join is on its way. */
  queue: MatchQueuedDto | null;
  /** The live match (phase "matched"). */
  match: MatchDto | null;
  /** The last match that ended (also after a skip, while queued again): what rating, blocking and reporting act on. */
  lastEnded: MatchDto | null;
  pending: MatchPending;
  /** Why the last action failed, or why the server took this tab out of the queue. */
  notice: MatchNotice | null;
  /**
   * What `match:status` said when this tab had nothing going on: another tab of the user is queued
   * or in a match (or this tab was, before a reload: its media are gone and the call ends soon).
   */
  elsewhere: Exclude<MatchStatusDto, { state: "idle" }> | null;
  /** From the match ICE settings: match audio goes only through the operator's relay. Null until known. */
  relayOnly: boolean | null;
};

export type MatchEvent =
  /** Join (or "Find someone new") pressed, microphone checked: the request is on its way. */
  | { type: "join-requested"; preferences: MatchPreferencesDto }
  | { type: "join-failed"; message: string }
  /** A "queued" answer to join, skip or a re-join, or a `match:queue` push. */
  | { type: "queued"; queue: MatchQueuedDto }
  /** `match:found`, or a "matched" answer to join or skip. */
  | { type: "found"; match: MatchDto }
  /** The match call ended (server event, own hang-up, or media failure). */
  | { type: "call-ended"; call: CallDto }
  | { type: "leave-requested" }
  /** `match:left`: the server removed this tab from the queue. */
  | { type: "left"; reason: MatchLeftReason }
  /** This tab cannot go on (a re-join after a reconnect failed, a match it could not take): back to idle. */
  | { type: "aborted"; message: string }
  /** Skip pressed: the call is over for this side and the queue is next. */
  | { type: "skip-requested" }
  | { type: "skip-failed"; message: string }
  /** The answer to rate, block or report. */
  | { type: "updated"; match: MatchDto }
  /** "Done", or the rating offered on the queue view after a skip was put aside. */
  | { type: "dismissed" }
  /** `match:status` after a (re)connect while this tab had no queue entry or match of its own. */
  | { type: "synced"; status: MatchStatusDto }
  | { type: "relay-known"; relayOnly: boolean }
  | { type: "reset" };

export const initialMatchState: MatchState = {
  phase: "idle",
  preferences: null,
  queue: null,
  match: null,
  lastEnded: null,
  pending: null,
  notice: null,
  elsewhere: null,
  relayOnly: null,
};

export const LEFT_QUEUE_TEXT: Record<MatchLeftReason, string> = {
  "call-started": "You left the queue because a call started.",
  replaced: "You joined the queue in another tab, so this tab left it.",
  left: "You left the queue in another tab.",
};

/** The ended version of a match, from its call's end (the server's duration when it sent one). */
function endedFrom(match: MatchDto, call: CallDto): MatchDto {
  return { ...match, endedAt: call.endedAt ?? new Date().toISOString(), durationSeconds: call.durationSeconds };
}

function sameEnd(match: MatchDto, call: CallDto): boolean {
  return match.endedAt !== null && match.endedAt === call.endedAt && match.durationSeconds === call.durationSeconds;
}

export function matchReducer(state: MatchState, event: MatchEvent): MatchState {
  switch (event.type) {
    case "join-requested":
      if (state.phase === "matched" || state.pending) return state;
      // From the ended view ("Find someone new") the ended match has had its full form: put it aside.
      if (state.phase === "ended") return { ...state, phase: "idle", lastEnded: null, pending: "join", preferences: event.preferences, notice: null, elsewhere: null };
      return { ...state, pending: "join", preferences: event.preferences, notice: null, elsewhere: null };
    case "join-failed":
      if (state.pending !== "join") return state;
      return { ...state, pending: null, notice: { tone: "error", text: event.message } };
    case "queued":
      // A match that already arrived wins over a "queued" answer that raced it; after Leave, a late
      // queue report must not put the tab back in the queue.
      if (state.phase === "matched" || (state.phase !== "queued" && state.pending !== "join")) return state;
      return {
        ...state,
        phase: "queued",
        queue: event.queue,
        preferences: event.queue.preferences,
        pending: null,
        elsewhere: null,
      };
    case "found": {
      if (state.phase === "matched" && state.match?.id === event.match.id) return state;
      // Only a tab that is queued (or joining) can be matched; the ended match cannot come back.
      if (state.phase === "matched" || (state.phase !== "queued" && state.pending !== "join") || state.lastEnded?.id === event.match.id) return state;
      return { ...state, phase: "matched", match: event.match, queue: null, pending: null, notice: null, elsewhere: null };
    }
    case "call-ended": {
      const matchId = event.call.match?.matchId;
      if (!matchId) return state;
      if (state.phase === "matched" && state.match?.id === matchId) {
        return { ...state, phase: "ended", match: null, lastEnded: endedFrom(state.match, event.call), queue: null, pending: null };
      }
      if (state.elsewhere?.state === "matched" && state.elsewhere.match.id === matchId && (state.phase === "idle" || state.phase === "ended")) {
        return { ...state, phase: "ended", lastEnded: endedFrom(state.elsewhere.match, event.call), elsewhere: null };
      }
      // After a skip the tab is queued again; the skipped match only learns its final duration.
      if (state.lastEnded?.id === matchId && !sameEnd(state.lastEnded, event.call)) return { ...state, lastEnded: endedFrom(state.lastEnded, event.call) };
      return state;
    }
    case "leave-requested":
      if (state.phase !== "queued" && state.pending !== "join") return state;
      return { ...state, phase: state.phase === "queued" ? "idle" : state.phase, queue: null, pending: null, notice: null };
    case "left":
      if (state.phase !== "queued") return state;
      return { ...state, phase: "idle", queue: null, pending: null, notice: { tone: "info", text: LEFT_QUEUE_TEXT[event.reason] } };
    case "aborted":
      if (state.phase !== "queued" && state.phase !== "matched") return state;
      return { ...state, phase: "idle", queue: null, match: null, pending: null, notice: { tone: "error", text: event.message } };
    case "skip-requested":
      if (state.phase !== "matched" || !state.match) return state;
      return {
        ...state,
        phase: "queued",
        queue: null,
        pending: "skip",
        match: null,
        lastEnded: { ...state.match, endedAt: new Date().toISOString() },
        notice: null,
      };
    case "skip-failed":
      if (state.pending !== "skip") return state;
      return { ...state, phase: "ended", queue: null, pending: null, notice: { tone: "error", text: event.message } };
    case "updated":
      if (state.lastEnded?.id !== event.match.id) return state;
      // The answer may come before the call's end reached the match: keep the end already known.
      return { ...state, lastEnded: { ...event.match, endedAt: event.match.endedAt ?? state.lastEnded.endedAt, durationSeconds: Math.max(event.match.durationSeconds, state.lastEnded.durationSeconds) } };
    case "dismissed":
      if (state.phase === "ended") return { ...state, phase: "idle", lastEnded: null, notice: null };
      return state.lastEnded ? { ...state, lastEnded: null } : state;
    case "synced": {
      const { status } = event;
      if (state.phase === "queued" || state.phase === "matched" || state.pending) return state;
      const elsewhere = status.state === "idle" ? null : status;
      if (elsewhere === null && state.elsewhere === null) return state;
      return { ...state, elsewhere };
    }
    case "relay-known":
      return state.relayOnly === event.relayOnly ? state : { ...state, relayOnly: event.relayOnly };
    case "reset":
      return initialMatchState;
  }
}

/** Whether this tab takes part in matching right now (queued, joining or in a match call). */
export function isMatchBusy(state: Pick<MatchState, "phase" | "pending">): boolean {
  return state.phase === "queued" || state.phase === "matched" || state.pending !== null;
}

export type MatchStore = MatchState & {
  dispatch: (event: MatchEvent) => void;
  reset: () => void;
};

export const useMatchStore = create<MatchStore>()((set) => ({
  ...initialMatchState,
  dispatch: (event) => set((state) => matchReducer(state, event)),
  reset: () => set(initialMatchState),
}));

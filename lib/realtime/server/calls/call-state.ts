/**
 * Live calls (ringing or active), per process, behind an interface so a shared store (Redis) can
 * replace the memory one, like presence-state.ts. Each entry holds the call, the socket each side
 * uses for it (the caller's starting socket, the callee's answering one) and its timers. Every
 * method is synchronous: a check and its change happen in one turn, so "first device wins" and
 * "busy" need no lock. Ended calls leave the state at once (the database keeps them).
 */
import { type CallEvent, type CallRecord, type CallSide, transition, type TransitionResult } from "./call-machine";

export type LiveCall = {
  readonly call: CallRecord;
  /** The caller's socket for this call; null while it is away (reconnect grace). */
  readonly callerSocketId: string | null;
  /** The callee's answering socket; null while ringing and while it is away. */
  readonly calleeSocketId: string | null;
};

export type CallTimer = "ring" | "caller-grace" | "callee-grace";
/** Whatever setTimeout returned (Node's Timeout, or a number under DOM typings). */
export type TimerHandle = NonNullable<Parameters<typeof clearTimeout>[0]>;

export type BeginResult = "ok" | "caller-busy" | "callee-busy";
export type ApplyResult = TransitionResult | { ok: false; reason: "unknown" };

export interface CallState {
  /** Adds a ringing call unless the caller or the callee is already in a live call (as either side). */
  begin(call: CallRecord, callerSocketId: string): BeginResult;
  get(callId: string): LiveCall | null;
  /** The user's live call, ringing or active, as caller or callee. */
  callOf(userId: string): LiveCall | null;
  /** In any live call: nobody else can reach them. */
  isBusy(userId: string): boolean;
  /** In an answered call (what presence shows as "in a call"). */
  isInActiveCall(userId: string): boolean;
  /**
   * Applies an event: "accept" binds `socketId` as the callee's device (only one accept can see
   * "ringing"). A call that ends leaves the state and its timers are cleared.
   */
  apply(callId: string, event: CallEvent, at: Date, socketId?: string): ApplyResult;
  /** Which socket a side uses now (null: it went away). */
  bind(callId: string, side: CallSide, socketId: string | null): void;
  /** Replaces (clears) a timer of a live call; ignored once the call is gone. Timers are per process. */
  setTimer(callId: string, name: CallTimer, timer: TimerHandle | null): void;
  /** Live calls held by this state, for the admin dashboard and metrics (not on any request path). */
  counts(): { ringing: number; active: number };
}

type Entry = { call: CallRecord; callerSocketId: string | null; calleeSocketId: string | null; timers: Map<CallTimer, TimerHandle> };

export function createMemoryCallState(): CallState {
  const calls = new Map<string, Entry>();
  /** userId → callId of their live call. A user has at most one. */
  const byUser = new Map<string, string>();

  const view = (entry: Entry): LiveCall => ({ call: entry.call, callerSocketId: entry.callerSocketId, calleeSocketId: entry.calleeSocketId });
  const drop = (entry: Entry) => {
    for (const timer of entry.timers.values()) clearTimeout(timer);
    entry.timers.clear();
    calls.delete(entry.call.id);
    for (const userId of [entry.call.callerId, entry.call.calleeId]) if (byUser.get(userId) === entry.call.id) byUser.delete(userId);
  };

  return {
    begin(call, callerSocketId) {
      if (byUser.has(call.callerId)) return "caller-busy";
      if (byUser.has(call.calleeId)) return "callee-busy";
      calls.set(call.id, { call, callerSocketId, calleeSocketId: null, timers: new Map() });
      byUser.set(call.callerId, call.id);
      byUser.set(call.calleeId, call.id);
      return "ok";
    },
    get(callId) {
      const entry = calls.get(callId);
      return entry ? view(entry) : null;
    },
    callOf(userId) {
      const callId = byUser.get(userId);
      const entry = callId ? calls.get(callId) : undefined;
      return entry ? view(entry) : null;
    },
    isBusy(userId) {
      return byUser.has(userId);
    },
    isInActiveCall(userId) {
      const callId = byUser.get(userId);
      return callId !== undefined && calls.get(callId)?.call.status === "active";
    },
    apply(callId, event, at, socketId) {
      const entry = calls.get(callId);
      if (!entry) return { ok: false, reason: "unknown" };
      const result = transition(entry.call, event, at);
      if (!result.ok) return result;
      entry.call = result.call;
      if (event.type === "accept") entry.calleeSocketId = socketId ?? null;
      if (result.call.status === "ended") drop(entry);
      return result;
    },
    bind(callId, side, socketId) {
      const entry = calls.get(callId);
      if (!entry) return;
      if (side === "caller") entry.callerSocketId = socketId;
      else entry.calleeSocketId = socketId;
    },
    setTimer(callId, name, timer) {
      const entry = calls.get(callId);
      if (!entry) {
        if (timer) clearTimeout(timer);
        return;
      }
      const previous = entry.timers.get(name);
      if (previous) clearTimeout(previous);
      if (timer) entry.timers.set(name, timer);
      else entry.timers.delete(name);
    },
    counts() {
      let ringing = 0;
      let active = 0;
      for (const entry of calls.values()) {
        if (entry.call.status === "ringing") ringing += 1;
        else if (entry.call.status === "active") active += 1;
      }
      return { ringing, active };
    },
  };
}

let state: CallState = createMemoryCallState();

/** The process-wide state shared by the call handlers and presence ("in a call"). */
export function getCallState(): CallState {
  return state;
}

/** Tests and a future shared store swap it here. */
export function setCallState(next: CallState): void {
  state = next;
}

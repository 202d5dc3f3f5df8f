/**
 * Live calls (ringing or active) behind an interface: memory for one process (here), Redis when
 * several processes share the calls (redis-call-state.ts). Each entry holds the call and the socket
 * each side uses for it (the caller's starting socket, the callee's answering one). Every method
 * is async so a shared store fits, but each check and its change stay one atomic step (memory:
 * one synchronous turn; Redis: a script or compare-and-set), so "first device wins" and "busy"
 * need no lock in the handlers. Ended calls leave the state at once (the database keeps them).
 *
 * Timers live in the state too (a due time per call and name), so in scale-out a timer set by a
 * process that died still fires on another one. The handlers register what a due timer does
 * (`onCallTimerDue`); whichever state is installed gets that handler.
 */
import { exposeCount } from "@/lib/ops/debug-counts";
import { type CallEvent, type CallRecord, type CallSide, transition, type TransitionResult } from "./call-machine";

export type LiveCall = {
  readonly call: CallRecord;
  /** The caller's socket for this call; null while it is away (reconnect grace). */
  readonly callerSocketId: string | null;
  /** The callee's answering socket; null while ringing and while it is away. */
  readonly calleeSocketId: string | null;
};

export type CallTimer = "ring" | "caller-grace" | "callee-grace";
export const CALL_TIMERS: readonly CallTimer[] = ["ring", "caller-grace", "callee-grace"];
export type DueHandler = (callId: string, name: CallTimer) => void;

export type BeginResult = "ok" | "caller-busy" | "callee-busy";
/** `unknown`: no such live call; `rebound`: the `ifUnbound` side has a socket again. */
export type ApplyResult = TransitionResult | { ok: false; reason: "unknown" | "rebound" };

export type ApplyOptions = {
  /** "accept": the callee's answering socket, bound in the same step. */
  socketId?: string;
  /** Applies only while this side has no socket (a grace period that ran out, unless it came back). */
  ifUnbound?: CallSide;
};

export interface CallState {
  /** Adds a ringing call unless the caller or the callee is already in a live call (as either side). */
  begin(call: CallRecord, callerSocketId: string): Promise<BeginResult>;
  get(callId: string): Promise<LiveCall | null>;
  /** The user's live call, ringing or active, as caller or callee. */
  callOf(userId: string): Promise<LiveCall | null>;
  /** In any live call: nobody else can reach them. */
  isBusy(userId: string): Promise<boolean>;
  /** In an answered call (what presence shows as "in a call"). */
  isInActiveCall(userId: string): Promise<boolean>;
  /** Those of `userIds` in any live call. */
  busyAmong(userIds: readonly string[]): Promise<Set<string>>;
  /** Those of `userIds` in an answered call (presence, in batches). */
  activeAmong(userIds: readonly string[]): Promise<Set<string>>;
  /**
   * Applies an event: "accept" binds `socketId` as the callee's device (only one accept can see
   * "ringing"). A call that ends leaves the state and its timers are cleared.
   */
  apply(callId: string, event: CallEvent, at: Date, options?: ApplyOptions): Promise<ApplyResult>;
  /**
   * Sets which socket a side uses (null: it went away). With `ifBound`, only if the side holds
   * exactly that now (null: has none), so a reconnect and a disconnect cannot overwrite each other.
   * Resolves to whether it changed anything.
   */
  bind(callId: string, side: CallSide, socketId: string | null, options?: { ifBound?: string | null }): Promise<boolean>;
  /** Replaces (null: clears) a timer of a live call, due at epoch ms `dueAt`; ignored once the call is gone. */
  setTimer(callId: string, name: CallTimer, dueAt: number | null): Promise<void>;
  /** What to run when a timer is due (replaces the previous handler). Each timer runs once, on one process. */
  onDue(handler: DueHandler): void;
  /** Live calls, for the admin dashboard and metrics (not on any request path). */
  counts(): Promise<{ ringing: number; active: number }>;
  /** Stops running timers here (a replaced state, a process that stops); the calls stay where they are. */
  close(): void;
}

type Entry = { call: CallRecord; callerSocketId: string | null; calleeSocketId: string | null; timers: Map<CallTimer, ReturnType<typeof setTimeout>> };

export function createMemoryCallState(): CallState {
  const calls = new Map<string, Entry>();
  /** userId → callId of their live call. A user has at most one. */
  const byUser = new Map<string, string>();
  exposeCount("calls.live", () => calls.size);
  exposeCount("calls.byUser", () => byUser.size);
  let handler: DueHandler | null = null;

  const view = (entry: Entry): LiveCall => ({ call: entry.call, callerSocketId: entry.callerSocketId, calleeSocketId: entry.calleeSocketId });
  const clearTimers = (entry: Entry) => {
    for (const timer of entry.timers.values()) clearTimeout(timer);
    entry.timers.clear();
  };
  const drop = (entry: Entry) => {
    clearTimers(entry);
    calls.delete(entry.call.id);
    for (const userId of [entry.call.callerId, entry.call.calleeId]) if (byUser.get(userId) === entry.call.id) byUser.delete(userId);
  };
  const entryOf = (userId: string) => {
    const callId = byUser.get(userId);
    return callId ? calls.get(callId) : undefined;
  };
  const boundOf = (entry: Entry, side: CallSide) => (side === "caller" ? entry.callerSocketId : entry.calleeSocketId);

  return {
    begin(call, callerSocketId) {
      if (byUser.has(call.callerId)) return Promise.resolve("caller-busy");
      if (byUser.has(call.calleeId)) return Promise.resolve("callee-busy");
      calls.set(call.id, { call, callerSocketId, calleeSocketId: null, timers: new Map() });
      byUser.set(call.callerId, call.id);
      byUser.set(call.calleeId, call.id);
      return Promise.resolve("ok");
    },
    get(callId) {
      const entry = calls.get(callId);
      return Promise.resolve(entry ? view(entry) : null);
    },
    callOf(userId) {
      const entry = entryOf(userId);
      return Promise.resolve(entry ? view(entry) : null);
    },
    isBusy(userId) {
      return Promise.resolve(byUser.has(userId));
    },
    isInActiveCall(userId) {
      return Promise.resolve(entryOf(userId)?.call.status === "active");
    },
    busyAmong(userIds) {
      return Promise.resolve(new Set(userIds.filter((userId) => byUser.has(userId))));
    },
    activeAmong(userIds) {
      return Promise.resolve(new Set(userIds.filter((userId) => entryOf(userId)?.call.status === "active")));
    },
    apply(callId, event, at, options = {}) {
      const entry = calls.get(callId);
      if (!entry) return Promise.resolve({ ok: false, reason: "unknown" });
      if (options.ifUnbound && boundOf(entry, options.ifUnbound) !== null) return Promise.resolve({ ok: false, reason: "rebound" });
      const result = transition(entry.call, event, at);
      if (!result.ok) return Promise.resolve(result);
      entry.call = result.call;
      if (event.type === "accept") entry.calleeSocketId = options.socketId ?? null;
      if (result.call.status === "ended") drop(entry);
      return Promise.resolve(result);
    },
    bind(callId, side, socketId, options = {}) {
      const entry = calls.get(callId);
      if (!entry) return Promise.resolve(false);
      if (options.ifBound !== undefined && boundOf(entry, side) !== options.ifBound) return Promise.resolve(false);
      if (side === "caller") entry.callerSocketId = socketId;
      else entry.calleeSocketId = socketId;
      return Promise.resolve(true);
    },
    setTimer(callId, name, dueAt) {
      const entry = calls.get(callId);
      if (!entry) return Promise.resolve();
      clearTimeout(entry.timers.get(name));
      entry.timers.delete(name);
      if (dueAt === null) return Promise.resolve();
      const timer = setTimeout(() => {
        if (entry.timers.get(name) !== timer) return;
        entry.timers.delete(name);
        handler?.(callId, name);
      }, Math.max(0, dueAt - Date.now()));
      timer.unref();
      entry.timers.set(name, timer);
      return Promise.resolve();
    },
    onDue(next) {
      handler = next;
    },
    counts() {
      let ringing = 0;
      let active = 0;
      for (const entry of calls.values()) {
        if (entry.call.status === "ringing") ringing += 1;
        else if (entry.call.status === "active") active += 1;
      }
      return Promise.resolve({ ringing, active });
    },
    close() {
      handler = null;
      for (const entry of calls.values()) clearTimers(entry);
    },
  };
}

let state: CallState = createMemoryCallState();
/** Kept here so a state installed later (Redis at startup, a test's) runs the same timer work. */
let dueHandler: DueHandler | null = null;

/** The process-wide state shared by the call handlers, the match queue and presence ("in a call"). */
export function getCallState(): CallState {
  return state;
}

/** Installs another state (Redis in scale-out, a test's); the previous one stops running timers. */
export function setCallState(next: CallState): void {
  if (next === state) return;
  state.close();
  state = next;
  if (dueHandler) next.onDue(dueHandler);
}

/** What a due timer does, for the current state and any installed later. */
export function onCallTimerDue(handler: DueHandler): void {
  dueHandler = handler;
  state.onDue(handler);
}

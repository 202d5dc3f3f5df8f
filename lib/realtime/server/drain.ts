/**
 * Graceful restart of the realtime side (rolling deploys). On SIGTERM server.ts calls
 * `drainRealtime`: new handshakes are refused, every socket of this process hears
 * `system:restarting` (reconnect elsewhere after a jittered delay), requests already on the wire
 * keep being served for a short notice period, in-flight acks are awaited, then every socket is
 * disconnected ("io server disconnect"). Bounded: whatever is still running at the deadline is
 * left to the client's ack timeout and retry (sends are idempotent by clientMessageId).
 */
import { flushMessageBursts } from "./notifications/notifier";
import type { AppServer, RealtimeDeps } from "./types";

/** Clients spread their reconnects over this window (a random delay each). */
export const RECONNECT_WITHIN_MS = 3_000;

export type DrainState = {
  readonly isDraining: boolean;
  readonly inFlight: number;
  /** Called by the request wrapper when a request starts and when its ack is sent. */
  requestStarted(): void;
  requestFinished(): void;
  begin(): void;
  /** Resolves true when nothing is in flight, false at the deadline. */
  idle(timeoutMs: number): Promise<boolean>;
};

export function createDrainState(): DrainState {
  let draining = false;
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  return {
    get isDraining() {
      return draining;
    },
    get inFlight() {
      return inFlight;
    },
    requestStarted() {
      inFlight += 1;
    },
    requestFinished() {
      inFlight = Math.max(0, inFlight - 1);
      if (inFlight === 0 && waiters.length > 0) {
        const done = waiters;
        waiters = [];
        for (const resolve of done) resolve();
      }
    },
    begin() {
      draining = true;
    },
    idle(timeoutMs) {
      if (inFlight === 0) return Promise.resolve(true);
      return new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((waiter) => waiter !== onIdle);
          resolve(false);
        }, timeoutMs);
        const onIdle = () => {
          clearTimeout(timer);
          resolve(true);
        };
        waiters.push(onIdle);
      });
    },
  };
}

export type DrainOptions = {
  /** How long requests already sent keep being served after the notice (at least one round trip). */
  noticeMs: number;
  /** Upper bound for in-flight acks after the notice period. */
  timeoutMs: number;
  /** The window clients spread their reconnects over. */
  reconnectWithinMs: number;
};

export type DrainResult = { sockets: number; unfinished: number; ms: number };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function drainRealtime(io: AppServer, deps: Pick<RealtimeDeps, "drain" | "logger">, options: DrainOptions): Promise<DrainResult> {
  const startedAt = Date.now();
  deps.drain.begin();
  const sockets = io.of("/").sockets.size;
  io.local.emit("system:restarting", { reconnectWithinMs: options.reconnectWithinMs });
  deps.logger.info({ sockets, inFlight: deps.drain.inFlight, noticeMs: options.noticeMs }, "draining: clients told to reconnect elsewhere");
  await sleep(options.noticeMs);
  const idle = await deps.drain.idle(options.timeoutMs);
  const unfinished = deps.drain.inFlight;
  if (!idle) deps.logger.warn({ unfinished }, "draining: requests still running at the deadline");
  // Same turn as the idle check: no request can start in between.
  io.local.disconnectSockets(true);
  // The last second's message notifications are stored, not dropped: recipients get them with
  // their unread count when they reconnect (to another process).
  await flushMessageBursts();
  const ms = Date.now() - startedAt;
  deps.logger.info({ sockets, unfinished, ms }, "draining: done");
  return { sockets, unfinished, ms };
}

/**
 * Connection lifecycle → connection states, and every reconnect. socket.io-client's own
 * reconnection is off (socket-manager.ts): one schedule here covers dropped transports and refused
 * handshakes alike, so the indicator can say when the next try is, and a try can start at once
 * when the browser comes back online or the tab becomes visible.
 */
import "client-only";
import type { Socket } from "socket.io-client";

import type { SystemRestartingDto } from "@/lib/realtime/protocol";

import { useConnectionStore } from "@/lib/stores/connection-store";
import { createRetrySchedule } from "./retry";
import type { AppClientSocket } from "./socket-manager";
import { getLastTokenOutcome } from "./token";

/** Exponential backoff with jitter: 1 s doubling to 15 s, ±50 %, so a restarted server is not stampeded. */
export const RECONNECT_BACKOFF = { baseMs: 1_000, maxMs: 15_000, jitter: 0.5 } as const;

/**
 * After TOO_MANY_CONNECTIONS (the user's other tabs and devices hold every socket the server
 * allows): only one of them closing helps, so wait longer, 10 s doubling to 60 s, ±50 %. The wait
 * grows until a connect succeeds; the tab becoming visible or the network returning still tries once.
 */
export const CROWDED_BACKOFF = { baseMs: 10_000, maxMs: 60_000, jitter: 0.5 } as const;

/** The wait after the `refusals`-th TOO_MANY_CONNECTIONS in a row (0 for the first). */
export function crowdedDelayMs(refusals: number, random: () => number = Math.random): number {
  const { baseMs, maxMs, jitter } = CROWDED_BACKOFF;
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.min(refusals, 10));
  return Math.min(maxMs, Math.round(exponential * (1 - jitter + 2 * jitter * random())));
}

/** The earliest a tab reconnects after a restart notice: the old process needs a moment to close. */
export const RESTART_MIN_DELAY_MS = 100;

/** A random moment in the window the server gave, so the tabs of a restarted process arrive spread out. */
export function restartDelayMs(notice: SystemRestartingDto, random: () => number = Math.random): number {
  const window = Math.max(0, Math.min(notice.reconnectWithinMs, 60_000));
  return Math.round(RESTART_MIN_DELAY_MS + random() * window);
}

/** Delay chosen when `system:restarting` arrived, used by the disconnect that follows it. */
const restartDelays = new WeakMap<AppClientSocket, number>();

/** Bridge handler of `system:restarting`: the next disconnect reconnects after a jittered delay. */
export function onServerRestarting(socket: AppClientSocket, notice: SystemRestartingDto): void {
  restartDelays.set(socket, restartDelayMs(notice));
}

const connection = () => useConnectionStore.getState();
const isBrowserOffline = () => typeof navigator !== "undefined" && navigator.onLine === false;
const isSignedOut = () => connection().status === "signed-out";

export function bindConnectionLifecycle(socket: AppClientSocket): () => void {
  const retry = createRetrySchedule(RECONNECT_BACKOFF);
  /** False after a deliberate disconnect (last consumer released the socket): nothing to heal. */
  let wanted = true;
  /** TOO_MANY_CONNECTIONS refusals since the last connect. */
  let crowdedRefusals = 0;

  const attempt = () => {
    if (isSignedOut() || socket.connected) return;
    connection().setNextRetryAt(null);
    connection().setStatus(connection().hasConnected ? "reconnecting" : "connecting");
    socket.connect();
  };
  const attemptNow = () => {
    retry.cancel();
    attempt();
  };
  const scheduleAttempt = () => {
    // Offline browsers wait for the "online" event instead of burning attempts.
    if (!wanted || isSignedOut() || isBrowserOffline()) return;
    const delay = retry.schedule(attempt);
    connection().setNextRetryAt(Date.now() + delay);
  };

  const onConnect = () => {
    restartDelays.delete(socket);
    wanted = true;
    crowdedRefusals = 0;
    retry.cancel();
    connection().setNextRetryAt(null);
  };
  const onDisconnect = (reason: Socket.DisconnectReason) => {
    if (isSignedOut()) return;
    if (reason === "io client disconnect") {
      wanted = false;
      retry.cancel();
      connection().setNextRetryAt(null);
      connection().setStatus("idle");
      return;
    }
    connection().setStatus(isBrowserOffline() ? "offline" : "reconnecting");
    const restartDelay = restartDelays.get(socket);
    restartDelays.delete(socket);
    // A graceful restart announced itself: come back (to another process) after the jittered delay.
    if (restartDelay !== undefined && !isBrowserOffline()) {
      retry.cancel();
      connection().setNextRetryAt(Date.now() + retry.scheduleIn(restartDelay, attempt));
      return;
    }
    // The server ends sockets on sign-out and on restart: asking for a token at once tells which.
    if (reason === "io server disconnect") attemptNow();
    else scheduleAttempt();
  };
  const onConnectError = (error: Error) => {
    wanted = true; // only an attempt can fail, and attempts are wanted
    const outcome = getLastTokenOutcome();
    if (outcome?.kind === "signed-out" || (outcome?.kind === "ok" && error.message === "UNAUTHORIZED")) {
      retry.cancel();
      connection().setNextRetryAt(null);
      connection().setStatus("signed-out", error.message);
      return;
    }
    if (error.message === "TOO_MANY_CONNECTIONS") {
      // "Reconnecting in N s" with the reason in lastError; `scheduleIn` leaves the ordinary backoff alone.
      connection().setStatus(isBrowserOffline() ? "offline" : "reconnecting", error.message);
      const delay = crowdedDelayMs(crowdedRefusals);
      crowdedRefusals += 1;
      if (!isBrowserOffline()) connection().setNextRetryAt(Date.now() + retry.scheduleIn(delay, attempt));
      return;
    }
    connection().setStatus(isBrowserOffline() || !connection().hasConnected ? "offline" : "reconnecting", error.message);
    scheduleAttempt();
  };
  const onOnline = () => {
    if (wanted && !socket.connected) attemptNow();
  };
  // The browser knows the network is gone before any heartbeat does: close now, so sends queue in
  // the outbox at once instead of waiting on a dead socket.
  const onOffline = () => {
    if (isSignedOut()) return;
    retry.cancel();
    connection().setNextRetryAt(null);
    const keep = wanted;
    socket.disconnect();
    wanted = keep; // a network loss is not a deliberate disconnect
    connection().setStatus("offline");
  };
  const onVisible = () => {
    if (document.visibilityState === "visible" && wanted && !socket.connected && !isBrowserOffline()) attemptNow();
  };

  socket.on("connect", onConnect);
  socket.on("disconnect", onDisconnect);
  socket.on("connect_error", onConnectError);
  if (typeof window !== "undefined") {
    window.addEventListener("online", onOnline);
    window.addEventListener("offline", onOffline);
    document.addEventListener("visibilitychange", onVisible);
  }
  connection().setStatus("connecting");

  return () => {
    socket.off("connect", onConnect);
    socket.off("disconnect", onDisconnect);
    socket.off("connect_error", onConnectError);
    if (typeof window !== "undefined") {
      window.removeEventListener("online", onOnline);
      window.removeEventListener("offline", onOffline);
      document.removeEventListener("visibilitychange", onVisible);
    }
    retry.cancel();
    connection().setNextRetryAt(null);
  };
}

/**
 * Connection lifecycle → connection states, and every reconnect. socket.io-client's own
 * reconnection is off (socket-manager.ts): one schedule here covers dropped transports and refused
 * handshakes alike, so the indicator can say when the next try is, and a try can start at once
 * when the browser comes back online or the tab becomes visible.
 */
import "client-only";
import type { Socket } from "socket.io-client";

import { useConnectionStore } from "@/lib/stores/connection-store";
import { createRetrySchedule } from "./retry";
import type { AppClientSocket } from "./socket-manager";
import { getLastTokenOutcome } from "./token";

/** Exponential backoff with jitter: 1 s doubling to 15 s, ±50 %, so a restarted server is not stampeded. */
export const RECONNECT_BACKOFF = { baseMs: 1_000, maxMs: 15_000, jitter: 0.5 } as const;

const connection = () => useConnectionStore.getState();
const isBrowserOffline = () => typeof navigator !== "undefined" && navigator.onLine === false;
const isSignedOut = () => connection().status === "signed-out";

export function bindConnectionLifecycle(socket: AppClientSocket): () => void {
  const retry = createRetrySchedule(RECONNECT_BACKOFF);
  /** False after a deliberate disconnect (last consumer released the socket): nothing to heal. */
  let wanted = true;

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
    wanted = true;
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

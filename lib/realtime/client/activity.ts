/**
 * This tab's activity for presence: idle after IDLE_AFTER_MS without input, hidden while the tab
 * is in the background. Reports only changes. Each (re)connect carries the current state in its
 * handshake (`activityForHandshake`), so the server never counts a background tab as active for
 * the moment between its connect and its first report; the report on connect then follows only if
 * the state changed in between.
 */
import "client-only";

import type { PresenceActivityInput } from "@/lib/realtime/protocol";
import type { AppClientSocket } from "./socket-manager";

export const IDLE_AFTER_MS = 5 * 60_000;
const INPUT_EVENTS = ["pointerdown", "pointermove", "keydown", "wheel", "touchstart", "focus"] as const;

const hiddenNow = () => typeof document !== "undefined" && document.visibilityState === "hidden";

/** One socket per tab (socket-manager.ts), so one activity per tab. */
let current: PresenceActivityInput = { isIdle: false, isHidden: hiddenNow() };
/** What the last handshake carried. */
let inHandshake: PresenceActivityInput | null = null;

/** Called by the socket's `auth` on every connect attempt: what the server counts the socket as from its first moment. */
export function activityForHandshake(): PresenceActivityInput {
  inHandshake = { ...current };
  return inHandshake;
}

export function trackActivity(socket: AppClientSocket): () => void {
  if (typeof window === "undefined" || typeof document === "undefined") return () => {};
  current = { isIdle: false, isHidden: hiddenNow() };
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  const send = () => {
    if (socket.connected) socket.volatile.emit("presence:activity", current);
  };
  const sendIfChangedSinceHandshake = () => {
    if (inHandshake?.isIdle === current.isIdle && inHandshake.isHidden === current.isHidden) return;
    send();
  };
  const update = (next: PresenceActivityInput) => {
    if (next.isIdle === current.isIdle && next.isHidden === current.isHidden) return;
    current = next;
    send();
  };
  const armIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => update({ ...current, isIdle: true }), IDLE_AFTER_MS);
  };
  const onInput = () => {
    armIdle();
    if (current.isIdle) update({ ...current, isIdle: false });
  };
  const onVisibility = () => update({ ...current, isHidden: hiddenNow() });

  for (const event of INPUT_EVENTS) window.addEventListener(event, onInput, { passive: true });
  document.addEventListener("visibilitychange", onVisibility);
  socket.on("connect", sendIfChangedSinceHandshake);
  armIdle();
  sendIfChangedSinceHandshake();

  return () => {
    clearTimeout(idleTimer);
    for (const event of INPUT_EVENTS) window.removeEventListener(event, onInput);
    document.removeEventListener("visibilitychange", onVisibility);
    socket.off("connect", sendIfChangedSinceHandshake);
  };
}

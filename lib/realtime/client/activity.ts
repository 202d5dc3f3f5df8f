/**
 * This tab's activity for presence: idle after IDLE_AFTER_MS without input, hidden while the tab
 * is in the background. Reports only changes, and the current state after every (re)connect.
 */
import "client-only";

import type { PresenceActivityInput } from "@/lib/realtime/protocol";
import type { AppClientSocket } from "./socket-manager";

export const IDLE_AFTER_MS = 5 * 60_000;
const INPUT_EVENTS = ["pointerdown", "pointermove", "keydown", "wheel", "touchstart", "focus"] as const;

export function trackActivity(socket: AppClientSocket): () => void {
  if (typeof window === "undefined" || typeof document === "undefined") return () => {};
  let current: PresenceActivityInput = { isIdle: false, isHidden: document.visibilityState === "hidden" };
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  const send = () => {
    if (socket.connected) socket.volatile.emit("presence:activity", current);
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
  const onVisibility = () => update({ ...current, isHidden: document.visibilityState === "hidden" });

  for (const event of INPUT_EVENTS) window.addEventListener(event, onInput, { passive: true });
  document.addEventListener("visibilitychange", onVisibility);
  socket.on("connect", send);
  armIdle();
  send();

  return () => {
    clearTimeout(idleTimer);
    for (const event of INPUT_EVENTS) window.removeEventListener(event, onInput);
    document.removeEventListener("visibilitychange", onVisibility);
    socket.off("connect", send);
  };
}

/**
 * Tells the server which conversation this tab shows (`notifications:viewing`), so messages there
 * create no notification while the user reads them: the conversation while its route is open and
 * the tab visible, null when hidden or elsewhere. Sent on changes and after every (re)connect,
 * since the server forgets it with the socket.
 */
import "client-only";

import type { AppClientSocket } from "./socket-manager";

let viewed: string | null = null;
const listeners = new Set<() => void>();
let isScheduled = false;

/**
 * The conversation view reports itself here. Changes are applied in a microtask, so leaving one
 * conversation for another in the same render sends only the new one, not null in between.
 */
export function setViewedConversation(conversationId: string | null): void {
  viewed = conversationId;
  if (isScheduled) return;
  isScheduled = true;
  queueMicrotask(() => {
    isScheduled = false;
    for (const listener of listeners) listener();
  });
}

function visibleConversation(): string | null {
  return document.visibilityState === "visible" ? viewed : null;
}

export function trackViewing(socket: AppClientSocket): () => void {
  if (typeof document === "undefined") return () => {};
  let sent: string | null = null;

  const send = () => {
    if (socket.connected) socket.emit("notifications:viewing", { conversationId: sent });
  };
  const update = () => {
    const next = visibleConversation();
    if (next === sent) return;
    sent = next;
    send();
  };
  const resend = () => {
    sent = visibleConversation();
    // A fresh server-side socket starts at null: nothing to say unless a conversation is shown.
    if (sent !== null) send();
  };

  listeners.add(update);
  document.addEventListener("visibilitychange", update);
  socket.on("session:ready", resend);
  return () => {
    listeners.delete(update);
    document.removeEventListener("visibilitychange", update);
    socket.off("session:ready", resend);
  };
}

/**
 * The only writer from the network into the stores: every server event maps to exactly one
 * store action, bound once per socket. Also turns connection lifecycle into connection states.
 */
import "client-only";
import type { Socket } from "socket.io-client";

import type { ServerToClientEvents } from "@/lib/realtime/protocol";
import { TYPING_VISIBLE_MS, useChatStore } from "@/lib/stores/chat-store";
import { useConnectionStore } from "@/lib/stores/connection-store";
import { useContactsStore } from "@/lib/stores/contacts-store";
import { usePresenceStore } from "@/lib/stores/presence-store";
import { trackActivity } from "./activity";
import { resyncAfterConnect } from "./chat-sync";
import { isConversationOpen, noticeAddedToConversation, noticeFriendAccepted, noticeFriendRequest, noticeMention } from "./notices";
import type { AppClientSocket } from "./socket-manager";
import { createRetrySchedule } from "./retry";
import { getLastTokenOutcome } from "./token";

const connection = () => useConnectionStore.getState();
const chat = () => useChatStore.getState();

type Handlers = { [E in keyof ServerToClientEvents]: ServerToClientEvents[E] };

// The typed map makes a new protocol event a compile error here until it is handled.
function createHandlers(socket: AppClientSocket): Handlers {
  return {
    "session:ready": ({ user }) => {
      connection().sessionReady(user);
      resyncAfterConnect(socket, user.id).catch((error: unknown) => connection().setStatus("connected", `resync failed: ${String(error)}`));
    },
    "session:revoked": () => connection().setStatus("signed-out"),
    "system:echoed": ({ nonce }) => connection().recordEcho(nonce),
    "contacts:request-changed": (request) => {
      useContactsStore.getState().applyRequest(request);
      const selfId = useContactsStore.getState().selfId;
      if (request.status === "pending" && request.to.id === selfId) noticeFriendRequest(request);
      else if (request.status === "accepted" && request.from.id === selfId) noticeFriendAccepted(request);
    },
    "contacts:changed": (contacts) => useContactsStore.getState().setContacts(contacts),
    "conversation:upserted": ({ conversation, addedBy }) => {
      chat().upsertConversation(conversation);
      if (addedBy) noticeAddedToConversation(conversation, addedBy);
    },
    "conversation:removed": ({ conversationId }) => chat().removeConversation(conversationId),
    "chat:message-created": (message) => chat().receiveMessages(message.conversationId, [message]),
    "chat:message-updated": (message) => chat().receiveMessages(message.conversationId, [message]),
    "chat:typing-changed": (event) => {
      chat().setTyping(event);
      if (event.isTyping) setTimeout(() => chat().expireTyping(event.conversationId, event.userId), TYPING_VISIBLE_MS + 50);
    },
    "chat:read-updated": (event) => chat().applyReadUpdate(event),
    "chat:unread-counts": (event) => chat().applyUnreadCounts(event),
    "chat:mentioned": (event) => {
      chat().recordMention(event);
      if (!isConversationOpen(event.conversationId)) noticeMention(event);
    },
    "presence:snapshot": ({ presences }) => usePresenceStore.getState().replaceSnapshot(presences),
    "presence:changed": (presence) => usePresenceStore.getState().upsertPresence(presence),
    "presence:batch": ({ presences }) => {
      for (const presence of presences) usePresenceStore.getState().upsertPresence(presence);
    },
    "presence:own-changed": (own) => usePresenceStore.getState().setOwn(own),
  };
}

const isBrowserOffline = () => typeof navigator !== "undefined" && navigator.onLine === false;

export function bindRealtimeBridge(socket: AppClientSocket): () => void {
  const entries = Object.entries(createHandlers(socket)) as [keyof ServerToClientEvents, (...args: never[]) => void][];
  // Socket.IO's overloads cannot correlate a union key with its listener; the Handlers type checked it.
  for (const [event, listener] of entries) socket.on(event, listener as never);

  // Handshake rejections are not retried by socket.io-client: we retry transient ones ourselves.
  const manualRetry = createRetrySchedule({ baseMs: 1_000, maxMs: 15_000, jitter: 0.5 });

  const onConnecting = () => {
    if (connection().status === "signed-out") return;
    connection().setStatus(connection().hasConnected ? "reconnecting" : "connecting");
  };
  const onConnect = () => manualRetry.cancel();
  const onDisconnect = (reason: Socket.DisconnectReason) => {
    if (connection().status === "signed-out") return;
    if (reason === "io client disconnect") connection().setStatus("idle");
    else if (reason === "io server disconnect") connection().setStatus("reconnecting");
    else connection().setStatus(isBrowserOffline() ? "offline" : "reconnecting");
    // The server ends sockets on sign-out or restart; reconnecting asks for a token, which tells which.
    if (reason === "io server disconnect") socket.connect();
  };
  const onConnectError = (error: Error) => {
    const outcome = getLastTokenOutcome();
    if (outcome?.kind === "signed-out" || (outcome?.kind === "ok" && error.message === "UNAUTHORIZED")) {
      manualRetry.cancel();
      connection().setStatus("signed-out", error.message);
      return;
    }
    const status = isBrowserOffline() || !connection().hasConnected ? "offline" : "reconnecting";
    connection().setStatus(status, error.message);
    if (!socket.active) manualRetry.schedule(() => socket.connect());
  };
  const onOnline = () => {
    if (!socket.connected && connection().status !== "signed-out") {
      manualRetry.cancel();
      socket.connect();
    }
  };
  // The browser knows the network is gone before any heartbeat does: close now, so sends queue in
  // the outbox at once instead of waiting on a dead socket, and reconnect the moment it returns.
  const onOffline = () => {
    if (connection().status === "signed-out") return;
    manualRetry.cancel();
    socket.disconnect();
    connection().setStatus("offline");
  };

  socket.io.on("reconnect_attempt", onConnecting);
  socket.on("connect", onConnect);
  socket.on("disconnect", onDisconnect);
  socket.on("connect_error", onConnectError);
  if (typeof window !== "undefined") {
    window.addEventListener("online", onOnline);
    window.addEventListener("offline", onOffline);
  }
  connection().setStatus("connecting");
  const stopActivity = trackActivity(socket);

  return () => {
    stopActivity();
    for (const [event, listener] of entries) socket.off(event, listener as never);
    socket.io.off("reconnect_attempt", onConnecting);
    socket.off("connect", onConnect);
    socket.off("disconnect", onDisconnect);
    socket.off("connect_error", onConnectError);
    if (typeof window !== "undefined") {
      window.removeEventListener("online", onOnline);
      window.removeEventListener("offline", onOffline);
    }
    manualRetry.cancel();
  };
}

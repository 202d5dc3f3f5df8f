/**
 * The only writer from the network into the stores: every server event maps to exactly one
 * store action, bound once per socket. Connection lifecycle and reconnects live in reconnect.ts.
 */
import "client-only";

import type { ServerToClientEvents } from "@/lib/realtime/protocol";
import { TYPING_VISIBLE_MS, useChatStore } from "@/lib/stores/chat-store";
import { useConnectionStore } from "@/lib/stores/connection-store";
import { useContactsStore } from "@/lib/stores/contacts-store";
import { useNotificationStore } from "@/lib/stores/notification-store";
import { usePresenceStore } from "@/lib/stores/presence-store";
import { trackActivity } from "./activity";
import {
  bindCallSession,
  onAnsweredElsewhere,
  onCallAccepted,
  onCallEnded,
  onCallSignal,
  onIncomingCall,
  onPeerMedia,
  resumeCallAfterConnect,
} from "./call-session";
import { resyncAfterConnect, watchForGaps } from "./chat-sync";
import { noticeNotification } from "./notices";
import { bindMatchClient, onMatchCallEnded, onMatchFound, onMatchLeft, onMatchQueue, resumeMatchAfterConnect } from "./match-client";
import { loadNotifications, markNotificationRead } from "./notification-sync";
import { bindConnectionLifecycle, onServerRestarting } from "./reconnect";
import type { AppClientSocket } from "./socket-manager";
import { trackViewing } from "./viewing";

const connection = () => useConnectionStore.getState();
const chat = () => useChatStore.getState();
const notifications = () => useNotificationStore.getState();

type Handlers = { [E in keyof ServerToClientEvents]: ServerToClientEvents[E] };

// The typed map makes a new protocol event a compile error here until it is handled.
function createHandlers(socket: AppClientSocket, checkGaps: () => void): Handlers {
  return {
    "session:ready": ({ user }) => {
      connection().sessionReady(user);
      resyncAfterConnect(socket, user.id).catch((error: unknown) => connection().setStatus("connected", `resync failed: ${String(error)}`));
      loadNotifications(socket, { append: false }).catch((error: unknown) => connection().setStatus("connected", `notifications failed: ${String(error)}`));
      resumeCallAfterConnect(socket);
      resumeMatchAfterConnect(socket);
    },
    "session:revoked": () => connection().setStatus("signed-out"),
    "system:echoed": ({ nonce }) => connection().recordEcho(nonce),
    // Rolling restart: the disconnect that follows reconnects after a jittered delay (reconnect.ts).
    "system:restarting": (notice) => onServerRestarting(socket, notice),
    // Requests, mentions and being added toast through their notification (below), not here.
    "contacts:request-changed": (request) => useContactsStore.getState().applyRequest(request),
    "contacts:changed": (contacts) => useContactsStore.getState().setContacts(contacts),
    "conversation:upserted": ({ conversation }) => chat().upsertConversation(conversation),
    "conversation:removed": ({ conversationId }) => chat().removeConversation(conversationId),
    "chat:message-created": (message) => {
      chat().receiveMessages(message.conversationId, [message], { live: true });
      checkGaps();
    },
    "chat:message-updated": (message) => {
      chat().receiveMessages(message.conversationId, [message], { live: true });
      checkGaps();
    },
    "chat:typing-changed": (event) => {
      chat().setTyping(event);
      if (event.isTyping) setTimeout(() => chat().expireTyping(event.conversationId, event.userId), TYPING_VISIBLE_MS + 50);
    },
    "chat:read-updated": (event) => chat().applyReadUpdate(event),
    "chat:unread-counts": (event) => chat().applyUnreadCounts(event),
    "chat:mentioned": (event) => chat().recordMention(event),
    "presence:snapshot": ({ presences }) => usePresenceStore.getState().replaceSnapshot(presences),
    "presence:changed": (presence) => usePresenceStore.getState().upsertPresence(presence),
    "presence:batch": ({ presences }) => {
      for (const presence of presences) usePresenceStore.getState().upsertPresence(presence);
    },
    "presence:own-changed": (own) => usePresenceStore.getState().setOwn(own),
    "notification:upserted": ({ notification, unreadCount }) => {
      notifications().upsert(notification, unreadCount);
      noticeNotification(notification, () => void markNotificationRead(socket, notification.id).catch(() => undefined));
    },
    "notification:read": ({ ids, unreadCount }) => notifications().markRead(ids, unreadCount),
    "notification:deleted": ({ ids, unreadCount }) => notifications().remove(ids, unreadCount),
    "notification:count": ({ unreadCount }) => notifications().setUnreadCount(unreadCount),
    "conversation:muted": (mute) => chat().setConversationMute(mute),
    // Calls: the session (call-session.ts) owns media and the peer connection; it writes the call store.
    "call:incoming": ({ call }) => onIncomingCall(call),
    "call:accepted": ({ call }) => onCallAccepted(call),
    "call:answered-elsewhere": ({ callId }) => onAnsweredElsewhere(callId),
    "call:ended": ({ call }) => {
      onCallEnded(call);
      onMatchCallEnded(call);
    },
    "call:signal": (event) => onCallSignal(event),
    "call:peer-media": (event) => onPeerMedia(event),
    // Match: the match client (match-client.ts) writes the match store and starts the match's call session.
    "match:queue": (queue) => onMatchQueue(queue),
    "match:found": ({ match, call }) => onMatchFound(match, call),
    "match:left": ({ reason }) => onMatchLeft(reason),
  };
}

export function bindRealtimeBridge(socket: AppClientSocket): () => void {
  const [checkGaps, stopGapRepair] = watchForGaps(socket);
  const entries = Object.entries(createHandlers(socket, checkGaps)) as [keyof ServerToClientEvents, (...args: never[]) => void][];
  // Socket.IO's overloads cannot correlate a union key with its listener; the Handlers type checked it.
  for (const [event, listener] of entries) socket.on(event, listener as never);
  const unbindLifecycle = bindConnectionLifecycle(socket);
  const stopActivity = trackActivity(socket);
  const stopViewing = trackViewing(socket);
  const unbindCalls = bindCallSession(socket);
  const unbindMatch = bindMatchClient(socket);

  return () => {
    stopGapRepair();
    unbindMatch();
    unbindCalls();
    stopViewing();
    stopActivity();
    unbindLifecycle();
    for (const [event, listener] of entries) socket.off(event, listener as never);
  };
}

/**
 * Brings the chat stores up to date after every (re)connect, whether the gap was 2 seconds or
 * 2 hours: the conversation list (authoritative unread counts), then every conversation whose
 * messages we hold, from the last version we applied. Then the outbox is flushed.
 */
import "client-only";

import { useChatStore } from "@/lib/stores/chat-store";
import { useContactsStore } from "@/lib/stores/contacts-store";
import { flushOutbox, restoreOutbox } from "./outbox";
import { request } from "./request";
import type { AppClientSocket } from "./socket-manager";

const MAX_SYNC_ROUNDS = 20;

async function syncMessages(socket: AppClientSocket): Promise<void> {
  for (let round = 0; round < MAX_SYNC_ROUNDS; round += 1) {
    const chat = useChatStore.getState();
    const conversations = Object.keys(chat.messagesByConversation)
      .filter((conversationId) => chat.conversations[conversationId])
      .map((conversationId) => ({ conversationId, afterVersion: chat.versionByConversation[conversationId] ?? 0 }));
    if (conversations.length === 0) return;
    const { updates } = await request(socket, "chat:sync", { conversations });
    for (const update of updates) {
      // A page covers everything up to its last version; the last page up to the conversation's.
      const through = update.hasMore ? Math.max(0, ...update.messages.map((message) => message.version)) : update.lastVersion;
      useChatStore.getState().receiveMessages(update.conversationId, update.messages, { syncedThrough: through });
    }
    if (!updates.some((update) => update.hasMore)) return;
  }
}

/** A live version arrived above a gap: wait this long for the missing one before asking the server. */
const GAP_WAIT_MS = 300;

/**
 * Repairs gaps in live delivery (version-cursor.ts): after a live message, if a conversation holds
 * versions above a gap, one `chat:sync` runs shortly after, unless the gap closed meanwhile (events
 * from different server processes may arrive slightly out of order). Returns [check, stop].
 */
export function watchForGaps(socket: AppClientSocket): [() => void, () => void] {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const hasGap = () => Object.keys(useChatStore.getState().aheadByConversation).length > 0;
  const check = () => {
    if (timer || !hasGap()) return;
    timer = setTimeout(() => {
      timer = null;
      if (hasGap() && socket.connected) syncMessages(socket).catch(() => undefined); // the next live event or reconnect tries again
    }, GAP_WAIT_MS);
  };
  const stop = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  return [check, stop];
}

export async function resyncAfterConnect(socket: AppClientSocket, userId: string): Promise<void> {
  useChatStore.getState().setSelf(userId);
  useContactsStore.getState().setSelf(userId);
  await restoreOutbox(userId);
  const [conversations, contacts] = await Promise.all([request(socket, "conversation:list", {}), request(socket, "contacts:list", {})]);
  useChatStore.getState().setConversations(conversations);
  useContactsStore.getState().setContacts(contacts);
  await syncMessages(socket);
  await flushOutbox(socket);
}

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
    for (const update of updates) useChatStore.getState().receiveMessages(update.conversationId, update.messages);
    if (!updates.some((update) => update.hasMore)) return;
  }
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

/**
 * The send path: every message goes through the outbox, persisted in IndexedDB, so neither a
 * timeout, a dropped connection, a reload nor a closed tab loses it. The server's idempotency on
 * clientMessageId makes every retry safe; entries leave the outbox only when the server has the message.
 */
import "client-only";
import { createStore, del, entries, set as put, type UseStore } from "idb-keyval";

import type { ChatSendInput, RealtimeErrorCode } from "@/lib/realtime/protocol";
import { useChatStore, type OutboxEntry } from "@/lib/stores/chat-store";
import { request, RequestError } from "./request";
import type { AppClientSocket } from "./socket-manager";

/** Errors that a retry cannot fix: the entry stays, marked failed, until the user retries or discards it. */
const PERMANENT: ReadonlySet<RealtimeErrorCode> = new Set(["INVALID_PAYLOAD", "FORBIDDEN", "NOT_FOUND", "PAYLOAD_TOO_LARGE", "CONFLICT"]);

let idbStore: UseStore | null = null;
function persistence(): UseStore | null {
  if (typeof indexedDB === "undefined") return null;
  idbStore ??= createStore("parley-outbox", "messages");
  return idbStore;
}

async function persist(entry: OutboxEntry): Promise<void> {
  const store = persistence();
  if (store) await put(entry.clientMessageId, entry, store).catch(() => undefined);
}

async function forget(clientMessageId: string): Promise<void> {
  const store = persistence();
  if (store) await del(clientMessageId, store).catch(() => undefined);
}

/** Loads this user's unsent messages from a previous page load into the store. */
export async function restoreOutbox(userId: string): Promise<void> {
  const store = persistence();
  if (!store) return;
  const saved = await entries<string, OutboxEntry>(store).catch(() => []);
  const chat = useChatStore.getState();
  for (const [, entry] of saved) {
    if (entry.userId !== userId || chat.outbox[entry.clientMessageId]) continue;
    // Its send may have succeeded and been received (a sync, an ack) while the copy on disk was
    // still waiting to be forgotten (a reload mid-flush, a second resync): never show it as pending again.
    const delivered = chat.messagesByConversation[entry.conversationId]?.some((message) => message.clientMessageId === entry.clientMessageId);
    if (delivered) await forget(entry.clientMessageId);
    else chat.putOutbox({ ...entry, status: entry.status === "failed" ? "failed" : "sending" });
  }
}

let flushing: Promise<void> | null = null;
let flushAgain = false;

async function sendOne(socket: AppClientSocket, entry: OutboxEntry): Promise<"sent" | "failed" | "retry"> {
  const input: ChatSendInput = { conversationId: entry.conversationId, clientMessageId: entry.clientMessageId, body: entry.body };
  if (entry.replyToId) input.replyToId = entry.replyToId;
  if (entry.attachmentIds?.length) input.attachmentIds = entry.attachmentIds;
  try {
    const message = await request(socket, "chat:send", input);
    useChatStore.getState().receiveMessages(message.conversationId, [message], { live: true });
    await forget(entry.clientMessageId);
    return "sent";
  } catch (error) {
    const realtimeError = error instanceof RequestError ? error.error : { code: "INTERNAL" as const, message: "Sending failed." };
    if (PERMANENT.has(realtimeError.code)) {
      const failed: OutboxEntry = { ...entry, status: "failed", error: realtimeError };
      useChatStore.getState().putOutbox(failed);
      await persist(failed);
      return "failed";
    }
    return "retry";
  }
}

/**
 * Sends every pending entry in creation order, one at a time, so each sender's order is the
 * order the server assigns. Stops at the first transient failure: the next (re)connect resumes.
 */
export function flushOutbox(socket: AppClientSocket): Promise<void> {
  if (flushing) {
    flushAgain = true;
    return flushing;
  }
  flushing = (async () => {
    do {
      flushAgain = false;
      const pending = Object.values(useChatStore.getState().outbox)
        .filter((entry) => entry.status === "sending")
        .sort((a, b) => a.createdAt - b.createdAt);
      for (const entry of pending) {
        if (!socket.connected) return;
        if ((await sendOne(socket, entry)) === "retry") return;
      }
    } while (flushAgain);
  })().finally(() => {
    flushing = null;
  });
  return flushing;
}

// Entries are sent in createdAt order: keep it strictly increasing even within one millisecond.
let lastCreatedAt = 0;
function nextCreatedAt(): number {
  lastCreatedAt = Math.max(Date.now(), lastCreatedAt + 1);
  return lastCreatedAt;
}

/** Queues a new message (optimistic row shows at once) and sends it if connected. */
export async function enqueueMessage(
  socket: AppClientSocket | null,
  message: { conversationId: string; userId: string; body: string; replyToId?: string; attachmentIds?: string[] },
): Promise<string> {
  const entry: OutboxEntry = { ...message, clientMessageId: crypto.randomUUID(), createdAt: nextCreatedAt(), status: "sending", error: null };
  useChatStore.getState().putOutbox(entry);
  await persist(entry);
  if (socket?.connected) void flushOutbox(socket);
  return entry.clientMessageId;
}

export async function retryMessage(socket: AppClientSocket | null, clientMessageId: string): Promise<void> {
  const entry = useChatStore.getState().outbox[clientMessageId];
  if (!entry) return;
  const retried: OutboxEntry = { ...entry, status: "sending", error: null };
  useChatStore.getState().putOutbox(retried);
  await persist(retried);
  if (socket?.connected) void flushOutbox(socket);
}

export async function discardMessage(clientMessageId: string): Promise<void> {
  useChatStore.getState().removeOutbox(clientMessageId);
  await forget(clientMessageId);
}

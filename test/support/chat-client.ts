/**
 * A client that behaves like the browser's chat client, for tests that break things under it: a
 * socket that reconnects by itself (through whatever URL it was given: one process or a balancer),
 * resyncs with `chat:sync` after every connect using the chat store's cursor rule
 * (lib/stores/version-cursor.ts), syncs a lasting gap in live delivery, and only then sends again
 * (the outbox is flushed after the resync), retrying unanswered sends with the same
 * clientMessageId. It records what it sent and received for the history checker
 * (test/reliability/history-checker.ts). Test-only.
 */
import { io } from "socket.io-client";

import type { Ack, MessageDto } from "@/lib/realtime/protocol";
import { advanceCursor, type VersionCursor } from "@/lib/stores/version-cursor";
import { type AppClientSocket, fetchSocketToken, registerUser, type RegisteredUser } from "@/test/support/clients";

type Ref = { url: string };

const SEND_GIVE_UP_MS = 90_000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await pause(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * A signed-in user whose socket talks to `url` (one process, or a balancer in front of several),
 * reconnecting by itself like the browser's. `view` is what the chat store would hold.
 */
/** One acknowledged send: what the client asked and what the server said it stored. */
export type SentRecord = { client: string; conversationId: string; clientMessageId: string; sentAt: number; ackedAt: number; id: string; seq: number };
/** One live `chat:message-created`, in arrival order. */
export type ReceivedRecord = { conversationId: string; id: string; seq: number; at: number };

export type ChatClient = RegisteredUser & {
  socket: AppClientSocket;
  sent: SentRecord[];
  received: ReceivedRecord[];
  view: Map<string, MessageDto>;
  versionOf: (conversationId: string) => number;
  /** session:ready events whose resync finished. */
  readies: number;
  /** Times the connection dropped. */
  disconnects: number;
  track: (conversationId: string) => void;
  /** Sends until acknowledged; the same clientMessageId on every try. */
  sendReliably: (conversationId: string, clientMessageId: string, body: string) => Promise<MessageDto>;
  close: () => void;
};

export async function chatClient(url: string, name: string, registerAt: Ref = { url }): Promise<ChatClient> {
  const user = await registerUser(registerAt, { name });
  const { token } = await fetchSocketToken({ url }, user.cookie);
  const socket: AppClientSocket = io(url, {
    transports: ["websocket"],
    forceNew: true,
    auth: { token },
    reconnectionDelay: 100,
    reconnectionDelayMax: 500,
  });
  const view = new Map<string, MessageDto>();
  let closed = false;
  // The chat store's rule (lib/stores/version-cursor.ts): live versions move the cursor only without gaps.
  const cursors = new Map<string, VersionCursor>();
  const tracked = new Set<string>();
  let gapTimer: ReturnType<typeof setTimeout> | null = null;
  const apply = (messages: readonly MessageDto[], update: "live" | { syncedThrough: number; conversationId: string }) => {
    for (const message of messages) {
      const current = view.get(message.id);
      if (!current || current.version < message.version) view.set(message.id, message);
    }
    const conversationIds = new Set(messages.map((message) => message.conversationId));
    if (update !== "live") conversationIds.add(update.conversationId);
    for (const conversationId of conversationIds) {
      const versions = messages.filter((message) => message.conversationId === conversationId).map((message) => message.version);
      const change = update === "live" ? ({ kind: "live", versions } as const) : ({ kind: "synced", through: update.syncedThrough, versions } as const);
      cursors.set(conversationId, advanceCursor(cursors.get(conversationId), change));
    }
    // Like watchForGaps (lib/realtime/client/chat-sync.ts): a gap that stays is synced.
    if (update === "live" && !gapTimer && [...cursors.values()].some((cursor) => cursor.ahead.length > 0)) {
      gapTimer = setTimeout(() => {
        gapTimer = null;
        if (socket.connected) sync().catch(() => undefined); // a reconnect resyncs anyway
      }, 300);
    }
  };
  const received: ReceivedRecord[] = [];
  socket.on("chat:message-created", (message) => {
    received.push({ conversationId: message.conversationId, id: message.id, seq: message.seq, at: Date.now() });
    apply([message], "live");
  });
  socket.on("chat:message-updated", (message) => apply([message], "live"));

  async function sync(): Promise<void> {
    let request = [...tracked].map((conversationId) => ({ conversationId, afterVersion: client.versionOf(conversationId) }));
    for (let round = 0; round < 20 && request.length > 0; round += 1) {
      const result = (await socket.timeout(5_000).emitWithAck("chat:sync", { conversations: request })) as Ack<{
        updates: { conversationId: string; messages: MessageDto[]; lastVersion: number; hasMore: boolean }[];
      }>;
      if (!result.ok) return;
      for (const update of result.data.updates) {
        const through = update.hasMore ? Math.max(0, ...update.messages.map((message) => message.version)) : update.lastVersion;
        apply(update.messages, { syncedThrough: through, conversationId: update.conversationId });
      }
      request = result.data.updates.filter((update) => update.hasMore).map((update) => ({ conversationId: update.conversationId, afterVersion: client.versionOf(update.conversationId) }));
    }
  }

  const client: ChatClient = {
    ...user,
    socket,
    sent: [],
    received,
    view,
    readies: 0,
    disconnects: 0,
    versionOf: (conversationId) => cursors.get(conversationId)?.version ?? 0,
    track: (conversationId) => void tracked.add(conversationId),
    async sendReliably(conversationId, clientMessageId, body) {
      const sentAt = Date.now();
      // Long enough to ride out a server restart (or several in a row).
      while (Date.now() - sentAt < SEND_GIVE_UP_MS) {
        if (!socket.connected || !synced) {
          await pause(50);
          continue;
        }
        try {
          const result = (await socket.timeout(3_000).emitWithAck("chat:send", { conversationId, clientMessageId, body })) as Ack<MessageDto>;
          if (result.ok) {
            apply([result.data], "live");
            client.sent.push({ client: name, conversationId, clientMessageId, sentAt, ackedAt: Date.now(), id: result.data.id, seq: result.data.seq });
            return result.data;
          }
          if (!["UNAVAILABLE", "TIMEOUT", "RATE_LIMITED"].includes(result.error.code)) throw new Error(`send refused: ${result.error.code}`);
        } catch (error) {
          if (error instanceof Error && error.message.startsWith("send refused")) throw error;
          // No answer (the process died with the request in flight): same id again.
        }
        await pause(50);
      }
      throw new Error(`${name}: "${body}" was never acknowledged`);
    },
    close: () => {
      closed = true;
      if (gapTimer) clearTimeout(gapTimer);
      socket.disconnect();
    },
  };

  /** False from a disconnect until the resync after the next connect: sends wait, as the outbox does. */
  let synced = false;
  socket.on("disconnect", (reason) => {
    client.disconnects += 1;
    synced = false;
    // Like lib/realtime/client/reconnect.ts: a socket the server ended (restart, presumed-dead process) comes back at once.
    if (reason === "io server disconnect" && !closed) socket.connect();
  });
  // Like lib/realtime/client/chat-sync.ts: after every connect, everything after the cursor; then sends resume.
  socket.on("session:ready", () => {
    void sync()
      .then(() => {
        client.readies += 1;
        synced = socket.connected;
      })
      .catch(() => undefined);
  });
  await waitFor(() => client.readies > 0, `${name}'s first session:ready`);
  return client;
}

/**
 * Several real server.ts processes on one PostgreSQL database and one Redis, for the scale-out
 * tests: shared DATA_DIR (uploads), shared AUTH_SECRET (a session or socket token from one process
 * is valid on every other), REDIS_URL. Clients that behave like the browser's: a socket that
 * reconnects by itself, resyncs with `chat:sync` from the highest version it applied, and only then
 * sends again (the outbox is flushed after the resync, lib/realtime/client/chat-sync.ts), retrying
 * unanswered sends with the same clientMessageId. Test-only.
 */
import { io } from "socket.io-client";

import type { Ack, MessageDto } from "@/lib/realtime/protocol";
import { advanceCursor, type VersionCursor } from "@/lib/stores/version-cursor";
import { CHAT_SERVER_ENV } from "@/lib/realtime/server/handlers/chat-test-support";
import { type AppClientSocket, fetchSocketToken, registerUser, type RegisteredUser } from "@/test/support/clients";
import { TEST_POSTGRES_URL } from "@/test/support/database";
import type { TestRedis } from "@/test/support/redis";
import { createTempDir, databaseUrlFor, randomSecret, startServer, type TestServer } from "@/test/support/server";

type Ref = { url: string };

export type Cluster = { env: Record<string, string>; databaseUrl: string; start(): Promise<TestServer> };

/** The environment every process of one deployment shares; `start()` boots one more process. */
export async function createCluster(redis: TestRedis, extra: Record<string, string> = {}, options: { databaseUrl?: string } = {}): Promise<Cluster> {
  if (!TEST_POSTGRES_URL) throw new Error("the scale-out tests need PostgreSQL: run them with `npm run test:redis` (or `npm test`)");
  const dataDir = createTempDir("parley-scale-");
  const databaseUrl = options.databaseUrl ?? (await databaseUrlFor(dataDir));
  const env = {
    ...CHAT_SERVER_ENV,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: randomSecret(),
    REDIS_URL: redis.url,
    PRESENCE_OFFLINE_GRACE_MS: "300",
    ...extra,
  };
  return { env, databaseUrl, start: () => startServer({ env }) };
}

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
export type ChatClient = RegisteredUser & {
  socket: AppClientSocket;
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
        if (socket.connected) void sync();
      }, 300);
    }
  };
  socket.on("chat:message-created", (message) => apply([message], "live"));
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
    view,
    readies: 0,
    disconnects: 0,
    versionOf: (conversationId) => cursors.get(conversationId)?.version ?? 0,
    track: (conversationId) => void tracked.add(conversationId),
    async sendReliably(conversationId, clientMessageId, body) {
      for (let attempt = 0; attempt < 200; attempt += 1) {
        if (!socket.connected || !synced) {
          await pause(50);
          continue;
        }
        try {
          const result = (await socket.timeout(3_000).emitWithAck("chat:send", { conversationId, clientMessageId, body })) as Ack<MessageDto>;
          if (result.ok) {
            apply([result.data], "live");
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
      if (gapTimer) clearTimeout(gapTimer);
      socket.disconnect();
    },
  };

  /** False from a disconnect until the resync after the next connect: sends wait, as the outbox does. */
  let synced = false;
  socket.on("disconnect", () => {
    client.disconnects += 1;
    synced = false;
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

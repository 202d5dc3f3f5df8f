/**
 * Plain text sends on SQLite, stored in batches (group commit): every send that arrives while the
 * previous batch is being written joins the next one, which is one transaction on the connection
 * itself with prepared statements: per conversation one counter update, then one insert per
 * message, then one read-pointer update per author. Prisma's per-query cost (query building,
 * result mapping, a statement prepared per query) was ~60 % of the server's CPU on the send path
 * (docs/PERFORMANCE.md). A batch waits SEND_BATCH_WINDOW_MS for company, then commits.
 *
 * Anything unusual (a retry, a reply, attachments, an error) takes the ordinary path in
 * message-service.ts, which knows every rule; this only does the common case, the same way.
 */
import { randomBytes } from "node:crypto";

import type BetterSqlite3 from "better-sqlite3";

import type { DirectSqlite } from "@/lib/db/serialized-adapter";
import { getLogger } from "@/lib/logger";
import { exposeCount } from "@/lib/ops/debug-counts";
import type { MessageRow } from "@/lib/services/chat-dto";

export type BatchedAppend = { conversationId: string; authorId: string; body: string; clientMessageId: string; preview: string };

export type BatchOutcome =
  | { kind: "stored"; row: MessageRow }
  /** This (author, clientMessageId) is already stored, or twice in the batch: a retry. */
  | { kind: "duplicate" }
  /** The conversation no longer exists. */
  | { kind: "gone" }
  /** The batch failed; the caller retries on the ordinary path, which reports the error properly. */
  | { kind: "failed"; error: unknown };

/** Bounds one synchronous transaction (the event loop waits for it): ~256 inserts is a few ms. */
const MAX_BATCH = 256;

type Waiter = { input: BatchedAppend; settle: (outcome: BatchOutcome) => void };
let queue: Waiter[] = [];
let draining = false;
exposeCount("messages.appendQueue", () => queue.length);

export function appendBatched(direct: DirectSqlite, input: BatchedAppend): Promise<BatchOutcome> {
  return new Promise((settle) => {
    queue.push({ input, settle });
    if (!draining) {
      draining = true;
      void drain(direct);
    }
  });
}

/**
 * How long a batch stays open for more sends. A commit writes every page it touched (the message
 * table, its three indexes, the conversation and its activity index, the read pointer) whatever
 * the batch size, so one send per commit costs ~90 µs of CPU and 64 per commit ~12 µs (measured
 * on this machine); 2 ms is small beside a network round trip.
 */
export const SEND_BATCH_WINDOW_MS = 2;

const windowElapsed = () => new Promise<void>((resolve) => setTimeout(resolve, SEND_BATCH_WINDOW_MS));

async function drain(direct: DirectSqlite): Promise<void> {
  try {
    while (queue.length > 0) {
      await windowElapsed();
      let taken: Waiter[] = [];
      try {
        await direct.run((connection) => {
          // Taken once the lock is ours: whatever queued while it was busy goes in together.
          taken = queue.slice(0, MAX_BATCH);
          queue = queue.slice(taken.length);
          const outcomes = writeBatch(connection, taken.map((waiter) => waiter.input));
          taken.forEach((waiter, index) => waiter.settle(outcomes[index] ?? { kind: "failed", error: new Error("no outcome") }));
        });
      } catch (error) {
        getLogger().warn({ err: error, sends: taken.length }, "batched send failed; retrying each on its own");
        for (const waiter of taken) waiter.settle({ kind: "failed", error });
      }
    }
  } finally {
    draining = false;
  }
}

type Statements = {
  findByClientId: BetterSqlite3.Statement<[string, string]>;
  bump: BetterSqlite3.Statement<[number, number, string, string, string, string, string]>;
  insert: BetterSqlite3.Statement<[string, string, number, number, string, string, string, string]>;
  markRead: BetterSqlite3.Statement<[number, string, string, number]>;
};
const statements = new WeakMap<BetterSqlite3.Database, Statements>();

function statementsOf(connection: BetterSqlite3.Database): Statements {
  let prepared = statements.get(connection);
  if (!prepared) {
    prepared = {
      findByClientId: connection.prepare(`SELECT 1 FROM "Message" WHERE "authorId" = ? AND "clientMessageId" = ?`),
      // Prisma's adapter turns safe integers on for the connection: counters come back as numbers here.
      bump: connection
        .prepare<[number, number, string, string, string, string, string]>(
          `UPDATE "Conversation" SET "lastSeq" = "lastSeq" + ?, "lastVersion" = "lastVersion" + ?, "lastActivityAt" = ?,
             "lastMessagePreview" = ?, "lastMessageAuthorId" = ?, "updatedAt" = ?
           WHERE "id" = ? RETURNING "lastSeq", "lastVersion"`,
        )
        .safeIntegers(false),
      insert: connection.prepare(
        `INSERT INTO "Message" ("id", "conversationId", "seq", "version", "authorId", "clientMessageId", "kind", "body", "createdAt")
         VALUES (?, ?, ?, ?, ?, ?, 'text', ?, ?)`,
      ),
      markRead: connection.prepare(`UPDATE "Membership" SET "readSeq" = ? WHERE "conversationId" = ? AND "userId" = ? AND "readSeq" < ?`),
    };
    statements.set(connection, prepared);
  }
  return prepared;
}

/** The text Prisma's SQLite adapter writes for a DateTime, so both kinds of rows read back the same. */
const sqliteTimestamp = (at: Date): string => at.toISOString().replace("Z", "+00:00");

/** Random bytes drawn from a pool: one `randomBytes` call per message was 3 % of the send path's CPU. */
let entropy = Buffer.alloc(0);
let entropyOffset = 0;
function randomHex(bytes: number): string {
  if (entropyOffset + bytes > entropy.length) {
    entropy = randomBytes(4096);
    entropyOffset = 0;
  }
  entropyOffset += bytes;
  return entropy.toString("hex", entropyOffset - bytes, entropyOffset);
}

/** Same shape as Prisma's cuid ids (a letter, then 24 lowercase alphanumerics), 60 random bits. */
const newMessageId = (): string => `c${Date.now().toString(36).padStart(9, "0")}${randomHex(8).slice(0, 15)}`;

function writeBatch(connection: BetterSqlite3.Database, inputs: readonly BatchedAppend[]): BatchOutcome[] {
  const sql = statementsOf(connection);
  return connection.transaction((): BatchOutcome[] => {
    const outcomes: BatchOutcome[] = inputs.map(() => ({ kind: "duplicate" }));
    const seen = new Set<string>();
    const byConversation = new Map<string, number[]>();
    inputs.forEach((input, index) => {
      const key = `${input.authorId}\u0000${input.clientMessageId}`;
      if (seen.has(key) || sql.findByClientId.get(input.authorId, input.clientMessageId)) return;
      seen.add(key);
      const indexes = byConversation.get(input.conversationId);
      if (indexes) indexes.push(index);
      else byConversation.set(input.conversationId, [index]);
    });
    const now = new Date();
    const stamp = sqliteTimestamp(now);
    for (const [conversationId, indexes] of byConversation) {
      const newest = inputs[indexes[indexes.length - 1]!]!;
      const counters = sql.bump.get(indexes.length, indexes.length, stamp, newest.preview, newest.authorId, stamp, conversationId) as
        | { lastSeq: number; lastVersion: number }
        | undefined;
      if (!counters) {
        for (const index of indexes) outcomes[index] = { kind: "gone" };
        continue;
      }
      let seq = counters.lastSeq - indexes.length;
      let version = counters.lastVersion - indexes.length;
      const readUpTo = new Map<string, number>();
      for (const index of indexes) {
        const input = inputs[index]!;
        seq += 1;
        version += 1;
        const id = newMessageId();
        sql.insert.run(id, conversationId, seq, version, input.authorId, input.clientMessageId, input.body, stamp);
        readUpTo.set(input.authorId, seq);
        outcomes[index] = {
          kind: "stored",
          row: {
            id,
            conversationId,
            seq,
            version,
            authorId: input.authorId,
            clientMessageId: input.clientMessageId,
            kind: "text",
            body: input.body,
            replyToId: null,
            editedAt: null,
            deletedAt: null,
            createdAt: now,
            reactions: [],
            attachments: [],
          },
        };
      }
      // Own messages are read by definition (as in appendMessage).
      for (const [authorId, readSeq] of readUpTo) sql.markRead.run(readSeq, conversationId, authorId, readSeq);
    }
    return outcomes;
  })();
}

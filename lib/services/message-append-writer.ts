/**
 * The SQL of a batch of plain text sends (message-append-batch.ts), run on a better-sqlite3
 * connection: per conversation one counter update, one insert per message, one read-pointer
 * update per author, all in one transaction.
 *
 * `createBatchWriter` is self-contained on purpose (no imports, no outer names, types only):
 * the send worker (message-append-worker.ts) runs its source text in a worker thread, and the
 * process runs the same function on its own connection when there is no worker.
 */
import type BetterSqlite3 from "better-sqlite3";

export type BatchedAppend = { conversationId: string; authorId: string; body: string; clientMessageId: string; preview: string };

/**
 * What the writer decides for one send; "failed" is added by the caller for a batch that threw.
 * A stored send comes back as what the database assigned (the rest is the input): less to copy
 * back from the worker.
 */
export type WrittenOutcome =
  | { kind: "stored"; id: string; seq: number; version: number; createdAt: Date }
  /** This (author, clientMessageId) is already stored, or twice in the batch: a retry. */
  | { kind: "duplicate" }
  /** The conversation no longer exists. */
  | { kind: "gone" };

export type BatchWriter = (inputs: readonly BatchedAppend[]) => WrittenOutcome[];

/** `newMessageId`: from message-id.ts (passed in: this function may not refer to anything outside it). */
export function createBatchWriter(connection: BetterSqlite3.Database, newMessageId: () => string): BatchWriter {
  const findByClientId = connection.prepare<[string, string]>(`SELECT 1 FROM "Message" WHERE "authorId" = ? AND "clientMessageId" = ?`);
  // Prisma's adapter turns safe integers on for its connection: counters come back as numbers here.
  const bump = connection
    .prepare<[number, number, string, string, string, string, string]>(
      `UPDATE "Conversation" SET "lastSeq" = "lastSeq" + ?, "lastVersion" = "lastVersion" + ?, "lastActivityAt" = ?,
         "lastMessagePreview" = ?, "lastMessageAuthorId" = ?, "updatedAt" = ?
       WHERE "id" = ? RETURNING "lastSeq", "lastVersion"`,
    )
    .safeIntegers(false);
  const insert = connection.prepare<[string, string, number, number, string, string, string, string]>(
    `INSERT INTO "Message" ("id", "conversationId", "seq", "version", "authorId", "clientMessageId", "kind", "body", "createdAt")
     VALUES (?, ?, ?, ?, ?, ?, 'text', ?, ?)`,
  );
  const markRead = connection.prepare<[number, string, string, number]>(
    `UPDATE "Membership" SET "readSeq" = ? WHERE "conversationId" = ? AND "userId" = ? AND "readSeq" < ?`,
  );


  const write = connection.transaction((inputs: readonly BatchedAppend[]): WrittenOutcome[] => {
    const outcomes: WrittenOutcome[] = inputs.map(() => ({ kind: "duplicate" }));
    const seen = new Set<string>();
    const byConversation = new Map<string, number[]>();
    inputs.forEach((input, index) => {
      const key = `${input.authorId}\u0000${input.clientMessageId}`;
      if (seen.has(key) || findByClientId.get(input.authorId, input.clientMessageId)) return;
      seen.add(key);
      const indexes = byConversation.get(input.conversationId);
      if (indexes) indexes.push(index);
      else byConversation.set(input.conversationId, [index]);
    });
    const now = new Date();
    // The text Prisma's SQLite adapter writes for a DateTime, so both kinds of rows read back the same.
    const stamp = now.toISOString().replace("Z", "+00:00");
    for (const [conversationId, indexes] of byConversation) {
      const newest = inputs[indexes[indexes.length - 1]!]!;
      const counters = bump.get(indexes.length, indexes.length, stamp, newest.preview, newest.authorId, stamp, conversationId) as
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
        insert.run(id, conversationId, seq, version, input.authorId, input.clientMessageId, input.body, stamp);
        readUpTo.set(input.authorId, seq);
        outcomes[index] = { kind: "stored", id, seq, version, createdAt: now };
      }
      // Own messages are read by definition (as in appendMessage).
      for (const [authorId, readSeq] of readUpTo) markRead.run(readSeq, conversationId, authorId, readSeq);
    }
    return outcomes;
  });
  return (inputs) => write(inputs);
}

/**
 * A batch of plain text sends on PostgreSQL (message-append-batch.ts): one transaction of five
 * statements whatever the batch size: which of them are retries, lock the conversations (in id
 * order, so two processes' batches can never deadlock), move their counters, insert every
 * message, move the authors' read pointers. Same outcomes as the SQLite writer
 * (message-append-writer.ts); a unique violation (a retry racing in from another process) fails
 * the batch, and each send then takes the ordinary path.
 */
import { randomBytes } from "node:crypto";

import { Prisma, type PrismaClient } from "@/lib/generated/prisma/client";

import type { BatchedAppend, WrittenOutcome } from "./message-append-writer";
import { createMessageIdGenerator } from "./message-id";

type Counters = { id: string; lastSeq: number; lastVersion: number };

/** As the SQLite writer makes them (message-id.ts). */
const newId = createMessageIdGenerator(randomBytes);

export async function writePostgresBatch(db: PrismaClient, inputs: readonly BatchedAppend[]): Promise<WrittenOutcome[]> {
  // READ COMMITTED as for single sends: the row locks order the appends (message-service.ts).
  const options = { maxWait: 8_000, timeout: 8_000, isolationLevel: "ReadCommitted" } as unknown as { maxWait: number; timeout: number };
  return db.$transaction(async (tx) => {
    const outcomes: WrittenOutcome[] = inputs.map(() => ({ kind: "duplicate" }));
    const stored = await tx.$queryRaw<{ authorId: string; clientMessageId: string }[]>`
      SELECT "authorId", "clientMessageId" FROM "Message"
      WHERE ("authorId", "clientMessageId") IN (${Prisma.join(inputs.map((input) => Prisma.sql`(${input.authorId}, ${input.clientMessageId})`))})`;
    const seen = new Set(stored.map((row) => `${row.authorId}\u0000${row.clientMessageId}`));
    const byConversation = new Map<string, number[]>();
    inputs.forEach((input, index) => {
      const key = `${input.authorId}\u0000${input.clientMessageId}`;
      if (seen.has(key)) return;
      seen.add(key);
      const indexes = byConversation.get(input.conversationId);
      if (indexes) indexes.push(index);
      else byConversation.set(input.conversationId, [index]);
    });
    if (byConversation.size === 0) return outcomes;

    const ids = [...byConversation.keys()].sort();
    await tx.$queryRaw`SELECT "id" FROM "Conversation" WHERE "id" IN (${Prisma.join(ids)}) ORDER BY "id" FOR UPDATE`;
    const now = new Date();
    const moves = ids.map((id) => {
      const indexes = byConversation.get(id)!;
      const newest = inputs[indexes[indexes.length - 1]!]!;
      return Prisma.sql`(${id}::text, ${indexes.length}::integer, ${newest.preview}::text, ${newest.authorId}::text)`;
    });
    const counters = await tx.$queryRaw<Counters[]>`
      UPDATE "Conversation" AS c SET "lastSeq" = c."lastSeq" + v.n, "lastVersion" = c."lastVersion" + v.n,
        "lastActivityAt" = ${now}, "lastMessagePreview" = v.preview, "lastMessageAuthorId" = v.author, "updatedAt" = ${now}
      FROM (VALUES ${Prisma.join(moves)}) AS v(id, n, preview, author)
      WHERE c."id" = v.id
      RETURNING c."id", c."lastSeq", c."lastVersion"`;
    const countersById = new Map(counters.map((row) => [row.id, row]));

    const rows: Prisma.Sql[] = [];
    const reads: Prisma.Sql[] = [];
    for (const [conversationId, indexes] of byConversation) {
      const current = countersById.get(conversationId);
      if (!current) {
        for (const index of indexes) outcomes[index] = { kind: "gone" };
        continue;
      }
      let seq = current.lastSeq - indexes.length;
      let version = current.lastVersion - indexes.length;
      const readUpTo = new Map<string, number>();
      for (const index of indexes) {
        const input = inputs[index]!;
        seq += 1;
        version += 1;
        const id = newId();
        rows.push(Prisma.sql`(${id}, ${conversationId}, ${seq}, ${version}, ${input.authorId}, ${input.clientMessageId}, 'text', ${input.body}, ${now})`);
        readUpTo.set(input.authorId, seq);
        outcomes[index] = { kind: "stored", id, seq, version, createdAt: now };
      }
      for (const [authorId, readSeq] of readUpTo) reads.push(Prisma.sql`(${conversationId}::text, ${authorId}::text, ${readSeq}::integer)`);
    }
    if (rows.length === 0) return outcomes;
    await tx.$executeRaw`
      INSERT INTO "Message" ("id", "conversationId", "seq", "version", "authorId", "clientMessageId", "kind", "body", "createdAt")
      VALUES ${Prisma.join(rows)}`;
    // Own messages are read by definition (as in appendMessage).
    await tx.$executeRaw`
      UPDATE "Membership" AS m SET "readSeq" = v.seq
      FROM (VALUES ${Prisma.join(reads)}) AS v(conversation, author, seq)
      WHERE m."conversationId" = v.conversation AND m."userId" = v.author AND m."readSeq" < v.seq`;
    return outcomes;
  }, options);
}

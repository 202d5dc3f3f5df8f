// Batched sends on the real SQLite connection (through the same lock as Prisma): every outcome is
// the one the ordinary path would give, and the rows read back through Prisma exactly as its own.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createPrismaClient } from "@/lib/db";
import { applyMigrations } from "@/lib/db/migrate";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createPostgresTestDatabase, dropPostgresTestDatabase, TEST_POSTGRES_URL } from "@/test/support/database";

import {
  appendBatched,
  type BatchedAppend,
  type BatchOutcome,
  type BatchTarget,
  lastBatchWriter,
  lastRunBatches,
  sendWorkerStarted,
  startBatchWrites,
  walFramesCheckpointed,
} from "./message-append-batch";
import { WRITER_FALLBACK_PAGES } from "@/lib/db/wal-checkpointer";

const provider = TEST_POSTGRES_URL ? "postgresql" : "sqlite";

// Every writer: on SQLite the worker thread (the default) and the process's own connection
// (PARLEY_SEND_WORKER=0); on PostgreSQL its statements through Prisma.
const writers = provider === "sqlite" ? (["worker", "main thread"] as const) : (["postgres"] as const);
describe.each(writers)(`batched sends (${provider}), written by %s`, (writer) => {
  let tmp: string;
  let databaseUrl: string;
  let db: PrismaClient;
  let target: BatchTarget;
  let authorId: string;
  let otherId: string;

  const previousSwitch = process.env.PARLEY_SEND_WORKER;
  beforeAll(async () => {
    if (writer === "main thread") process.env.PARLEY_SEND_WORKER = "0";
    else delete process.env.PARLEY_SEND_WORKER;
    tmp = mkdtempSync(path.join(os.tmpdir(), "parley-batch-"));
    databaseUrl = TEST_POSTGRES_URL ? await createPostgresTestDatabase(TEST_POSTGRES_URL) : `file:${path.join(tmp, "test.db")}`;
    await applyMigrations({ databaseUrl });
    const created = createPrismaClient(databaseUrl);
    await created.ready;
    db = created.client;
    target = created.holder.direct ? { sqlite: created.holder.direct } : { postgres: db };
    authorId = (await db.user.create({ data: { email: "author@example.test", name: "Author", passwordHash: "x" } })).id;
    otherId = (await db.user.create({ data: { email: "other@example.test", name: "Other", passwordHash: "x" } })).id;
  });

  afterAll(async () => {
    if (previousSwitch === undefined) delete process.env.PARLEY_SEND_WORKER;
    else process.env.PARLEY_SEND_WORKER = previousSwitch;
    await db?.$disconnect();
    if (TEST_POSTGRES_URL) await dropPostgresTestDatabase(databaseUrl);
    rmSync(tmp, { recursive: true, force: true });
  });

  const newGroup = () =>
    db.conversation.create({
      data: { kind: "group", name: "g", createdById: authorId, memberships: { create: [{ userId: authorId }, { userId: otherId }] } },
    });

  const stored = (outcome: BatchOutcome) => {
    if (outcome.kind !== "stored") throw new Error(`expected stored, got ${outcome.kind}: ${String((outcome as { error?: unknown }).error)}`);
    return outcome.row;
  };

  // First in the file's first run (the worker's): nothing has started the worker yet.
  it("starting the writes before any send readies the worker, and the sends after it go to their writer", async () => {
    if (writer === "worker") expect(sendWorkerStarted()).toBe(false);
    await startBatchWrites(target);
    if (writer === "worker") expect(sendWorkerStarted()).toBe(true);
    const group = await newGroup();
    stored(await appendBatched(target, { conversationId: group.id, authorId, body: "first", clientMessageId: "first", preview: "first" }));
    if (writer !== "postgres") expect(lastBatchWriter()).toBe(writer);
  });

  // SQLite only (PostgreSQL has no WAL file of ours): registered only there, not skipped elsewhere.
  if (provider === "sqlite") it("WAL checkpoints run in their own thread once the writes start; the writers keep only a fallback", async () => {
    await startBatchWrites(target);
    if (!("sqlite" in target)) throw new Error("SQLite only");
    const pages = await target.sqlite.run((connection) => connection.pragma("wal_autocheckpoint", { simple: true }));
    expect(Number(pages)).toBe(WRITER_FALLBACK_PAGES);
    const before = walFramesCheckpointed();
    expect(before).not.toBeNull();
    const group = await newGroup();
    for (let index = 0; index < 20; index += 1) {
      stored(await appendBatched(target, { conversationId: group.id, authorId, body: `wal ${index}`, clientMessageId: `wal-${writer}-${index}`, preview: "wal" }));
    }
    // Copied by the thread (every 100 ms), not by a writer: their threshold is far away.
    const deadline = Date.now() + 10_000;
    while ((walFramesCheckpointed() ?? 0) <= (before ?? 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(walFramesCheckpointed()).toBeGreaterThan(before ?? 0);
  });

  it("stores concurrent sends to several conversations in one batch, seqs gap-free per conversation", async () => {
    const [a, b] = await Promise.all([newGroup(), newGroup()]);
    const sends: BatchedAppend[] = Array.from({ length: 40 }, (_, index) => ({
      conversationId: index % 2 ? a.id : b.id,
      authorId: index % 3 ? authorId : otherId,
      body: `message ${index}`,
      clientMessageId: `batch-${index}`,
      preview: `preview ${index}`,
    }));
    const rows = (await Promise.all(sends.map((send) => appendBatched(target, send)))).map(stored);
    if (writer !== "postgres") expect(lastBatchWriter()).toBe(writer);

    for (const conversation of [a, b]) {
      const own = rows.filter((row) => row.conversationId === conversation.id);
      // Seqs follow arrival order within a conversation; versions move with them.
      expect(own.map((row) => row.seq)).toEqual(own.map((_, index) => index + 1));
      expect(own.map((row) => row.version)).toEqual(own.map((_, index) => index + 1));
      const after = await db.conversation.findUniqueOrThrow({ where: { id: conversation.id } });
      expect(after).toMatchObject({ lastSeq: 20, lastVersion: 20, lastMessagePreview: sends.filter((send) => send.conversationId === conversation.id).at(-1)!.preview });
      expect(after.updatedAt.getTime()).toBeGreaterThan(conversation.updatedAt.getTime() - 1);
      // Prisma reads back exactly what the batch returned (ids, timestamps, nulls).
      const read = await db.message.findMany({ where: { conversationId: conversation.id }, orderBy: { seq: "asc" }, include: { reactions: true, attachments: true } });
      expect(read).toEqual(own);
      // Own messages are read by their author.
      const memberships = await db.membership.findMany({ where: { conversationId: conversation.id } });
      for (const membership of memberships) {
        expect(membership.readSeq).toBe(Math.max(0, ...own.filter((row) => row.authorId === membership.userId).map((row) => row.seq)));
      }
    }
  });

  it("more sends than one batch holds: the next batch is written while the first is answered, seqs still in arrival order", async () => {
    const group = await newGroup();
    // 600 at once: batches of at most 256, so the worker is handed the next batch before the previous one is answered.
    const sends: BatchedAppend[] = Array.from({ length: 600 }, (_, index) => ({
      conversationId: group.id,
      authorId: index % 2 ? authorId : otherId,
      body: `burst ${index}`,
      clientMessageId: `burst-${index}`,
      preview: `burst ${index}`,
    }));
    const rows = (await Promise.all(sends.map((send) => appendBatched(target, send)))).map(stored);
    expect(rows.map((row) => row.seq)).toEqual(sends.map((_, index) => index + 1));
    expect(rows.map((row) => row.body)).toEqual(sends.map((send) => send.body));
    if (writer === "worker") expect(lastRunBatches()).toBe(3);
    const read = await db.message.findMany({ where: { conversationId: group.id }, orderBy: { seq: "asc" }, select: { seq: true, clientMessageId: true } });
    expect(read).toEqual(sends.map((send, index) => ({ seq: index + 1, clientMessageId: send.clientMessageId })));
    expect((await db.conversation.findUniqueOrThrow({ where: { id: group.id } })).lastSeq).toBe(600);
  });

  it("answers duplicate for a retry, whether already stored or twice in the same batch, and stores it once", async () => {
    const group = await newGroup();
    const send = { conversationId: group.id, authorId, body: "once", clientMessageId: "retry-me", preview: "once" };
    const [first, second] = await Promise.all([appendBatched(target, send), appendBatched(target, send)]);
    expect(first.kind).toBe("stored");
    expect(second.kind).toBe("duplicate");
    expect((await appendBatched(target, send)).kind).toBe("duplicate");
    expect(await db.message.count({ where: { conversationId: group.id } })).toBe(1);
    expect((await db.conversation.findUniqueOrThrow({ where: { id: group.id } })).lastSeq).toBe(1);
  });

  it("answers gone for a conversation that no longer exists and still stores the rest of the batch", async () => {
    const [kept, removed] = await Promise.all([newGroup(), newGroup()]);
    await db.conversation.delete({ where: { id: removed.id } });
    const [toRemoved, toKept] = await Promise.all([
      appendBatched(target, { conversationId: removed.id, authorId, body: "lost", clientMessageId: "gone-1", preview: "lost" }),
      appendBatched(target, { conversationId: kept.id, authorId, body: "kept", clientMessageId: "gone-2", preview: "kept" }),
    ]);
    expect(toRemoved.kind).toBe("gone");
    expect(stored(toKept).seq).toBe(1);
    expect(await db.message.count({ where: { conversationId: removed.id } })).toBe(0);
  });
});

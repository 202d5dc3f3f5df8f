/**
 * Plain text sends on SQLite, stored in batches (group commit): every send that arrives while the
 * previous batch is being written joins the next one, which is one transaction: on SQLite with
 * prepared statements (message-append-writer.ts) in a worker thread (message-append-worker.ts), on
 * PostgreSQL five statements for the whole batch (message-append-postgres.ts).
 * Prisma's per-query cost (query building, result mapping, a statement prepared per query) was
 * ~60 % of the server's CPU on the send path (docs/PERFORMANCE.md). A batch takes the sends
 * read in the current turn of the event loop, then commits; sends that arrive while it is written
 * wait for the next one, so batches grow with the load on their own (group commit).
 *
 * Anything unusual (a retry, a reply, attachments, an error) takes the ordinary path in
 * message-service.ts, which knows every rule; this only does the common case, the same way.
 */
import type { DirectSqlite } from "@/lib/db/serialized-adapter";
import { startWalCheckpointer, type WalCheckpointer, WRITER_FALLBACK_PAGES } from "@/lib/db/wal-checkpointer";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import type { MessageRow } from "@/lib/services/chat-dto";
import { getLogger } from "@/lib/logger";
import { exposeCount } from "@/lib/ops/debug-counts";

import { writePostgresBatch } from "./message-append-postgres";
import { localWriter, type SendWorker, startSendWorker } from "./message-append-worker";
import type { BatchedAppend, WrittenOutcome } from "./message-append-writer";

export type { BatchedAppend } from "./message-append-writer";

/** Where batches go: SQLite's connection (and its worker), or PostgreSQL through Prisma (message-append-postgres.ts). */
export type BatchTarget = { sqlite: DirectSqlite } | { postgres: PrismaClient };

export type BatchOutcome =
  | { kind: "stored"; row: MessageRow }
  | Exclude<WrittenOutcome, { kind: "stored" }>
  /** The batch failed; the caller retries on the ordinary path, which reports the error properly. */
  | { kind: "failed"; error: unknown };

/** Bounds one transaction (and the lock held meanwhile): 256 inserts is a few ms. */
const MAX_BATCH = 256;


type Waiter = { input: BatchedAppend; settle: (outcome: BatchOutcome) => void };
let queue: Waiter[] = [];
let draining = false;
exposeCount("messages.appendQueue", () => queue.length);

/** The worker for this process's database; null: write on the process's own connection. */
let worker: { file: string; worker: SendWorker } | null | undefined;
/** PARLEY_SEND_WORKER=0 keeps the writes on the process's own connection (a test switch, and a way out). */
const workerWanted = () => process.env.PARLEY_SEND_WORKER !== "0";

/** The WAL checkpoint thread for this process's database, once started (startBatchWrites). */
let checkpointer: { file: string; thread: WalCheckpointer } | null = null;

function workerFor(direct: DirectSqlite): SendWorker | null {
  if (!workerWanted()) return null;
  if (worker === undefined || (worker && worker.file !== direct.file)) {
    try {
      const checkpointed = checkpointer?.file === direct.file && checkpointer.thread.alive;
      worker = { file: direct.file, worker: startSendWorker(direct.file, checkpointed ? WRITER_FALLBACK_PAGES : null) };
    } catch (error) {
      getLogger().warn({ err: error }, "send worker could not start; sends are written in the main thread");
      worker = null;
    }
  }
  return worker?.worker.alive ? worker.worker : null;
}

/**
 * Starts the send worker with the server rather than at the first send: its thread, the driver and
 * the prepared statements took ~60–100 ms, and after every start the first sends of every
 * conversation waited for them (at 2,000 msgs/s a queue of ~200 sends up to 100 ms late, most of
 * the 1,000-user run's p99: docs/PERFORMANCE.md). Resolves when the worker is ready or has failed.
 */
export async function startBatchWrites(target: BatchTarget): Promise<void> {
  if (!("sqlite" in target)) return;
  await startCheckpoints(target.sqlite);
  await workerFor(target.sqlite)?.ready;
}

/**
 * WAL checkpoints leave the send path for a thread of their own (lib/db/wal-checkpointer.ts); this
 * process's connection, like the send worker's, then checkpoints only past the fallback size.
 */
async function startCheckpoints(direct: DirectSqlite): Promise<void> {
  if (checkpointer?.file === direct.file) return;
  void checkpointer?.thread.close(); // another database (tests): its thread is done
  checkpointer = null;
  let thread: WalCheckpointer;
  try {
    thread = startWalCheckpointer(direct.file, (message) => getLogger().warn({ problem: message }, "WAL checkpoint thread: the writers checkpoint past the fallback size"));
  } catch (error) {
    getLogger().warn({ err: error }, "WAL checkpoint thread could not start; the writers checkpoint as usual");
    return;
  }
  if (!(await thread.ready)) return;
  checkpointer = { file: direct.file, thread };
  await direct.run((connection) => connection.pragma(`wal_autocheckpoint = ${WRITER_FALLBACK_PAGES}`));
}

/** For tests: WAL frames the checkpoint thread has copied (null: no thread). */
export const walFramesCheckpointed = () => checkpointer?.thread.framesCheckpointed ?? null;

/** For tests: a send worker has started and is running. */
export const sendWorkerStarted = () => worker?.worker.started ?? false;

/** Who wrote the last batch (for the tests). */
let lastWriter: "worker" | "main thread" | null = null;
export const lastBatchWriter = () => lastWriter;
let lastRun = 0;
/** For tests: how many batches the last lock hold wrote (more than one: pipelined through the worker). */
export const lastRunBatches = () => lastRun;

export function appendBatched(target: BatchTarget, input: BatchedAppend): Promise<BatchOutcome> {
  return new Promise((settle) => {
    queue.push({ input, settle });
    if (!draining) {
      draining = true;
      void drain(target);
    }
  });
}

/** The stored row, as Prisma would read it back: a new text message has no reply, reactions or attachments. */
function toOutcome(input: BatchedAppend, written: WrittenOutcome): BatchOutcome {
  if (written.kind !== "stored") return written;
  const { id, seq, version, createdAt } = written;
  const { conversationId, authorId, clientMessageId, body } = input;
  const row: MessageRow = { id, conversationId, seq, version, authorId, clientMessageId, kind: "text", body, replyToId: null, editedAt: null, deletedAt: null, createdAt, reactions: [], attachments: [] };
  return { kind: "stored", row };
}

/**
 * A batch stays open until the end of the current turn, not for a fixed time. A commit writes every
 * page it touched whatever the batch size (one send per commit ~90 µs of the worker's CPU, 64 per
 * commit ~12 µs), but under load the sends that arrive during a write already make the next batch
 * large; a fixed 2 ms window only delayed every send when the server was not busy: at 2,000
 * msgs/s p50 3.1 → 1.0 ms, and rooms of 10 at capacity 0.70 → 0.75× bare (docs/PERFORMANCE.md).
 */
const turnEnded = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * How many batches one run through the worker may write while holding the database lock (at most
 * ~30 ms at 256 sends each): queries of the rest of the process (notifications, reads) wait
 * meanwhile, and get their turn during the next window.
 */
const MAX_PIPELINED_BATCHES = 4;

function takeBatch(): Waiter[] {
  const taken = queue.slice(0, MAX_BATCH);
  queue = queue.slice(taken.length);
  return taken;
}

const inputsOf = (waiters: readonly Waiter[]) => waiters.map((waiter) => waiter.input);

function settle(waiters: readonly Waiter[], outcomes: readonly WrittenOutcome[]): void {
  waiters.forEach((waiter, index) => {
    const written = outcomes[index];
    waiter.settle(written ? toOutcome(waiter.input, written) : { kind: "failed", error: new Error("no outcome") });
  });
}

function fail(waiters: readonly Waiter[], error: unknown): void {
  getLogger().warn({ err: error, sends: waiters.length }, "batched send failed; retrying each on its own");
  for (const waiter of waiters) waiter.settle({ kind: "failed", error });
}

/**
 * The worker writes while this thread delivers: when a batch comes back, the sends that queued
 * during its write are posted to the worker first (it takes batches in order, one transaction
 * each), and only then is the finished batch answered. Without the overlap each thread waited for
 * the other and neither was busy more than ~75 % at capacity (docs/PERFORMANCE.md).
 */
async function pipeline(writer: SendWorker): Promise<void> {
  // A rejection, never a throw: every batch taken is answered below.
  const submit = (batch: readonly Waiter[]): Promise<WrittenOutcome[]> => {
    try {
      return writer.write(inputsOf(batch));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  let waiters = takeBatch();
  let written = submit(waiters);
  let batches = 1;
  for (;;) {
    let outcomes: WrittenOutcome[] | null = null;
    let error: unknown = null;
    try {
      outcomes = await written;
    } catch (caught) {
      error = caught;
    }
    const next = queue.length > 0 && batches < MAX_PIPELINED_BATCHES ? takeBatch() : null;
    const nextWritten = next ? submit(next) : null;
    if (outcomes) settle(waiters, outcomes);
    else fail(waiters, error);
    lastRun = batches;
    if (!next || !nextWritten) return;
    batches += 1;
    waiters = next;
    written = nextWritten;
  }
}

/** One lock hold: a single batch (PostgreSQL, or SQLite written on this thread), or a pipeline through the worker. */
async function writeBatches(target: BatchTarget): Promise<void> {
  if ("postgres" in target) {
    const waiters = takeBatch();
    try {
      settle(waiters, await writePostgresBatch(target.postgres, inputsOf(waiters)));
    } catch (error) {
      fail(waiters, error);
    }
    return;
  }
  const direct = target.sqlite;
  let taken: Waiter[] = [];
  try {
    await direct.run(async (connection) => {
      // Taken once the lock is ours: whatever queued while it was busy goes in together.
      const writer = workerFor(direct);
      lastWriter = writer ? "worker" : "main thread";
      if (writer) return pipeline(writer);
      taken = takeBatch();
      lastRun = 1;
      settle(taken, localWriter(connection)(inputsOf(taken)));
    });
  } catch (error) {
    // The lock or the main-thread writer failed; the pipeline answers its own batches.
    fail(taken, error);
  }
}

async function drain(target: BatchTarget): Promise<void> {
  try {
    while (queue.length > 0) {
      await turnEnded();
      await writeBatches(target);
    }
  } finally {
    draining = false;
  }
}

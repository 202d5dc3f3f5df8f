/**
 * The send batches' SQLite work in a worker thread with its own connection to the same file. The
 * process's one event loop does everything else (frames, validation, fan-out, acks), and on this
 * machine the batch's statements and commit were a quarter of its CPU per message
 * (docs/PERFORMANCE.md); in the worker they use the other core. The process still holds its
 * database lock (serialized-adapter.ts) while the worker writes, so the two connections never
 * write at once: nothing waits on SQLite's busy handler, and every other query sees either all of
 * a batch or none of it.
 *
 * The worker runs the source text of `createBatchWriter` and `createMessageIdGenerator`
 * (self-contained for this). If the worker cannot start or dies, the batch fails over to the
 * ordinary path and later batches are written on the process's own connection.
 */
import { randomBytes } from "node:crypto";
import { Worker } from "node:worker_threads";

import { sqliteDriverPath } from "@/lib/db/wal-checkpointer";

import type { BatchedAppend, WrittenOutcome } from "./message-append-writer";
import { createBatchWriter } from "./message-append-writer";
import { createMessageIdGenerator } from "./message-id";

export type SendWorker = {
  write(inputs: readonly BatchedAppend[]): Promise<WrittenOutcome[]>;
  /** Settles once the worker has opened the database and prepared its statements, or has failed. */
  readonly ready: Promise<void>;
  /** The worker said it is ready (and has not died since). */
  readonly started: boolean;
  readonly alive: boolean;
  close(): Promise<void>;
};

type Reply = { ready: true } | { id: number; outcomes?: WrittenOutcome[]; error?: string };

// `__name`: the helper esbuild adds for function names when it keeps them (tsx does); a no-op here.
const workerSource = (writer: string, ids: string) => `
const __name = (target) => target;
const { parentPort, workerData } = require("node:worker_threads");
const { randomBytes } = require("node:crypto");
const Database = require(workerData.driver);
const connection = new Database(workerData.file, { timeout: 5000 });
connection.pragma("synchronous = NORMAL");
connection.pragma("foreign_keys = ON");
// Set when a checkpoint thread copies the WAL (lib/db/wal-checkpointer.ts): then only a fallback here.
if (workerData.autocheckpointPages) connection.pragma("wal_autocheckpoint = " + Number(workerData.autocheckpointPages));
const write = (${writer})(connection, (${ids})(randomBytes));
parentPort.postMessage({ ready: true });
parentPort.on("message", ({ id, inputs }) => {
  try {
    parentPort.postMessage({ id, outcomes: write(inputs) });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

/** `autocheckpointPages`: the connection's automatic checkpoint threshold, when not SQLite's default. */
export function startSendWorker(file: string, autocheckpointPages: number | null = null): SendWorker {
  const workerData = { driver: sqliteDriverPath(), file, autocheckpointPages };
  const worker = new Worker(workerSource(createBatchWriter.toString(), createMessageIdGenerator.toString()), { eval: true, workerData });
  worker.unref();
  const pending = new Map<number, { resolve: (outcomes: WrittenOutcome[]) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let alive = true;
  let started = false;
  let markReady = () => {};
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const failAll = (error: Error) => {
    alive = false;
    markReady();
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.on("message", (reply: Reply) => {
    if ("ready" in reply) {
      started = true;
      return markReady();
    }
    const { id, outcomes, error } = reply;
    const waiter = pending.get(id);
    pending.delete(id);
    if (error !== undefined || !outcomes) waiter?.reject(new Error(error ?? "no outcomes"));
    else waiter?.resolve(outcomes);
  });
  worker.on("error", (error) => failAll(error));
  worker.on("exit", (code) => failAll(new Error(`send worker exited (${code})`)));
  return {
    get alive() {
      return alive;
    },
    get started() {
      return started && alive;
    },
    ready,
    write(inputs) {
      if (!alive) return Promise.reject(new Error("send worker is not running"));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, inputs });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}

/** The same writer on the process's own connection (no worker, or it died). */
const localWriters = new WeakMap<object, ReturnType<typeof createBatchWriter>>();
export function localWriter(connection: Parameters<typeof createBatchWriter>[0]): ReturnType<typeof createBatchWriter> {
  let writer = localWriters.get(connection);
  if (!writer) {
    writer = createBatchWriter(connection, createMessageIdGenerator(randomBytes));
    localWriters.set(connection, writer);
  }
  return writer;
}

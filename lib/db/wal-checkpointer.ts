/**
 * SQLite's WAL checkpoints in a thread of their own. By default the connection whose commit takes
 * the WAL past 1,000 pages copies it into the database file and syncs both files, there and then:
 * at 2,000 msgs/s the send worker did so every ~140 ms, 5–8 ms each, and every send queued behind
 * that batch waited (most of the 1,000-user run's p95: docs/PERFORMANCE.md). Here a thread with its
 * own connection runs a PASSIVE checkpoint every CHECKPOINT_INTERVAL_MS, which never blocks a writer
 * or reader; once it has copied the whole WAL the next commit starts the WAL over, so it stays a few
 * MB. The writers keep an automatic checkpoint at WRITER_FALLBACK_PAGES (40 MB) in case this thread
 * falls behind or dies. Node-only.
 */
import { createRequire } from "node:module";
import path from "node:path";
import { Worker } from "node:worker_threads";

/** How often the thread checkpoints; at 2,000 msgs/s the WAL grows ~3 MB (~700 pages) in this time. */
export const CHECKPOINT_INTERVAL_MS = 100;
/** The writers' own automatic checkpoint while the thread runs (SQLite's default is 1,000 pages). */
export const WRITER_FALLBACK_PAGES = 10_000;

/** better-sqlite3 resolved from the project (a worker's eval'd code cannot resolve it itself). */
export function sqliteDriverPath(): string {
  return createRequire(path.join(process.cwd(), "package.json")).resolve("better-sqlite3");
}

const checkpointerSource = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const connection = new Database(workerData.file, { timeout: 5000 });
let frames = 0;
let failed = false;
setInterval(() => {
  try {
    const [result] = connection.pragma("wal_checkpoint(PASSIVE)");
    if (result && result.checkpointed > 0) parentPort.postMessage({ frames: (frames += result.checkpointed) });
    failed = false;
  } catch (error) {
    // Reported once per run of failures (a locked or vanished file): the writers' fallback still holds.
    if (!failed) parentPort.postMessage({ error: String((error && error.message) || error) });
    failed = true;
  }
}, workerData.intervalMs);
parentPort.postMessage({ ready: true });
`;

export type WalCheckpointer = {
  /** Settles true once the thread has opened the database, false if it could not start. */
  readonly ready: Promise<boolean>;
  readonly alive: boolean;
  /** WAL frames copied into the database file so far. */
  readonly framesCheckpointed: number;
  close(): Promise<void>;
};

type Reply = { ready: true } | { frames: number } | { error: string };

export function startWalCheckpointer(file: string, onProblem: (message: string) => void): WalCheckpointer {
  const worker = new Worker(checkpointerSource, { eval: true, workerData: { driver: sqliteDriverPath(), file, intervalMs: CHECKPOINT_INTERVAL_MS } });
  worker.unref();
  let alive = true;
  let frames = 0;
  let settleReady: (started: boolean) => void = () => {};
  const ready = new Promise<boolean>((resolve) => (settleReady = resolve));
  worker.on("message", (reply: Reply) => {
    if ("ready" in reply) settleReady(true);
    else if ("frames" in reply) frames = reply.frames;
    else onProblem(reply.error);
  });
  const stopped = (message: string) => {
    if (!alive) return;
    alive = false;
    settleReady(false);
    onProblem(message);
  };
  worker.on("error", (error) => stopped(error.message));
  worker.on("exit", (code) => stopped(`checkpoint thread exited (${code})`));
  return {
    ready,
    get alive() {
      return alive;
    },
    get framesCheckpointed() {
      return frames;
    },
    async close() {
      alive = false;
      await worker.terminate();
    },
  };
}

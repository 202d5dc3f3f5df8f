/**
 * Boots the real Parley process (`node --import tsx server.ts`, production mode, the existing `.next`
 * build) on an ephemeral port with a fresh database, for integration tests over real HTTP and real
 * sockets: a SQLite file in its data directory, or, when TEST_DATABASE_URL_POSTGRES is set, a new
 * PostgreSQL database per data directory (test/support/database.ts). Every process and temp
 * directory started here is cleaned up when the test worker exits.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { serverEnvSchema } from "@/lib/env";
import { createPostgresTestDatabase, dropPostgresTestDatabase, sqliteUrlFor, TEST_POSTGRES_URL } from "@/test/support/database";
import { SERVER_NODE_FLAGS } from "@/scripts/server-node-flags.mjs";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
const READY_LINE = /> Parley ready on (http:\/\/[^\s]+) \((production|development)\)/;

export type StopResult = { code: number | null; signal: NodeJS.Signals | null; ms: number };

export type TestServer = {
  /** Base URL, e.g. http://127.0.0.1:41234 (no trailing slash). */
  url: string;
  port: number;
  /** The AUTH_SECRET the process runs with (signs next-auth cookies and socket tokens). */
  secret: string;
  dataDir: string;
  /** The database the process uses (`file:` SQLite or `postgresql://`). */
  databaseUrl: string;
  process: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far, interleaved. */
  output(): string;
  /** Sends the signal and resolves once the process has exited; `ms` is signal → exit. */
  stop(signal?: NodeJS.Signals): Promise<StopResult>;
  /** SIGKILL, no waiting. */
  kill(): void;
};

export type ExitResult = { code: number | null; signal: NodeJS.Signals | null; output: string };

// ── Cleanup when the test worker ends ────────────────────────────────────────
const liveChildren = new Set<ChildProcess>();
const ownedDirs = new Set<string>();
let exitHookInstalled = false;

function cleanupNow(): void {
  for (const child of liveChildren) {
    try {
      child.kill("SIGKILL");
    } catch {
      // already gone
    }
  }
  liveChildren.clear();
  for (const dir of ownedDirs) rmSync(dir, { recursive: true, force: true });
  ownedDirs.clear();
}

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", cleanupNow);
  // Vitest ends its fork workers with SIGTERM, which skips "exit" handlers: clean up, then let the
  // signal take its default course (re-raised once this one-shot listener is gone).
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      cleanupNow();
      process.kill(process.pid, signal);
    });
  }
}

/** A temp directory removed when the worker exits (or earlier with `removeTempDir`). */
export function createTempDir(prefix = "parley-it-"): string {
  installExitHook();
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  ownedDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  ownedDirs.delete(dir);
  const database = postgresDatabases.get(dir);
  postgresDatabases.delete(dir);
  // Whatever is still open when the worker ends is dropped by the suite's global teardown.
  if (database) void database.then(dropPostgresTestDatabase, () => undefined);
}

// ── PostgreSQL: one database per data directory ──────────────────────────────
// A restarted server (same DATA_DIR) finds its data again, as it would in its SQLite file.
const postgresDatabases = new Map<string, Promise<string>>();

/** The database a server with this data directory uses (created on first use with PostgreSQL). */
export function databaseUrlFor(dataDir: string): Promise<string> {
  if (!TEST_POSTGRES_URL) return Promise.resolve(sqliteUrlFor(dataDir));
  let database = postgresDatabases.get(dataDir);
  if (!database) {
    database = createPostgresTestDatabase(TEST_POSTGRES_URL);
    postgresDatabases.set(dataDir, database);
  }
  return database;
}

export function randomSecret(): string {
  return randomBytes(32).toString("hex");
}

/**
 * The child's environment: the runner's (PATH, HOME, …) minus every variable Parley reads, so a
 * developer's shell (AUTH_SECRET, DATABASE_URL, …) cannot leak into a test; then the test defaults,
 * then `overrides`. An `undefined` override removes the variable.
 */
function childEnv(defaults: Record<string, string>, overrides: Record<string, string | undefined>): Record<string, string> {
  const parleyVariables = new Set([...Object.keys(serverEnvSchema.shape), "AUTH_ATTEMPTS_PER_MINUTE"]);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!parleyVariables.has(key) && value !== undefined) env[key] = value;
  }
  Object.assign(env, defaults);
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

// If the test worker dies without running its exit hooks (killed runner), the server notices that it
// was re-parented and shuts itself down gracefully instead of lingering on the machine.
const PARENT_WATCHDOG =
  "data:text/javascript," +
  encodeURIComponent(
    "const parent = process.ppid; setInterval(() => { if (process.ppid !== parent) process.kill(process.pid, 'SIGTERM'); }, 1000).unref();",
  );

/**
 * `npm test` sets PARLEY_TEST_SERVER=bundle after its build: the tests then boot `dist/server.js`
 * (the same code, bundled minutes before) instead of transpiling server.ts with tsx on every boot,
 * about a second less per process over ~100 boots. Otherwise (one test file by hand) the source runs.
 */
const SERVER_ENTRY = process.env.PARLEY_TEST_SERVER === "bundle" ? ["dist/server.js"] : ["--import", "tsx", "server.ts"];

function spawnServer(env: Record<string, string>, nodeArgs: readonly string[] = []): { child: ChildProcess; output: () => string } {
  installExitHook();
  const entry = SERVER_ENTRY.at(-1) as string;
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, ...nodeArgs, ...SERVER_ENTRY.slice(0, -1), "--import", PARENT_WATCHDOG, entry], {
    cwd: REPO_ROOT,
    // Next's types make NODE_ENV required on ProcessEnv; it is always set here (see childEnv callers).
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  liveChildren.add(child);
  child.once("exit", () => liveChildren.delete(child));
  let buffer = "";
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (buffer += chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (buffer += chunk));
  return { child, output: () => buffer };
}

function hasExited(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null;
}

/** Resolves once the process has exited and its output streams are drained. */
function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null; exitedAt: number }> {
  return new Promise((resolve) => {
    if (hasExited(child) && child.stdout?.readableEnded !== false && child.stderr?.readableEnded !== false) {
      resolve({ code: child.exitCode, signal: child.signalCode, exitedAt: Date.now() });
      return;
    }
    let exitedAt = hasExited(child) ? Date.now() : 0;
    child.once("exit", () => (exitedAt = Date.now()));
    child.once("close", (code: number | null, signal: NodeJS.Signals | null) =>
      resolve({ code: code ?? child.exitCode, signal: signal ?? child.signalCode, exitedAt: exitedAt || Date.now() }),
    );
  });
}

/** `nodeArgs`: extra flags for node itself, before the script (e.g. `--inspect=127.0.0.1:0`). */
export async function startServer(options: { env?: Record<string, string>; nodeArgs?: readonly string[] } = {}): Promise<TestServer> {
  const overrides = options.env ?? {};
  const ownsDataDir = overrides.DATA_DIR === undefined;
  const dataDir = overrides.DATA_DIR ?? createTempDir();
  const secret = overrides.AUTH_SECRET ?? randomSecret();
  const databaseUrl = overrides.DATABASE_URL ?? (await databaseUrlFor(dataDir));
  // SQLite: DATABASE_URL stays unset, so the default (derived from DATA_DIR) is what runs.
  const database: Record<string, string> = TEST_POSTGRES_URL ? { DATABASE_URL: databaseUrl } : {};
  const env = childEnv(
    { NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, AUTH_SECRET: secret, LOG_LEVEL: "warn", ...database },
    overrides,
  );
  const { child, output } = spawnServer(env, options.nodeArgs);
  const cleanupDir = () => {
    if (ownsDataDir) removeTempDir(dataDir);
  };

  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        finish();
        child.kill("SIGKILL");
        reject(new Error(`server did not print its ready line within ${READY_TIMEOUT_MS} ms. Output:\n${output()}`));
      }, READY_TIMEOUT_MS);
      const onData = () => {
        const match = READY_LINE.exec(output());
        if (match?.[1]) {
          finish();
          resolve(match[1]);
        }
      };
      const onClose = (code: number | null, signal: NodeJS.Signals | null) => {
        finish();
        reject(new Error(`server exited before it was ready (code ${code}, signal ${signal}). Output:\n${output()}`));
      };
      const onError = (error: Error) => {
        finish();
        reject(new Error(`could not spawn the server: ${error.message}`));
      };
      function finish() {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        child.stderr?.off("data", onData);
        child.off("close", onClose);
        child.off("error", onError);
      }
      // Listeners added after the buffering ones, so `output()` already holds the chunk.
      child.stdout?.on("data", onData);
      child.stderr?.on("data", onData);
      child.once("close", onClose);
      child.once("error", onError);
    });
  } catch (error) {
    if (!hasExited(child)) child.kill("SIGKILL");
    await waitForExit(child);
    cleanupDir();
    throw error;
  }

  const port = Number(new URL(url).port);
  let stopping: Promise<StopResult> | null = null;

  const stop = (signal: NodeJS.Signals = "SIGTERM"): Promise<StopResult> => {
    stopping ??= (async () => {
      if (hasExited(child)) {
        const { code, signal: exitSignal } = await waitForExit(child);
        cleanupDir();
        return { code, signal: exitSignal, ms: 0 };
      }
      const sentAt = Date.now();
      const exited = waitForExit(child);
      child.kill(signal);
      const guard = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      const { code, signal: exitSignal, exitedAt } = await exited;
      clearTimeout(guard);
      cleanupDir();
      return { code, signal: exitSignal, ms: exitedAt - sentAt };
    })();
    return stopping;
  };

  return {
    url,
    port,
    secret,
    dataDir,
    databaseUrl,
    process: child,
    output,
    stop,
    kill: () => {
      if (hasExited(child)) return;
      child.once("close", cleanupDir);
      child.kill("SIGKILL");
    },
  };
}

/**
 * Runs the server with a configuration that should make it refuse to start; resolves with its exit
 * code and output. Rejects if it becomes ready instead (or does not exit within 60 s).
 * `undefined` values remove a variable (e.g. `{ AUTH_SECRET: undefined }`).
 */
export async function runServerExpectingExit(env: Record<string, string | undefined> = {}): Promise<ExitResult> {
  const dataDir = createTempDir();
  const { child, output } = spawnServer(
    childEnv(
      { NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, AUTH_SECRET: randomSecret(), LOG_LEVEL: "warn" },
      env,
    ),
  );
  try {
    const exited = waitForExit(child);
    const outcome = await new Promise<"exited" | "ready" | "timeout">((resolve) => {
      const timer = setTimeout(() => resolve("timeout"), READY_TIMEOUT_MS);
      const onData = () => {
        if (READY_LINE.test(output())) resolve("ready");
      };
      child.stdout?.on("data", onData);
      void exited.then(() => {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        resolve("exited");
      });
    });
    if (outcome !== "exited") {
      child.kill("SIGKILL");
      await exited;
      throw new Error(
        outcome === "ready"
          ? `expected the server to refuse to start, but it became ready. Output:\n${output()}`
          : `server neither exited nor became ready within ${READY_TIMEOUT_MS} ms. Output:\n${output()}`,
      );
    }
    const { code, signal } = await exited;
    return { code, signal, output: output() };
  } finally {
    removeTempDir(dataDir);
  }
}

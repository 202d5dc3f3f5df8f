/**
 * A real, throwaway Redis for tests: Debian's `redis-server` on a free loopback port, without
 * persistence unless asked, as a child process so a test can stop it (an outage) and start it again on the same
 * port. Killed when the test worker exits. Test-only.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const REDIS_BIN = process.env.REDIS_SERVER_BIN ?? "/usr/bin/redis-server";
const live = new Set<ChildProcess>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  const killAll = () => {
    for (const child of live) child.kill("SIGKILL");
    live.clear();
  };
  process.once("exit", killAll);
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      killAll();
      process.kill(process.pid, signal);
    });
  }
}

export function hasRedisServer(): boolean {
  return existsSync(REDIS_BIN);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type TestRedis = {
  url: string;
  port: number;
  /** Stops the server (SIGTERM, waits for the exit): clients see an outage. Data survives only when persistent. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
};

async function launch(port: number, dataDir: string | null): Promise<ChildProcess> {
  hookExit();
  // Persistent: an append-only file, so a restart finds the data again (an outage, not a wipe).
  const persistence = dataDir ? ["--appendonly", "yes", "--appendfsync", "always", "--dir", dataDir] : ["--appendonly", "no"];
  const child = spawn(REDIS_BIN, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", ...persistence, "--loglevel", "warning"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  child.once("exit", () => live.delete(child));
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}): ${output}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  child.kill("SIGKILL");
  throw new Error(`redis-server did not listen on ${port}: ${output}`);
}

export async function startTestRedis(options: { persistent?: boolean } = {}): Promise<TestRedis> {
  if (!hasRedisServer()) throw new Error(`${REDIS_BIN} is missing (Debian: apt-get install redis-server)`);
  const port = await freePort();
  const dataDir = options.persistent ? mkdtempSync(path.join(os.tmpdir(), "parley-redis-")) : null;
  let child: ChildProcess | null = await launch(port, dataDir);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      const current = child;
      child = null;
      if (!current || current.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        current.once("exit", () => resolve());
        current.kill("SIGTERM");
      });
    },
    async start() {
      if (child) return;
      child = await launch(port, dataDir);
    },
  };
}

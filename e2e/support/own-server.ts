/**
 * A Parley process a spec starts, stops and starts again itself (the shared webServer cannot be
 * restarted): the real bundled server.ts on its own port and database, same secret as the others.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { rmSync } from "node:fs";

import { e2eServerEnv } from "./server-env";

const READY_TIMEOUT_MS = 60_000;

export type OwnServer = { url: string; start: () => Promise<void>; stop: () => Promise<void>; dispose: () => Promise<void> };

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${output()}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`server not healthy within ${READY_TIMEOUT_MS} ms: ${output()}`);
}

/** `env`: extra settings for this process (e.g. a TURN server and relay-only match calls). */
export function ownServer(port: number, dataDir: string, env: Record<string, string> = {}): OwnServer {
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  rmSync(dataDir, { recursive: true, force: true });

  const stop = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once("exit", resolve));
    running.kill("SIGTERM");
    await exited;
  };

  return {
    url,
    async start() {
      let log = "";
      const started = spawn(process.execPath, ["dist/server.js"], {
        env: { ...process.env, ...e2eServerEnv(dataDir), ...env, PORT: String(port) },
        stdio: ["ignore", "pipe", "pipe"],
      });
      child = started;
      started.stdout?.on("data", (chunk: Buffer) => (log += chunk.toString()));
      started.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
      await waitForHealth(url, started, () => log.slice(-2_000));
    },
    stop,
    async dispose() {
      await stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

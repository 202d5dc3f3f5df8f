/** Who "this process" is, for per-process figures (admin dashboard, logs). Stable for its life. */
import os from "node:os";

const startedAt = new Date(Date.now() - Math.round(process.uptime() * 1000));

export type ProcessInfo = { id: string; hostname: string; pid: number; startedAt: Date };

export function processInfo(): ProcessInfo {
  const hostname = os.hostname();
  return { id: `${hostname}:${process.pid}`, hostname, pid: process.pid, startedAt };
}

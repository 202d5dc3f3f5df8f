/**
 * The live Socket.IO server, shared through globalThis: Next.js bundles route handlers separately
 * from server.ts, so importing io.ts from a route would give a second, empty copy.
 * Types-only imports: this module is safe inside Next's bundle.
 */
import type { AppServer } from "./types";

const slot = globalThis as unknown as { __parleyRealtime?: AppServer; __parleyStartedAt?: number };

export function setRealtimeServer(io: AppServer | null): void {
  if (io) slot.__parleyRealtime = io;
  else delete slot.__parleyRealtime;
}

/** Null during `next build`, under plain `next start` (preview deploys) and in tests without a server. */
export function getRealtimeServer(): AppServer | null {
  return slot.__parleyRealtime ?? null;
}

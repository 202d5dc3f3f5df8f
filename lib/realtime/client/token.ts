import "client-only";

import type { SocketTokenResponse } from "@/lib/realtime/protocol";

export type TokenOutcome =
  | { kind: "ok"; token: string; userId: string }
  | { kind: "signed-out" }
  | { kind: "unreachable"; message: string };

/** The latest outcome, read by the bridge to tell "signed out" from "server unreachable". */
let lastOutcome: TokenOutcome | null = null;
export const getLastTokenOutcome = (): TokenOutcome | null => lastOutcome;

const TOKEN_TIMEOUT_MS = 8_000;

/** Fetches a fresh socket token from the same origin as next-auth (the session cookie rides along). */
export async function fetchSocketToken(): Promise<TokenOutcome> {
  try {
    const response = await fetch("/api/socket-token", {
      credentials: "same-origin",
      cache: "no-store",
      signal: AbortSignal.timeout(TOKEN_TIMEOUT_MS),
    });
    if (response.status === 401) lastOutcome = { kind: "signed-out" };
    else if (!response.ok) lastOutcome = { kind: "unreachable", message: `token route answered ${response.status}` };
    else {
      const body = (await response.json()) as SocketTokenResponse;
      lastOutcome = { kind: "ok", token: body.token, userId: body.userId };
    }
  } catch (error) {
    lastOutcome = { kind: "unreachable", message: error instanceof Error ? error.message : "network error" };
  }
  return lastOutcome;
}

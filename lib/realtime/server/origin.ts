/**
 * Cross-site WebSocket hijacking guard. Socket.IO's `cors` option does not stop a WebSocket
 * handshake from a foreign page, so every handshake's Origin is checked here (OWASP CSWSH).
 * No Origin header means a non-browser client, which still needs a valid token.
 */
import type { IncomingMessage } from "node:http";

function ownOrigins(req: IncomingMessage): string[] {
  const host = req.headers.host;
  if (!host) return [];
  return [`http://${host}`, `https://${host}`];
}

export function isOriginAllowed(req: IncomingMessage, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (typeof origin !== "string" || origin === "null") return false;
  let normalized: string;
  try {
    normalized = new URL(origin).origin;
  } catch {
    return false;
  }
  return ownOrigins(req).includes(normalized) || allowedOrigins.includes(normalized);
}

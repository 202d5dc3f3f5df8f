/**
 * `GET /api/socket-token`: a short-lived socket token for the signed-in browser session. One
 * implementation, two doors: the Next route (app/api/socket-token/route.ts, for a UI deployed
 * without server.ts) and server.ts, which answers it before Next's request pipeline: in a reconnect
 * storm every client asks for one, and Next's routing, tracing and response handling around these
 * few lines were ~20 % of the server's CPU (docs/PERFORMANCE.md).
 */
import type { IncomingMessage, ServerResponse } from "node:http";

import { parse as parseCookies } from "cookie";
import { getToken } from "next-auth/jwt";

import { decodeSessionJwt } from "@/lib/auth/session-jwt";
import { signSocketToken } from "@/lib/auth/socket-token";
import { getServerEnv } from "@/lib/env";
import { appErrorResponse, errorResponse } from "@/lib/http";
import type { SocketTokenResponse } from "@/lib/realtime/protocol";
import { isSessionRevoked } from "@/lib/services/session-service";
import { findSessionUser } from "@/lib/services/user-service";

type TokenRequest = Parameters<typeof getToken>[0]["req"];

export const SOCKET_TOKEN_PATH = "/api/socket-token";

// no-transform: Next would gzip these few hundred bytes (zlib was ~6 % of the server's CPU in a reconnect storm).
const TOKEN_HEADERS = { "cache-control": "no-store, no-transform" };

/** The session (next-auth's cookie, or its JWT as a Bearer token) → the token's body, or the 401 response. */
async function tokenFor(req: TokenRequest, secret: string): Promise<SocketTokenResponse | Response> {
  const jwt = await getToken({ req, secret, decode: decodeSessionJwt });
  if (!jwt?.sub || typeof jwt.sid !== "string") return errorResponse("UNAUTHORIZED");
  const [user, revoked] = await Promise.all([findSessionUser(jwt.sub), isSessionRevoked(jwt.sid)]);
  if (!user || revoked) return errorResponse("UNAUTHORIZED");

  const env = getServerEnv();
  const { token, expiresAt } = await signSocketToken(secret, { userId: user.id, sid: jwt.sid }, env.SOCKET_TOKEN_TTL_SECONDS);
  return { token, expiresAt: expiresAt.toISOString(), userId: user.id, socketUrl: env.SOCKET_URL ?? null };
}

export async function issueSocketToken(req: TokenRequest, secret: string): Promise<Response> {
  const result = await tokenFor(req, secret);
  return result instanceof Response ? result : Response.json(result, { headers: TOKEN_HEADERS });
}

export function isSocketTokenRequest(req: IncomingMessage): boolean {
  if (req.method !== "GET" || !req.url) return false;
  const query = req.url.indexOf("?");
  return (query === -1 ? req.url : req.url.slice(0, query)) === SOCKET_TOKEN_PATH;
}

/** What next.config.js's `headers()` adds to every response: this one does not pass through Next. */
const SECURITY_HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "referrer-policy": "strict-origin-when-cross-origin",
  "x-frame-options": "DENY",
};

/** server.ts's door: the same answer as the Next route, written straight to the Node response (no Web Response on the way). */
export async function serveSocketToken(req: IncomingMessage, res: ServerResponse, secret: string): Promise<void> {
  let result: SocketTokenResponse | Response;
  try {
    const cookies = parseCookies(req.headers.cookie ?? "");
    result = await tokenFor({ headers: req.headers, cookies } as unknown as TokenRequest, secret);
  } catch (error) {
    result = appErrorResponse(error);
  }
  if (!(result instanceof Response)) {
    const body = JSON.stringify(result);
    res.writeHead(200, { ...SECURITY_HEADERS, ...TOKEN_HEADERS, "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) });
    res.end(body);
    return;
  }
  const body = Buffer.from(await result.arrayBuffer());
  const headers: Record<string, string> = { ...SECURITY_HEADERS, "content-length": String(body.length) };
  result.headers.forEach((value, key) => {
    headers[key] = value;
  });
  res.writeHead(result.status, headers);
  res.end(body);
}

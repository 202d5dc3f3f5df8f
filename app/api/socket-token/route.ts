import { getToken } from "next-auth/jwt";
import type { NextRequest } from "next/server";

import { getAuthOptions } from "@/lib/auth/options";
import { signSocketToken } from "@/lib/auth/socket-token";
import { getServerEnv } from "@/lib/env";
import { errorResponse } from "@/lib/http";
import type { SocketTokenResponse } from "@/lib/realtime/protocol";
import { isSessionRevoked } from "@/lib/services/session-service";
import { findSessionUser } from "@/lib/services/user-service";

export const dynamic = "force-dynamic";

/** Issues a short-lived socket token to the signed-in browser session (GET, same origin as next-auth). */
export async function GET(request: NextRequest): Promise<Response> {
  const secret = getAuthOptions().secret as string;
  const jwt = await getToken({ req: request, secret });
  if (!jwt?.sub || typeof jwt.sid !== "string") return errorResponse("UNAUTHORIZED");
  const [user, revoked] = await Promise.all([findSessionUser(jwt.sub), isSessionRevoked(jwt.sid)]);
  if (!user || revoked) return errorResponse("UNAUTHORIZED");

  const env = getServerEnv();
  const { token, expiresAt } = await signSocketToken(secret, { userId: user.id, sid: jwt.sid }, env.SOCKET_TOKEN_TTL_SECONDS);
  const body: SocketTokenResponse = { token, expiresAt: expiresAt.toISOString(), userId: user.id, socketUrl: env.SOCKET_URL ?? null };
  // no-transform: Next would gzip these few hundred bytes (zlib was ~6 % of the server's CPU in a reconnect storm).
  return Response.json(body, { headers: { "cache-control": "no-store, no-transform" } });
}

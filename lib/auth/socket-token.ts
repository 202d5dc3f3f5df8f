/**
 * Short-lived signed tokens that carry a browser session's identity into the Socket.IO handshake.
 * Issued by `GET /api/socket-token` (same origin as next-auth), verified by the realtime server.
 * The key is derived from the auth secret for this one purpose, so a next-auth JWT is never a socket token.
 */
import { hkdfSync, randomUUID } from "node:crypto";

import { errors, jwtVerify, SignJWT } from "jose";

const ISSUER = "parley";
const AUDIENCE = "parley:socket";
const ALGORITHM = "HS256";

export type SocketTokenClaims = { userId: string; sid: string; expiresAt: Date };

export type SocketTokenFailure = "missing" | "expired" | "invalid";

function deriveKey(secret: string): Uint8Array {
  return new Uint8Array(hkdfSync("sha256", secret, "parley", "socket-token-v1", 32));
}

const keyCache = new Map<string, Uint8Array>();
function keyFor(secret: string): Uint8Array {
  let key = keyCache.get(secret);
  if (!key) {
    key = deriveKey(secret);
    keyCache.set(secret, key);
  }
  return key;
}

export async function signSocketToken(
  secret: string,
  claims: { userId: string; sid: string },
  ttlSeconds: number,
): Promise<{ token: string; expiresAt: Date }> {
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({ sid: claims.sid })
    .setProtectedHeader({ alg: ALGORITHM, typ: "JWT" })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .setJti(randomUUID())
    .sign(keyFor(secret));
  return { token, expiresAt: new Date((now + ttlSeconds) * 1000) };
}

export async function verifySocketToken(
  secret: string,
  token: unknown,
): Promise<{ ok: true; claims: SocketTokenClaims } | { ok: false; reason: SocketTokenFailure }> {
  if (typeof token !== "string" || token.length === 0) return { ok: false, reason: "missing" };
  try {
    const { payload } = await jwtVerify(token, keyFor(secret), {
      algorithms: [ALGORITHM],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ["sub", "exp", "iat", "sid"],
    });
    if (typeof payload.sub !== "string" || typeof payload.sid !== "string" || typeof payload.exp !== "number") {
      return { ok: false, reason: "invalid" };
    }
    return { ok: true, claims: { userId: payload.sub, sid: payload.sid, expiresAt: new Date(payload.exp * 1000) } };
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JWTExpired ? "expired" : "invalid" };
  }
}

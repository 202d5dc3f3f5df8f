/**
 * Short-lived signed tokens that carry a browser session's identity into the Socket.IO handshake.
 * Issued by `GET /api/socket-token` (same origin as next-auth), verified by the realtime server.
 * The key is derived from the auth secret for this one purpose, so a next-auth JWT is never a socket token.
 */
import { createHmac, hkdfSync, randomUUID, timingSafeEqual } from "node:crypto";

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

const encodePart = (value: Record<string, unknown>) => Buffer.from(JSON.stringify(value)).toString("base64url");
const HEADER = encodePart({ alg: ALGORITHM, typ: "JWT" });

/**
 * A compact HS256 JWT (RFC 7519; jose's `jwtVerify` accepts it, socket-token.test.ts checks),
 * signed synchronously with node:crypto: jose's signer runs WebCrypto's HMAC on the thread pool,
 * and every client asks for a token on each (re)connect.
 */
export async function signSocketToken(
  secret: string,
  claims: { userId: string; sid: string },
  ttlSeconds: number,
): Promise<{ token: string; expiresAt: Date }> {
  const now = Math.floor(Date.now() / 1000);
  const payload = encodePart({ sid: claims.sid, sub: claims.userId, iss: ISSUER, aud: AUDIENCE, iat: now, exp: now + ttlSeconds, jti: randomUUID() });
  const signature = createHmac("sha256", keyFor(secret)).update(`${HEADER}.${payload}`).digest("base64url");
  return { token: `${HEADER}.${payload}.${signature}`, expiresAt: new Date((now + ttlSeconds) * 1000) };
}

type Verified = { ok: true; claims: SocketTokenClaims } | { ok: false; reason: SocketTokenFailure };

const INVALID: Verified = { ok: false, reason: "invalid" };

function decodeJson(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Checks what jose's `jwtVerify` checked (HS256 only, signature, issuer, audience, required `sub`,
 * `sid`, `exp`, `iat`, `nbf` if present, `exp` in the future), synchronously with node:crypto: the
 * WebCrypto HMAC jose uses runs on the thread pool and ends each handshake's verification in its
 * own turn of the event loop, which kept a burst of handshakes from sharing one database batch
 * (docs/PERFORMANCE.md, the handshake profile). An expired token is reported only when its
 * signature is valid.
 */
function verifySync(secret: string, token: string): Verified {
  const parts = token.split(".");
  if (parts.length !== 3) return INVALID;
  const [encodedHeader, encodedPayload, signature] = parts as [string, string, string];
  const header = decodeJson(encodedHeader);
  // No `crit` extensions are understood, so none may be present (RFC 7515 §4.1.11); `b64: false` is one.
  if (!header || header.alg !== ALGORITHM || "crit" in header || "b64" in header) return INVALID;
  const expected = Buffer.from(createHmac("sha256", keyFor(secret)).update(`${encodedHeader}.${encodedPayload}`).digest("base64url"));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return INVALID;
  const payload = decodeJson(encodedPayload);
  if (!payload) return INVALID;
  const { iss, aud, sub, sid, exp, iat, nbf } = payload;
  const audienceOk = aud === AUDIENCE || (Array.isArray(aud) && aud.includes(AUDIENCE));
  if (iss !== ISSUER || !audienceOk || typeof sub !== "string" || typeof sid !== "string") return INVALID;
  if (typeof exp !== "number" || typeof iat !== "number" || (nbf !== undefined && typeof nbf !== "number")) return INVALID;
  const now = Math.floor(Date.now() / 1000);
  if (typeof nbf === "number" && nbf > now) return INVALID;
  if (exp <= now) return { ok: false, reason: "expired" };
  return { ok: true, claims: { userId: sub, sid, expiresAt: new Date(exp * 1000) } };
}

export async function verifySocketToken(secret: string, token: unknown): Promise<Verified> {
  if (typeof token !== "string" || token.length === 0) return { ok: false, reason: "missing" };
  return verifySync(secret, token);
}

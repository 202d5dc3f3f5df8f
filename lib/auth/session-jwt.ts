/**
 * next-auth v4's session JWT decoded synchronously, for `getToken({ decode })` on the socket-token
 * route: every client asks that route for a token on each (re)connect. next-auth's own `decode`
 * derives the key with HKDF on every call (on the thread pool) and decrypts through jose; here the
 * key is derived once per secret and the token is opened with node:crypto in the same turn.
 *
 * Checks what next-auth's `decode` (jose `jwtDecrypt`, clockTolerance 15 s) checks for the tokens
 * next-auth issues: compact JWE, `alg: dir`, `enc: A256GCM`, no `zip` or `crit`, the GCM tag,
 * a JSON object payload, `exp`/`nbf`/`iat` numeric where present, `exp` not past and `nbf` not
 * ahead (with the tolerance). Anything else throws (getToken then answers null). Node-only.
 */
import { createDecipheriv, hkdfSync } from "node:crypto";

import type { JWT, JWTDecodeParams } from "next-auth/jwt";

const CLOCK_TOLERANCE_S = 15;
const IV_BYTES = 12;
const TAG_BYTES = 16;

const keys = new Map<string, Buffer>();

/** next-auth's `getDerivedEncryptionKey(secret, "")`. */
const derive = (secret: string | Buffer) => Buffer.from(hkdfSync("sha256", secret, "", "NextAuth.js Generated Encryption Key", 32));

function keyFor(secret: string | Buffer): Buffer {
  if (typeof secret !== "string") return derive(secret);
  let key = keys.get(secret);
  if (!key) {
    key = derive(secret);
    keys.set(secret, key);
  }
  return key;
}

function objectOf(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Error("not a JSON object");
  return value as Record<string, unknown>;
}

const isNumberOrAbsent = (value: unknown) => value === undefined || typeof value === "number";

export async function decodeSessionJwt({ token, secret, salt }: JWTDecodeParams): Promise<JWT | null> {
  if (!token) return null;
  if (salt) throw new Error("salted session tokens are not used here");
  if (secret.length === 0) throw new Error("no secret");
  const parts = token.split(".");
  if (parts.length !== 5) throw new Error("not a compact JWE");
  const [protectedHeader, encryptedKey, iv, ciphertext, tag] = parts as [string, string, string, string, string];
  const header = objectOf(Buffer.from(protectedHeader, "base64url").toString("utf8"));
  if (header.alg !== "dir" || header.enc !== "A256GCM" || "zip" in header || "crit" in header || encryptedKey !== "") {
    throw new Error("unsupported JWE header");
  }
  const ivBytes = Buffer.from(iv, "base64url");
  const tagBytes = Buffer.from(tag, "base64url");
  if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw new Error("bad iv or tag");
  const decipher = createDecipheriv("aes-256-gcm", keyFor(secret), ivBytes, { authTagLength: TAG_BYTES });
  decipher.setAAD(Buffer.from(protectedHeader, "ascii"));
  decipher.setAuthTag(tagBytes);
  // final() throws when the tag does not match: a forged or damaged token.
  const plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
  const payload = objectOf(plaintext);
  const { exp, nbf, iat } = payload;
  if (!isNumberOrAbsent(exp) || !isNumberOrAbsent(nbf) || !isNumberOrAbsent(iat)) throw new Error("bad time claims");
  const now = Math.floor(Date.now() / 1000);
  if (typeof exp === "number" && exp <= now - CLOCK_TOLERANCE_S) throw new Error("expired");
  if (typeof nbf === "number" && nbf > now + CLOCK_TOLERANCE_S) throw new Error("not yet valid");
  return payload as JWT;
}

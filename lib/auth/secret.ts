/**
 * Resolves the signing secret shared by next-auth and the socket-token check.
 * Production requires one (AUTH_SECRET, NEXTAUTH_SECRET or AUTH_SECRET_FILE). In development a random
 * secret is generated once and kept in the data directory so sessions survive restarts.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { EnvError, type ServerEnv } from "@/lib/env";

const GENERATED_SECRET_FILE = "auth-secret";

export function resolveAuthSecret(env: ServerEnv): string {
  const explicit = env.AUTH_SECRET ?? env.NEXTAUTH_SECRET;
  if (explicit) return explicit;

  if (env.AUTH_SECRET_FILE) {
    const file = path.resolve(env.AUTH_SECRET_FILE);
    if (!existsSync(file)) throw new EnvError(["AUTH_SECRET_FILE"], `AUTH_SECRET_FILE: ${file} does not exist`);
    const secret = readFileSync(file, "utf8").trim();
    if (secret.length < 32) throw new EnvError(["AUTH_SECRET_FILE"], "AUTH_SECRET_FILE: secret must be at least 32 characters");
    return secret;
  }

  if (env.NODE_ENV === "production") {
    throw new EnvError(["AUTH_SECRET"], "AUTH_SECRET: required in production (or AUTH_SECRET_FILE)");
  }

  const file = path.resolve(env.DATA_DIR, GENERATED_SECRET_FILE);
  if (existsSync(file)) {
    const saved = readFileSync(file, "utf8").trim();
    // A truncated file (a crash mid-write) is replaced rather than trusted.
    if (saved.length >= 32) return saved;
  }
  mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { EnvError, parseServerEnv as parseProcessEnv, type ServerEnv } from "@/lib/env";
import { resolveAuthSecret } from "./secret";

const SECRET = "explicit-secret-of-at-least-32-chars!!";
const OTHER = "nextauth-secret-of-at-least-32-chars!!";

let dir: string;

type Vars = Record<string, string | undefined>;
const parseServerEnv = (source: Vars) => parseProcessEnv(source as NodeJS.ProcessEnv);

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "parley-secret-"));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const envWith = (source: Vars): ServerEnv => parseServerEnv({ DATA_DIR: dir, ...source });

function expectEnvError(run: () => unknown, variable: string): void {
  let caught: unknown;
  try {
    run();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(EnvError);
  expect((caught as EnvError).variables).toEqual([variable]);
  expect((caught as EnvError).message).toContain(variable);
}

describe("resolveAuthSecret", () => {
  it("returns an explicit AUTH_SECRET, even in production, and writes nothing", () => {
    expect(resolveAuthSecret(envWith({ AUTH_SECRET: SECRET, NODE_ENV: "production" }))).toBe(SECRET);
    expect(existsSync(path.join(dir, "auth-secret"))).toBe(false);
  });

  it("prefers AUTH_SECRET over NEXTAUTH_SECRET and AUTH_SECRET_FILE", () => {
    const file = path.join(dir, "file-secret");
    writeFileSync(file, "f".repeat(40));
    expect(resolveAuthSecret(envWith({ AUTH_SECRET: SECRET, NEXTAUTH_SECRET: OTHER, AUTH_SECRET_FILE: file }))).toBe(SECRET);
  });

  it("falls back to NEXTAUTH_SECRET", () => {
    expect(resolveAuthSecret(envWith({ NEXTAUTH_SECRET: OTHER, NODE_ENV: "production" }))).toBe(OTHER);
  });

  it("refuses production without a secret, naming AUTH_SECRET", () => {
    expectEnvError(() => resolveAuthSecret(envWith({ NODE_ENV: "production" })), "AUTH_SECRET");
    expect(existsSync(path.join(dir, "auth-secret"))).toBe(false);
  });

  it("generates a development secret into DATA_DIR/auth-secret and reuses it", () => {
    const env = envWith({ NODE_ENV: "development" });
    const first = resolveAuthSecret(env);
    expect(first.length).toBeGreaterThanOrEqual(32);
    const file = path.join(dir, "auth-secret");
    expect(readFileSync(file, "utf8").trim()).toBe(first);
    if (process.platform !== "win32") expect(statSync(file).mode & 0o077).toBe(0);

    expect(resolveAuthSecret(env)).toBe(first);
    // A fresh env object (process restart) still reads the same secret.
    expect(resolveAuthSecret(envWith({ NODE_ENV: "test" }))).toBe(first);
  });

  it("replaces a truncated generated secret instead of trusting it", () => {
    writeFileSync(path.join(dir, "auth-secret"), "\n");
    const secret = resolveAuthSecret(envWith({ NODE_ENV: "development" }));
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(path.join(dir, "auth-secret"), "utf8").trim()).toBe(secret);
  });

  it("creates a missing DATA_DIR for the generated secret", () => {
    const nested = path.join(dir, "a", "b");
    const secret = resolveAuthSecret(parseServerEnv({ DATA_DIR: nested }));
    expect(readFileSync(path.join(nested, "auth-secret"), "utf8").trim()).toBe(secret);
  });

  it("generates different secrets for different data directories", () => {
    const a = resolveAuthSecret(parseServerEnv({ DATA_DIR: path.join(dir, "a") }));
    const b = resolveAuthSecret(parseServerEnv({ DATA_DIR: path.join(dir, "b") }));
    expect(a).not.toBe(b);
  });

  describe("AUTH_SECRET_FILE", () => {
    it("reads and trims the file, even in production", () => {
      const file = path.join(dir, "secret.txt");
      writeFileSync(file, `  ${"k".repeat(40)}\n`);
      expect(resolveAuthSecret(envWith({ AUTH_SECRET_FILE: file, NODE_ENV: "production" }))).toBe("k".repeat(40));
    });

    it("throws naming AUTH_SECRET_FILE when the file is missing", () => {
      expectEnvError(() => resolveAuthSecret(envWith({ AUTH_SECRET_FILE: path.join(dir, "nope") })), "AUTH_SECRET_FILE");
    });

    it("throws naming AUTH_SECRET_FILE when the secret is too short", () => {
      const file = path.join(dir, "short.txt");
      writeFileSync(file, `${"k".repeat(31)}\n\n`);
      expectEnvError(() => resolveAuthSecret(envWith({ AUTH_SECRET_FILE: file })), "AUTH_SECRET_FILE");
    });

    it("does not fall back to a generated secret when the file is broken", () => {
      expect(() => resolveAuthSecret(envWith({ AUTH_SECRET_FILE: path.join(dir, "nope"), NODE_ENV: "development" }))).toThrow(EnvError);
      expect(existsSync(path.join(dir, "auth-secret"))).toBe(false);
    });
  });
});

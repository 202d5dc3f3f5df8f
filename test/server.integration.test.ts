// The process as operators see it: configuration validation, health, migrations across restarts,
// graceful shutdown, and the HTTP auth surface (register, sign-in, socket token).
import { readdirSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

import {
  type AppClientSocket,
  attemptSignIn,
  connectSocket,
  disconnected,
  fetchSocketToken,
  getHealth,
  postRegister,
  registerUser,
  signIn,
  uniqueEmail,
} from "@/test/support/clients";
import { isPostgresUrl, openTestDb } from "@/test/support/database";
import {
  createTempDir,
  randomSecret,
  removeTempDir,
  REPO_ROOT,
  runServerExpectingExit,
  startServer,
  type TestServer,
} from "@/test/support/server";

const EX_CONFIG = 78;
const MIGRATIONS_APPLIED_LOG = '"msg":"database migrations applied"';

/** The migration history of the server's provider (each has its own, see lib/db/migrate.ts). */
function localMigrations(databaseUrl: string): string[] {
  const dir = isPostgresUrl(databaseUrl) ? "prisma/migrations-postgres" : "prisma/migrations";
  return readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

async function recordedMigrations(databaseUrl: string): Promise<{ migration_name: string; finished_at: unknown }[]> {
  const db = openTestDb(databaseUrl);
  try {
    return await db.all("SELECT migration_name, finished_at FROM _prisma_migrations ORDER BY migration_name");
  } finally {
    await db.close();
  }
}

describe("configuration validation", () => {
  it("PORT=abc stops the process with a message naming PORT", async () => {
    const result = await runServerExpectingExit({ PORT: "abc" });
    expect(result.code).toBe(EX_CONFIG);
    expect(result.output).toMatch(/Parley cannot start\. Invalid environment: .*PORT/);
  });

  it("production without AUTH_SECRET stops the process with a message naming AUTH_SECRET", async () => {
    const result = await runServerExpectingExit({ NODE_ENV: "production", AUTH_SECRET: undefined });
    expect(result.code).toBe(EX_CONFIG);
    expect(result.output).toMatch(/Parley cannot start\. Invalid environment: .*AUTH_SECRET/);
  });

  it("a DATABASE_URL that is neither file: nor postgresql:// stops the process with a message naming DATABASE_URL", async () => {
    const result = await runServerExpectingExit({ DATABASE_URL: "mysql://parley@127.0.0.1/parley" });
    expect(result.code).toBe(EX_CONFIG);
    expect(result.output).toMatch(/Parley cannot start\. Invalid environment: .*DATABASE_URL/);
  });

  it("an unreachable PostgreSQL stops the process before it listens", async () => {
    const result = await runServerExpectingExit({ DATABASE_URL: "postgresql://parley:secret-pw@127.0.0.1:1/parley" });
    expect(result.code).toBe(1);
    expect(result.output).toContain("Parley failed to start");
  });
});

describe("per-IP limits on sign-in and register", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ env: { AUTH_ATTEMPTS_PER_MINUTE: "3" } });
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("a spoofed X-Forwarded-For does not earn a fresh budget", async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const response = await fetch(`${server.url}/api/register`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": `203.0.113.${attempt}` },
        body: JSON.stringify({ name: "Mallory", email: uniqueEmail("spoof"), password: "long-enough-password" }),
      });
      statuses.push(response.status);
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429]);
  });
});

describe("the running server", () => {
  // One data directory and secret for the whole block: the restart test starts a second process on them.
  const dataDir = createTempDir();
  const secret = randomSecret();
  const env = { DATA_DIR: dataDir, AUTH_SECRET: secret, LOG_LEVEL: "info", AUTH_ATTEMPTS_PER_MINUTE: "1000" };
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ env });
  });

  afterAll(async () => {
    await server?.stop();
    removeTempDir(dataDir);
  });

  it("stores its data in the database DATABASE_URL names (SQLite: in WAL mode)", async () => {
    const user = await registerUser(server);
    const db = openTestDb(server.databaseUrl);
    try {
      expect(await db.count(`SELECT COUNT(*) AS n FROM "User" WHERE "id" = ?`, user.id)).toBe(1);
      if (!isPostgresUrl(server.databaseUrl)) expect(await db.get<{ journal_mode: string }>("PRAGMA journal_mode")).toEqual({ journal_mode: "wal" });
    } finally {
      await db.close();
    }
  });

  it("applies every migration on first start", async () => {
    const local = localMigrations(server.databaseUrl);
    expect(local.length).toBeGreaterThan(0);
    const output = server.output();
    expect(output).toContain(MIGRATIONS_APPLIED_LOG);
    for (const name of local) expect(output).toContain(name);
    const recorded = await recordedMigrations(server.databaseUrl);
    expect(recorded.map((row) => row.migration_name)).toEqual(local);
    expect(recorded.every((row) => row.finished_at !== null)).toBe(true);
  });

  it("/api/health reports ok, the database, uptime and one open socket per connected client", async () => {
    await vi.waitFor(async () => expect((await getHealth(server)).body.openSockets).toBe(0), { timeout: 10_000 });

    const user = await registerUser(server);
    const first = await connectSocket(server, (await fetchSocketToken(server, user.cookie)).token);
    await connectSocket(server, (await fetchSocketToken(server, user.cookie)).token);

    const health = await getHealth(server);
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: "ok", database: "up", realtime: "attached", openSockets: 2 });
    expect(health.body.uptimeSeconds).toEqual(expect.any(Number));
    expect(health.body.uptimeSeconds as number).toBeGreaterThanOrEqual(0);

    first.disconnect();
    await vi.waitFor(async () => expect((await getHealth(server)).body.openSockets).toBe(1), { timeout: 10_000 });
  });

  it("/api/socket-token (answered by server.ts before Next) gives a signed-in session a token, never cached, with every page's security headers", async () => {
    const user = await registerUser(server);
    const cookie = await signIn(server, user.email, user.password);
    const [token, page] = await Promise.all([fetch(`${server.url}/api/socket-token?x=1`, { headers: { cookie } }), fetch(`${server.url}/sign-in`)]);
    expect(token.status).toBe(200);
    expect(token.headers.get("content-type")).toMatch(/^application\/json/);
    expect(token.headers.get("cache-control")).toBe("no-store, no-transform");
    for (const name of ["x-content-type-options", "referrer-policy", "x-frame-options"]) {
      expect(page.headers.get(name)).toBeTruthy();
      expect(token.headers.get(name)).toBe(page.headers.get(name));
    }
    const body = (await token.json()) as { token: string; userId: string; expiresAt: string };
    expect(body.userId).toBe(user.id);
    expect(new Date(body.expiresAt).getTime()).toBeGreaterThan(Date.now());
    // The token it gives opens a socket.
    const socket = await connectSocket(server, body.token);
    socket.disconnect();
    // The session JWT as a Bearer token (clients without the cookie) is read the same way.
    const jwt = /next-auth\.session-token=([^;]+)/.exec(cookie)?.[1] ?? "";
    const bearer = await fetch(`${server.url}/api/socket-token`, { headers: { authorization: `Bearer ${jwt}` } });
    expect(bearer.status).toBe(200);
    expect(((await bearer.json()) as { userId: string }).userId).toBe(user.id);
  });

  it("/api/socket-token without a session cookie is 401", async () => {
    const attempts: Record<string, string>[] = [{}, { cookie: "next-auth.session-token=forged" }];
    for (const headers of attempts) {
      const response = await fetch(`${server.url}/api/socket-token`, { headers });
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: "UNAUTHORIZED" } });
    }
  });

  describe("register", () => {
    it("rejects an empty form with a message per field", async () => {
      for (const body of [{}, { name: "", email: "", password: "" }]) {
        const result = await postRegister(server, body);
        expect(result.status).toBe(422);
        expect(result.body).toMatchObject({
          error: {
            code: "INVALID_PAYLOAD",
            fields: { name: expect.stringMatching(/name/i), email: expect.stringMatching(/email/i), password: expect.stringMatching(/password/i) },
          },
        });
      }
    });

    it("rejects a malformed email with a message for that field only", async () => {
      const result = await postRegister(server, { name: "Eve", email: "not-an-email", password: "long enough password" });
      expect(result.status).toBe(422);
      const fields = (result.body as { error: { fields: Record<string, string> } }).error.fields;
      expect(Object.keys(fields)).toEqual(["email"]);
      expect(fields.email).toMatch(/valid email/i);
    });

    it("rejects a short password with a message for that field only", async () => {
      const result = await postRegister(server, { name: "Eve", email: uniqueEmail(), password: "short" });
      expect(result.status).toBe(422);
      const fields = (result.body as { error: { fields: Record<string, string> } }).error.fields;
      expect(Object.keys(fields)).toEqual(["password"]);
      expect(fields.password).toMatch(/at least 8/);
    });

    it("rejects a body that is not JSON", async () => {
      const result = await postRegister(server, "name=Eve");
      expect(result.status).toBe(422);
      expect(result.body).toMatchObject({ error: { code: "INVALID_PAYLOAD" } });
    });

    it("answers 409 for an email already taken, whatever its case", async () => {
      const existing = await registerUser(server);
      for (const email of [existing.email, existing.email.toUpperCase()]) {
        const result = await postRegister(server, { name: "Copycat", email, password: "another password" });
        expect(result.status).toBe(409);
        expect(result.body).toMatchObject({ error: { code: "CONFLICT", fields: { email: expect.any(String) } } });
      }
    });
  });

  it("sign-in with a wrong password answers exactly like sign-in with an unknown email", async () => {
    const user = await registerUser(server);
    const wrongPassword = await attemptSignIn(server, user.email, `${user.password}-wrong`);
    const unknownEmail = await attemptSignIn(server, uniqueEmail("nobody"), `${user.password}-wrong`);

    expect(wrongPassword.sessionCookie).toBeUndefined();
    expect(unknownEmail.sessionCookie).toBeUndefined();
    expect(wrongPassword.status).toBeGreaterThanOrEqual(400);
    expect(unknownEmail.status).toBe(wrongPassword.status);
    expect(unknownEmail.body).toEqual(wrongPassword.body);
    expect(unknownEmail.setCookieNames).toEqual(wrongPassword.setCookieNames);
    // Control: the right password does sign in.
    expect((await attemptSignIn(server, user.email, user.password)).sessionCookie).toEqual(expect.any(String));
  });

  it("a restart on the same data directory applies no migration and keeps accounts and sessions", async () => {
    const user = await registerUser(server);
    const stopped = await server.stop();
    expect(stopped.code).toBe(0);

    server = await startServer({ env });
    expect(server.output()).not.toContain(MIGRATIONS_APPLIED_LOG);
    expect((await recordedMigrations(server.databaseUrl)).map((row) => row.migration_name)).toEqual(localMigrations(server.databaseUrl));

    const cookie = await signIn(server, user.email, user.password);
    await expect(fetchSocketToken(server, cookie)).resolves.toMatchObject({ userId: user.id });
    // The session from before the restart is still valid (same secret, same database).
    await expect(fetchSocketToken(server, user.cookie)).resolves.toMatchObject({ userId: user.id });
  });

  // Last: it stops the server.
  it("SIGTERM with two connected clients disconnects them and exits 0 within 10 s", async () => {
    const user = await registerUser(server);
    const clients: AppClientSocket[] = [];
    for (let i = 0; i < 2; i += 1) {
      clients.push(await connectSocket(server, (await fetchSocketToken(server, user.cookie)).token, { reconnection: false }));
    }
    const reasons = Promise.all(clients.map((client) => disconnected(client, 15_000)));

    const result = await server.stop("SIGTERM");
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(result.ms).toBeLessThan(10_000);
    for (const reason of await reasons) expect(reason).toMatch(/^(transport close|io server disconnect)$/);
    expect(server.output()).not.toContain("shutdown timed out");
  });
});

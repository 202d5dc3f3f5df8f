// The app's client on the database the suite runs against (SQLite by default, PostgreSQL with
// TEST_DATABASE_URL_POSTGRES): it really talks to that provider, and transactions that read, check
// and write never interleave (SQLite serializes them; PostgreSQL runs them SERIALIZABLE and retries).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createPrismaClient } from "@/lib/db";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { createPostgresTestDatabase, dropPostgresTestDatabase, TEST_POSTGRES_URL } from "@/test/support/database";

import { applyMigrations } from "./migrate";

const provider = TEST_POSTGRES_URL ? "postgresql" : "sqlite";

describe(`the app's database client (${provider})`, () => {
  let tmp: string;
  let databaseUrl: string;
  let db: PrismaClient;

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), "parley-db-"));
    databaseUrl = TEST_POSTGRES_URL ? await createPostgresTestDatabase(TEST_POSTGRES_URL) : `file:${path.join(tmp, "test.db")}`;
    await applyMigrations({ databaseUrl });
    const created = createPrismaClient(databaseUrl);
    await created.ready;
    db = created.client;
  });

  afterAll(async () => {
    await db?.$disconnect();
    if (TEST_POSTGRES_URL) await dropPostgresTestDatabase(databaseUrl);
    rmSync(tmp, { recursive: true, force: true });
  });

  it("runs on the provider DATABASE_URL names", async () => {
    const query = provider === "postgresql" ? "SELECT version() AS v" : "SELECT 'SQLite ' || sqlite_version() AS v";
    const [row] = await db.$queryRawUnsafe<{ v: string }[]>(query);
    expect(row?.v).toMatch(provider === "postgresql" ? /^PostgreSQL / : /^SQLite /);
  });

  it("concurrent read-check-write transactions never lose an update", async () => {
    const conversation = await db.conversation.create({ data: { kind: "group", name: "counter", createdById: "nobody" } });
    const increments = 16;
    await Promise.all(
      Array.from({ length: increments }, () =>
        db.$transaction(
          async (tx) => {
            const current = await tx.conversation.findUniqueOrThrow({ where: { id: conversation.id }, select: { lastSeq: true } });
            await tx.conversation.update({ where: { id: conversation.id }, data: { lastSeq: current.lastSeq + 1 } });
          },
          { maxWait: 8_000, timeout: 8_000 },
        ),
      ),
    );
    expect((await db.conversation.findUniqueOrThrow({ where: { id: conversation.id } })).lastSeq).toBe(increments);
  });

  it("concurrent check-then-insert transactions see each other: exactly one finds the table empty", async () => {
    // registerUser's pattern (the first account administers); on PostgreSQL these conflicts surface at COMMIT.
    const tag = `first-${Date.now()}`;
    await db.user.deleteMany({});
    const roles = await Promise.all(
      Array.from({ length: 12 }, (_, index) =>
        db.$transaction(async (tx) => {
          const isFirst = (await tx.user.count()) === 0;
          return (await tx.user.create({ data: { email: `${tag}-${index}@example.test`, name: "N", passwordHash: "x", role: isFirst ? "admin" : "user" } })).role;
        }),
      ),
    );
    expect(roles.filter((role) => role === "admin")).toHaveLength(1);
  });

  it("round-trips dates at millisecond precision and compares them in raw SQL", async () => {
    const at = new Date("2026-01-02T03:04:05.678Z");
    const user = await db.user.create({ data: { email: `dates-${Date.now()}@example.test`, name: "Dates", passwordHash: "x", lastSeenAt: at } });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).lastSeenAt?.toISOString()).toBe(at.toISOString());
    const before = new Date(at.getTime() - 1);
    const rows = await db.$queryRaw<{ id: string }[]>`SELECT "id" FROM "User" WHERE "id" = ${user.id} AND "lastSeenAt" > ${before}`;
    expect(rows).toEqual([{ id: user.id }]);
  });
});

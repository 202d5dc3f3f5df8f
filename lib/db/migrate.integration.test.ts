// Real SQLite + the real schema-engine wasm: applies prisma/migrations to a temp database. With
// TEST_DATABASE_URL_POSTGRES, the same for prisma/migrations-postgres on a fresh PostgreSQL database,
// plus the drift check for the PostgreSQL history and a comparison of both providers' tables.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createPostgresTestDatabase, dropPostgresTestDatabase, openTestDb, TEST_POSTGRES_URL } from "@/test/support/database";

import { applyMigrations, createMigration, diffMigrationsToSchema, MIGRATIONS_DIRS, migrationStatus, SCHEMA_PATHS } from "./migrate.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const migrationsDir = path.join(root, "prisma/migrations");
const schemaPath = path.join(root, "prisma/schema.prisma");

describe("lib/db/migrate (integration)", () => {
  let tmp: string;
  let dbFile: string;
  let databaseUrl: string;
  const localMigrations = readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();

  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), "parley-migrate-"));
    dbFile = path.join(tmp, "nested", "dir", "test.db"); // parent directories do not exist yet
    databaseUrl = `file:${dbFile}`;
  });

  afterAll(() => {
    rmSync(tmp, { recursive: true, force: true });
  });

  it("has at least the initial migration", () => {
    expect(localMigrations.length).toBeGreaterThan(0);
    expect(existsSync(path.join(migrationsDir, "migration_lock.toml"))).toBe(true);
  });

  it("applies every migration to a fresh database", async () => {
    const lines: string[] = [];
    const { applied } = await applyMigrations({ databaseUrl, migrationsDir, schemaPath, log: (l) => lines.push(l) });
    expect(applied).toEqual(localMigrations);
    expect(lines.length).toBeGreaterThan(0);

    const db = new Database(dbFile, { readonly: true });
    try {
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .all()
        .map((row) => (row as { name: string }).name);
      expect(tables).toEqual(expect.arrayContaining(["User", "RevokedSession", "_prisma_migrations"]));
      const recorded = db
        .prepare("SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name")
        .all() as { migration_name: string; finished_at: string | null; rolled_back_at: string | null }[];
      expect(recorded.map((r) => r.migration_name)).toEqual(localMigrations);
      expect(recorded.every((r) => r.finished_at !== null && r.rolled_back_at === null)).toBe(true);
    } finally {
      db.close();
    }
  });

  it("applies nothing the second time", async () => {
    const { applied } = await applyMigrations({ databaseUrl, migrationsDir, schemaPath });
    expect(applied).toEqual([]);
    const status = await migrationStatus({ databaseUrl, migrationsDir, schemaPath });
    expect(status).toMatchObject({ applied: localMigrations, pending: [], failed: [], edited: [] });
  });

  it("creates no migration when the schema matches the migrations", async () => {
    // Work on a copy so a schema change without a migration fails here instead of writing into the repo.
    const copy = path.join(tmp, "migrations");
    cpSync(migrationsDir, copy, { recursive: true });
    const { directory } = await createMigration({ name: "should_be_empty", migrationsDir: copy, schemaPath });
    expect(directory).toBeNull();
    expect(readdirSync(copy).sort()).toEqual(readdirSync(migrationsDir).sort());
  });

  it("rejects unsupported database URLs clearly", async () => {
    await expect(applyMigrations({ databaseUrl: "mysql://localhost/parley", migrationsDir })).rejects.toThrow(
      /Unsupported database URL scheme "mysql:"/,
    );
  });
});

/** Every table of the app with its columns, "Table.column" sorted: what both histories must agree on. */
async function tablesAndColumns(databaseUrl: string): Promise<string[]> {
  const db = openTestDb(databaseUrl);
  try {
    const rows = databaseUrl.startsWith("file:")
      ? await db.all<{ t: string; c: string }>(
          `SELECT m.name AS t, p.name AS c FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`,
        )
      : await db.all<{ t: string; c: string }>(`SELECT table_name AS t, column_name AS c FROM information_schema.columns WHERE table_schema = 'public'`);
    return rows.map((row) => `${row.t}.${row.c}`).sort();
  } finally {
    await db.close();
  }
}

if (TEST_POSTGRES_URL) {
  const serverUrl = TEST_POSTGRES_URL;
  describe("lib/db/migrate on PostgreSQL (integration)", () => {
    const migrationsDir = path.join(root, MIGRATIONS_DIRS.postgresql);
    const schemaPath = path.join(root, SCHEMA_PATHS.postgresql);
    const local = readdirSync(migrationsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    let databaseUrl: string;
    let tmp: string;

    beforeAll(async () => {
      databaseUrl = await createPostgresTestDatabase(serverUrl);
      tmp = mkdtempSync(path.join(os.tmpdir(), "parley-migrate-pg-"));
    });

    afterAll(async () => {
      await dropPostgresTestDatabase(databaseUrl);
      rmSync(tmp, { recursive: true, force: true });
    });

    it("the PostgreSQL migration history describes prisma/postgres/schema.prisma exactly (drift check)", async () => {
      expect(await diffMigrationsToSchema({ databaseUrl: serverUrl, migrationsDir, schemaPath })).toEqual({ script: null });
    });

    it("the drift check fails when the schema has something the history lacks", async () => {
      const changed = path.join(tmp, "schema.prisma");
      writeFileSync(changed, `${readFileSync(schemaPath, "utf8")}\nmodel Drift {\n  id String @id\n}\n`);
      const { script } = await diffMigrationsToSchema({ databaseUrl: serverUrl, migrationsDir, schemaPath: changed });
      expect(script).toContain('CREATE TABLE "Drift"');
    });

    it("applies every migration to a fresh database, then nothing", async () => {
      expect((await applyMigrations({ databaseUrl, migrationsDir, schemaPath })).applied).toEqual(local);
      expect((await applyMigrations({ databaseUrl, migrationsDir, schemaPath })).applied).toEqual([]);
      const status = await migrationStatus({ databaseUrl, migrationsDir, schemaPath });
      expect(status).toMatchObject({ applied: local, pending: [], failed: [], edited: [], missingLocally: [] });
    });

    it("both histories build the same tables and columns", async () => {
      const sqliteUrl = `file:${path.join(tmp, "compare.db")}`;
      await applyMigrations({ databaseUrl: sqliteUrl });
      const [sqlite, postgres] = await Promise.all([tablesAndColumns(sqliteUrl), tablesAndColumns(databaseUrl)]);
      expect(postgres).toContain("User.email");
      expect(postgres).toEqual(sqlite);
    });

    it("creates no migration when the schema matches, and leaves the server's databases as they were", async () => {
      const copy = path.join(tmp, "migrations");
      cpSync(migrationsDir, copy, { recursive: true });
      const before = await listDatabases(serverUrl);
      expect((await createMigration({ name: "should_be_empty", databaseUrl: serverUrl, migrationsDir: copy, schemaPath })).directory).toBeNull();
      expect(readdirSync(copy).sort()).toEqual(readdirSync(migrationsDir).sort());
      // The throwaway shadow database is gone again.
      expect(await listDatabases(serverUrl)).toEqual(before);
    });
  });
}

async function listDatabases(serverUrl: string): Promise<string[]> {
  const db = openTestDb(serverUrl);
  try {
    return (await db.all<{ datname: string }>("SELECT datname FROM pg_database WHERE NOT starts_with(datname, 'parley_it_') ORDER BY datname")).map((row) => row.datname);
  } finally {
    await db.close();
  }
}

// Real SQLite + the real schema-engine wasm: applies prisma/migrations to a temp database.
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { applyMigrations, createMigration, migrationStatus } from "./migrate.ts";

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

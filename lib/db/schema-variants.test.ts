// The drift check, part one (no database server needed): the PostgreSQL schema is exactly the one
// derived from the single source, and the SQLite migration history describes that source exactly.
// Part two (the PostgreSQL history) needs a server: lib/db/migrate.integration.test.ts.
import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { diffMigrationsToSchema, MIGRATIONS_DIRS, SCHEMA_PATHS } from "./migrate";
import { derivePostgresSchema } from "./schema-variants";

const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

describe("one source for the models", () => {
  it("prisma/postgres/schema.prisma is the derivation of prisma/schema.prisma (else: npm run db:schema)", () => {
    expect(read(SCHEMA_PATHS.postgresql)).toBe(derivePostgresSchema(read(SCHEMA_PATHS.sqlite)));
  });

  it("changes only the provider and the client folder", () => {
    const derived = derivePostgresSchema(read(SCHEMA_PATHS.sqlite)).split("\n");
    const source = read(SCHEMA_PATHS.sqlite).split("\n");
    const header = derived.findIndex((line) => line === source[0]);
    const changed = derived.slice(header).filter((line, index) => line !== source[index]);
    expect(derived.slice(header)).toHaveLength(source.length);
    expect(changed.map((line) => line.trim().replace(/\s+/g, " "))).toEqual([
      'output = "../../lib/generated/prisma-postgres"',
      'provider = "postgresql"',
    ]);
  });

  it("refuses a source it cannot derive faithfully", () => {
    const source = read(SCHEMA_PATHS.sqlite);
    expect(() => derivePostgresSchema(source.replace('provider = "sqlite"', 'provider = "mysql"'))).toThrow(/provider = "sqlite"/);
    expect(() => derivePostgresSchema(source.replace("body            String", "body            String @db.Text"))).toThrow(/@db\.Text/);
  });

  it("the SQLite migration history describes prisma/schema.prisma exactly (else: npm run db:migration:create)", async () => {
    const { script } = await diffMigrationsToSchema({ migrationsDir: path.join(root, MIGRATIONS_DIRS.sqlite), schemaPath: path.join(root, SCHEMA_PATHS.sqlite) });
    expect(script).toBeNull();
  });
});

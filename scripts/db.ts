// Database migrations without the Prisma schema-engine binary (see lib/db/migrate.ts).
//
//   tsx scripts/db.ts deploy          apply pending migrations to DATABASE_URL (SQLite or PostgreSQL)
//   tsx scripts/db.ts create <name>   regenerate prisma/postgres/schema.prisma, then write
//                                     prisma/migrations/<timestamp>_<name>/migration.sql (SQLite) and
//                                     prisma/migrations-postgres/<timestamp>_<name>/migration.sql
//   tsx scripts/db.ts status          list applied / pending migrations
//   tsx scripts/db.ts schema          regenerate prisma/postgres/schema.prisma from prisma/schema.prisma
//   tsx scripts/db.ts check           fail if the PostgreSQL schema is stale or a migration history
//                                     does not describe its schema exactly (drift)
//
// DATABASE_URL defaults to file:./data/parley.db. PostgreSQL migrations are diffed on a throwaway
// shadow database: on the server MIGRATE_POSTGRES_URL names (needs CREATEDB), else on a temporary
// local cluster (scripts/postgres-cluster.mjs). Set MIGRATE_DEBUG=1 for schema-engine logs.
import { readFileSync, writeFileSync } from "node:fs";

import { applyMigrations, createMigration, diffMigrationsToSchema, migrationStatus, redactDatabaseUrl as redact, SCHEMA_PATHS } from "../lib/db/migrate.ts";
import { derivePostgresSchema } from "../lib/db/schema-variants.ts";
import { startPostgresCluster } from "./postgres-cluster.mjs";

const DEFAULT_DATABASE_URL = "file:./data/parley.db";
const USAGE = "usage: tsx scripts/db.ts deploy | create <name> | status | schema | check";

/** Rewrites the derived PostgreSQL schema; true if it changed. */
function writePostgresSchema(): boolean {
  const derived = derivePostgresSchema(readFileSync(SCHEMA_PATHS.sqlite, "utf8"));
  const current = (() => {
    try {
      return readFileSync(SCHEMA_PATHS.postgresql, "utf8");
    } catch {
      return null;
    }
  })();
  if (current === derived) return false;
  writeFileSync(SCHEMA_PATHS.postgresql, derived, "utf8");
  return true;
}

/** Runs `use` with a PostgreSQL server URL the engine may create shadow databases on. */
async function withPostgresServer<T>(use: (url: string) => Promise<T>): Promise<T> {
  if (process.env.MIGRATE_POSTGRES_URL) return use(process.env.MIGRATE_POSTGRES_URL);
  const cluster = await startPostgresCluster({ log: (line) => console.error(line) });
  try {
    return await use(cluster.url);
  } finally {
    cluster.stop();
  }
}

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const log = process.env.MIGRATE_DEBUG ? (line: string) => console.error(`  ${line}`) : undefined;
  const started = performance.now();
  const took = () => `${Math.round(performance.now() - started)} ms`;

  switch (command) {
    case "deploy": {
      const { applied } = await applyMigrations({ databaseUrl, log });
      if (applied.length === 0) console.log(`No pending migrations (${redact(databaseUrl)}, ${took()})`);
      else {
        for (const name of applied) console.log(`Applied ${name}`);
        console.log(`${applied.length} migration(s) applied to ${redact(databaseUrl)} (${took()})`);
      }
      return 0;
    }
    case "create": {
      const name = args.join(" ").trim();
      if (!name) {
        console.error(`Missing migration name. ${USAGE}`);
        return 2;
      }
      if (writePostgresSchema()) console.log(`Updated ${SCHEMA_PATHS.postgresql} (run npm run postinstall to regenerate the clients)`);
      const createdAt = new Date();
      const sqlite = await createMigration({ name, createdAt, log });
      const postgres = await withPostgresServer((databaseUrl) => createMigration({ name, createdAt, databaseUrl, log }));
      for (const { directory } of [sqlite, postgres]) if (directory) console.log(`Created ${directory}`);
      if (sqlite.directory || postgres.directory) console.log(`(${took()}) Review them, then run: tsx scripts/db.ts deploy`);
      else console.log(`No schema changes: nothing to create (${took()})`);
      return 0;
    }
    case "schema": {
      console.log(writePostgresSchema() ? `Updated ${SCHEMA_PATHS.postgresql}` : `${SCHEMA_PATHS.postgresql} is up to date`);
      return 0;
    }
    case "check": {
      let problems = 0;
      const derived = derivePostgresSchema(readFileSync(SCHEMA_PATHS.sqlite, "utf8"));
      if (readFileSync(SCHEMA_PATHS.postgresql, "utf8") !== derived) {
        console.error(`${SCHEMA_PATHS.postgresql} is stale: run npm run db:schema`);
        problems += 1;
      }
      const sqlite = await diffMigrationsToSchema({ log });
      const postgres = await withPostgresServer((databaseUrl) => diffMigrationsToSchema({ databaseUrl, log }));
      for (const [provider, { script }] of [["sqlite", sqlite], ["postgresql", postgres]] as const) {
        if (!script) continue;
        console.error(`The ${provider} migrations do not match ${SCHEMA_PATHS[provider]}; missing:\n${script}`);
        problems += 1;
      }
      console.log(problems ? `${problems} problem(s)` : `Schemas and both migration histories agree (${took()})`);
      return problems ? 1 : 0;
    }
    case "status": {
      const status = await migrationStatus({ databaseUrl, log });
      console.log(`${status.local.length} migration(s) found; database ${redact(databaseUrl)}`);
      for (const name of status.applied) console.log(`  applied  ${name}`);
      for (const name of status.pending) console.log(`  pending  ${name}`);
      for (const name of status.failed) console.log(`  FAILED   ${name}`);
      for (const name of status.edited) console.log(`  edited after being applied: ${name}`);
      for (const name of status.missingLocally) console.log(`  applied but missing locally: ${name}`);
      if (status.failed.length || status.missingLocally.length) return 1;
      console.log(status.pending.length ? `${status.pending.length} pending` : "Database is up to date");
      return 0;
    }
    default:
      console.error(command ? `Unknown command "${command}". ${USAGE}` : USAGE);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(`db: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);

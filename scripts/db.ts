// Database migrations without the Prisma schema-engine binary (see lib/db/migrate.ts).
//
//   tsx scripts/db.ts deploy          apply pending migrations to DATABASE_URL
//   tsx scripts/db.ts create <name>   create prisma/migrations/<timestamp>_<name>/migration.sql from the schema
//   tsx scripts/db.ts status          list applied / pending migrations
//
// DATABASE_URL defaults to file:./data/parley.db. Set MIGRATE_DEBUG=1 for schema-engine logs.
import { applyMigrations, createMigration, migrationStatus } from "../lib/db/migrate.ts";

const DEFAULT_DATABASE_URL = "file:./data/parley.db";
const USAGE = "usage: tsx scripts/db.ts deploy | create <name> | status";

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
      const { directory } = await createMigration({ name, databaseUrl: process.env.DATABASE_URL || undefined, log });
      if (directory) console.log(`Created ${directory} (${took()})\nReview it, then run: tsx scripts/db.ts deploy`);
      else console.log(`No schema changes: nothing to create (${took()})`);
      return 0;
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

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
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

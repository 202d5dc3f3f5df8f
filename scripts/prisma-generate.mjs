// `prisma generate` for both providers: Prisma 7 compiles a client per provider, so the SQLite
// schema (the one source) and the PostgreSQL schema derived from it (prisma/postgres/schema.prisma,
// see lib/db/schema-variants.ts) each generate theirs under lib/generated/.
//
// `prisma generate` never runs the schema engine, but the CLI insists on downloading it first.
// Pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file skips that download (ENVIRONMENT.md).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const SCHEMAS = ["prisma/schema.prisma", "prisma/postgres/schema.prisma"];
const env = { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? fileURLToPath(import.meta.url), PRISMA_HIDE_UPDATE_MESSAGE: "1" };
for (const schema of SCHEMAS) {
  const result = spawnSync("npx", ["--no-install", "prisma", "generate", "--schema", schema, ...process.argv.slice(2)], { stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

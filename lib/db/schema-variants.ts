/**
 * One source for the models: `prisma/schema.prisma` (SQLite, the embedded default). The PostgreSQL
 * schema `prisma/postgres/schema.prisma` is derived from it with two changes only, the datasource
 * provider and the generated client's folder (Prisma 7 compiles a client per provider), and is
 * committed so `prisma generate`, the schema engine and reviewers all read a real file.
 * `npm run db:schema` rewrites it; a unit test fails when it is stale (lib/db/schema-variants.test.ts).
 *
 * Node-only, no dependencies (also imported by scripts/db.ts).
 */
export const POSTGRES_SCHEMA_HEADER =
  "// GENERATED from prisma/schema.prisma by `npm run db:schema`: do not edit, edit that file instead.\n" +
  "// Same models, PostgreSQL datasource, its own client (lib/generated/prisma-postgres) and migrations\n" +
  "// (prisma/migrations-postgres).\n";

// Each pattern matches the whole assignment it rewrites; `g` only to count the matches.
const SQLITE_DATASOURCE = /(datasource\s+db\s*\{[^}]*?provider\s*=\s*)"sqlite"/g;
const SQLITE_CLIENT_OUTPUT = /(generator\s+client\s*\{[^}]*?output\s*=\s*)"\.\.\/lib\/generated\/prisma"/g;
const POSTGRES_CLIENT_OUTPUT = '"../../lib/generated/prisma-postgres"';

function replaceExactlyOnce(source: string, pattern: RegExp, replacement: string, what: string): string {
  const count = source.match(pattern)?.length ?? 0;
  if (count !== 1) throw new Error(`prisma/schema.prisma: expected exactly one ${what}, found ${count}`);
  return source.replace(pattern, replacement);
}

/** The PostgreSQL schema for a given SQLite schema source (pure; throws if the source has an unexpected shape). */
export function derivePostgresSchema(sqliteSchema: string): string {
  // Native-type attributes (@db.X) differ per provider: the one source must stay portable.
  const nativeType = /@db\.\w+/.exec(sqliteSchema);
  if (nativeType) throw new Error(`prisma/schema.prisma: provider-specific attribute ${nativeType[0]}; keep column types portable`);
  let schema = replaceExactlyOnce(sqliteSchema, SQLITE_DATASOURCE, '$1"postgresql"', 'datasource with provider = "sqlite"');
  schema = replaceExactlyOnce(schema, SQLITE_CLIENT_OUTPUT, `$1${POSTGRES_CLIENT_OUTPUT}`, 'generator client with output = "../lib/generated/prisma"');
  return POSTGRES_SCHEMA_HEADER + schema;
}

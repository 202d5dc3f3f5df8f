/**
 * The connect path's reads on SQLite without Prisma. Every handshake reads the same six things
 * (revoked session, user, memberships with unread counts, notification count, presence audience
 * and profiles); through Prisma each read cost ~150–250 µs of query building, interpretation and
 * result mapping around 15–70 µs of SQLite, most of a handshake's CPU (docs/PERFORMANCE.md). Here
 * the same SQL runs as a prepared statement on the process's own connection, under the same lock
 * Prisma's queries take (lib/db/serialized-adapter.ts), so it sees exactly what they see.
 *
 * Keys are bound as one JSON array: one statement whatever the number of keys. Batch loaders'
 * keys are distinct, so their statements join the table to `json_each(@keys)` (SQLite walks the
 * keys and probes the index); `IN (SELECT value FROM json_each(@keys))` builds a temporary index of
 * the keys first, which measurably costs more per statement. Returns null on PostgreSQL: callers
 * then read through Prisma.
 * Node-only.
 */
import type BetterSqlite3 from "better-sqlite3";

import { directSqlite } from "@/lib/db";

/** Statements per connection, by SQL text; the SQL is our own constants, so the set is small and fixed. */
const prepared = new WeakMap<BetterSqlite3.Database, Map<string, BetterSqlite3.Statement>>();

function statementFor(connection: BetterSqlite3.Database, sql: string): BetterSqlite3.Statement {
  let statements = prepared.get(connection);
  if (!statements) {
    statements = new Map();
    prepared.set(connection, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    // Prisma's adapter turns safe integers on for the connection: counts and seqs come back as numbers here.
    statement = connection.prepare(sql).safeIntegers(false);
    statements.set(sql, statement);
  }
  return statement;
}

/** The rows of `sql` with `@keys` bound to `keys` as a JSON array, or null when the database is not SQLite. */
export async function readByKeys<Row>(sql: string, keys: readonly string[]): Promise<Row[] | null> {
  const direct = await directSqlite();
  if (!direct) return null;
  const json = JSON.stringify(keys);
  return direct.run((connection) => statementFor(connection, sql).all({ keys: json }) as Row[]);
}

/** A DateTime column as SQLite holds it (Prisma's adapter writes ISO text; epoch milliseconds are read too). */
export function dateOf(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return new Date(value as string | number);
}

/**
 * Hot statements on SQLite without Prisma: the connect path's reads, a notification burst's three
 * statements and the membership cache's load of a conversation. Every handshake reads the same six things
 * (revoked session, user, memberships with unread counts, notification count, presence audience
 * and profiles); through Prisma each read cost ~150–250 µs of query building, interpretation and
 * result mapping around 15–70 µs of SQLite, most of a handshake's CPU (docs/PERFORMANCE.md). Here
 * the same SQL runs as a prepared statement on the process's own connection, under the same lock
 * Prisma's queries take (lib/db/serialized-adapter.ts), so it sees exactly what they see. A
 * notification burst (audience, upsert, unread counts) through Prisma also left most of its
 * objects alive across a young-generation collection, a quarter of what was promoted at 2,000
 * msgs/s (docs/PERFORMANCE.md).
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

/**
 * The rows of `sql` (a read, or a write with RETURNING) with these named parameters, or null when
 * the database is not SQLite. Lists go in as JSON text (`json_each(@name)`); dates as `sqliteDate`.
 */
export async function allDirect<Row>(sql: string, params: Record<string, string | number | null>): Promise<Row[] | null> {
  const direct = await directSqlite();
  if (!direct) return null;
  return direct.run((connection) => statementFor(connection, sql).all(params) as Row[]);
}

/** The rows of `sql` with `@keys` bound to `keys` as a JSON array, or null when the database is not SQLite. */
export async function readByKeys<Row>(sql: string, keys: readonly string[]): Promise<Row[] | null> {
  return allDirect<Row>(sql, { keys: JSON.stringify(keys) });
}

/** A DateTime as Prisma's SQLite adapter writes it, so rows written here read back like its own. */
export const sqliteDate = (date: Date): string => date.toISOString().replace("Z", "+00:00");

/** A DateTime column as SQLite holds it (Prisma's adapter writes ISO text; epoch milliseconds are read too). */
export function dateOf(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return new Date(value as string | number);
}

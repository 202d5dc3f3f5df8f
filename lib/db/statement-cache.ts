/**
 * Prepared statements kept for Prisma's SQLite adapter. The adapter prepares every statement
 * anew (`client.prepare(sql).bind(args)`), which was ~6 % of the server's CPU under chat load
 * (docs/PERFORMANCE.md); Prisma's SQL for one query shape is always the same text, so a small
 * cache by text serves nearly every query. The adapter uses only `prepare(...).bind(args)` with
 * `reader`, `run()`, `columns()` and `raw().all()`, and `prepare(sql).run()`: the stand-in below
 * offers exactly those, passing the arguments on each call (a better-sqlite3 statement can be
 * bound only once, so the real one is never bound).
 */
import type BetterSqlite3 from "better-sqlite3";

import { exposeCount } from "@/lib/ops/debug-counts";

/** Distinct query texts kept; IN lists of other lengths make new texts, the oldest are dropped. */
export const MAX_CACHED_STATEMENTS = 500;

type Args = unknown[];

function bound(statement: BetterSqlite3.Statement, args: Args) {
  return {
    reader: statement.reader,
    run: () => statement.run(...args),
    columns: () => statement.columns(),
    raw: () => ({ all: () => statement.raw(true).all(...args) }),
  };
}

function cachedPrepare(connection: BetterSqlite3.Database) {
  const statements = new Map<string, BetterSqlite3.Statement>();
  exposeCount("db.statements", () => statements.size);
  return (sql: string) => {
    let statement = statements.get(sql);
    if (statement) {
      // Most recently used last: Map keeps insertion order, so the first key is the oldest.
      statements.delete(sql);
    } else {
      statement = connection.prepare(sql);
      if (statements.size >= MAX_CACHED_STATEMENTS) statements.delete(statements.keys().next().value!);
    }
    statements.set(sql, statement);
    const prepared = statement;
    return { reader: prepared.reader, run: (...args: Args) => prepared.run(...args), bind: (args: Args) => bound(prepared, args) };
  };
}

/** The connection as the adapter should see it: the same, but for `prepare`. */
export function withStatementCache(connection: BetterSqlite3.Database): BetterSqlite3.Database {
  const prepare = cachedPrepare(connection);
  return new Proxy(connection, {
    get(target, property) {
      if (property === "prepare") return prepare;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

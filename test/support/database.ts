/**
 * The integration suite's databases. By default each server gets a fresh SQLite file in its data
 * directory. With TEST_DATABASE_URL_POSTGRES (a role that may CREATE DATABASE, e.g. the cluster
 * `npm test` starts) each data directory gets a fresh PostgreSQL database instead, so the same
 * tests run the same server against PostgreSQL. Test-only.
 */
import { randomBytes } from "node:crypto";
import path from "node:path";

import Database from "better-sqlite3";
import pg from "pg";

/** Where PostgreSQL test databases are created, or undefined: SQLite. */
export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL_POSTGRES || undefined;
export const TEST_DATABASE_PREFIX = "parley_it_";

export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url);

/** The same server URL with another database name. */
export function postgresUrlFor(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs `use` with a connection to the server's maintenance database. */
export async function withPostgresAdmin<T>(serverUrl: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** A new empty database on the test server (the app's migrations create its tables at boot). */
export async function createPostgresTestDatabase(serverUrl: string): Promise<string> {
  const name = `${TEST_DATABASE_PREFIX}${randomBytes(8).toString("hex")}`;
  await withPostgresAdmin(serverUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  return postgresUrlFor(serverUrl, name);
}

export async function dropPostgresTestDatabase(databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  if (!name.startsWith(TEST_DATABASE_PREFIX)) throw new Error(`not a test database: ${name}`);
  // WITH (FORCE) ends connections a killed server may have left behind (PostgreSQL 13+).
  await withPostgresAdmin(databaseUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).catch(() => undefined);
}

/** The SQLite file the server uses when DATABASE_URL is not set. */
export const sqliteUrlFor = (dataDir: string): string => `file:${path.join(dataDir, "parley.db")}`;

/**
 * Direct queries against a server's database, for assertions. SQL is written once with `?`
 * placeholders and quoted identifiers; counts come back as numbers on both databases.
 */
export type TestDb = {
  get: <T>(sql: string, ...params: unknown[]) => Promise<T>;
  all: <T>(sql: string, ...params: unknown[]) => Promise<T[]>;
  /** `SELECT COUNT(*) AS n …` */
  count: (sql: string, ...params: unknown[]) => Promise<number>;
  run: (sql: string, ...params: unknown[]) => Promise<number>;
  close: () => Promise<void>;
};

/** `?` → `$1, $2, …` outside string literals. */
export function toPostgresPlaceholders(sql: string): string {
  let index = 0;
  return sql.replace(/'(?:[^']|'')*'|\?/g, (match) => (match === "?" ? `$${++index}` : match));
}

export function openTestDb(databaseUrl: string, options: { readonly?: boolean } = {}): TestDb {
  if (isPostgresUrl(databaseUrl)) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: 2 });
    const query = (sql: string, params: unknown[]) => pool.query(toPostgresPlaceholders(sql), params);
    return {
      get: async <T>(sql: string, ...params: unknown[]) => (await query(sql, params)).rows[0] as T,
      all: async <T>(sql: string, ...params: unknown[]) => (await query(sql, params)).rows as T[],
      count: async (sql: string, ...params: unknown[]) => Number(((await query(sql, params)).rows[0] as { n: unknown }).n),
      run: async (sql: string, ...params: unknown[]) => (await query(sql, params)).rowCount ?? 0,
      close: () => pool.end(),
    };
  }
  // WAL: readers never block the server; a writer waits for it up to the busy timeout.
  const db = new Database(databaseUrl.replace(/^file:/, ""), { readonly: options.readonly ?? true, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  return {
    get: async <T>(sql: string, ...params: unknown[]) => db.prepare(sql).get(...params) as T,
    all: async <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[],
    count: async (sql: string, ...params: unknown[]) => Number((db.prepare(sql).get(...params) as { n: unknown }).n),
    run: async (sql: string, ...params: unknown[]) => db.prepare(sql).run(...params).changes,
    close: async () => {
      db.close();
    },
  };
}

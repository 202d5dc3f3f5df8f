/**
 * The Prisma client, one per process (kept on globalThis so Next's separately bundled route
 * handlers and server.ts share it). The provider follows DATABASE_URL: `file:` is SQLite (the
 * embedded default), `postgresql://` is PostgreSQL. Provider-specific tuning lives here and nowhere else.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";

import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";

import { withSerializableTransactions } from "@/lib/db/serializable-transactions";
import { type DirectSqlite, serializedAdapterFactory } from "@/lib/db/serialized-adapter";
import { timedAdapterFactory } from "@/lib/db/timed-adapter";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { PrismaClient as PostgresPrismaClient } from "@/lib/generated/prisma-postgres/client";
import { getServerEnv } from "@/lib/env";
import { getLogger } from "@/lib/logger";

export type DatabaseProvider = "sqlite" | "postgresql";

export function databaseProviderOf(url: string): DatabaseProvider {
  return /^postgres(ql)?:\/\//i.test(url) ? "postgresql" : "sqlite";
}

/** SQLite's connection for hot statements, once Prisma has opened it (null on PostgreSQL). */
type DirectHolder = { direct: DirectSqlite | null };
type OpenedClient = { client: PrismaClient; ready: Promise<void>; holder: DirectHolder };
type DbSlot = { __parleyDb?: OpenedClient & { url: string } };
const slot = globalThis as unknown as DbSlot;

export function sqlitePathFromUrl(url: string): string {
  return path.resolve(url.replace(/^file:/, "").replace(/\?.*$/, ""));
}

/**
 * A new client for `url` (either provider) and a promise that settles once it is usable. The app
 * uses the shared one (getDb); tests and scripts that need their own connection use this.
 */
export function createPrismaClient(url: string): OpenedClient {
  return databaseProviderOf(url) === "postgresql" ? createPostgresClient(url) : createSqliteClient(url);
}

/**
 * PostgreSQL: a pg pool (one connection per concurrent query or transaction); transactions are
 * serializable and retried on conflicts, as they are serialized on SQLite (serializable-transactions.ts).
 * Both clients are generated from the same models (lib/db/schema-variants.ts), so the app keeps one
 * client type; only `$transaction`'s isolation-level union differs, which only that wrapper passes.
 */
function createPostgresClient(url: string): OpenedClient {
  const adapter = new PrismaPg(
    { connectionString: url, max: POSTGRES_POOL_SIZE },
    // An idle pooled connection that the server drops is replaced on next use; just do not crash.
    { onPoolError: (error) => getLogger().warn({ err: error }, "database pool error") },
  );
  const client = withSerializableTransactions(new PostgresPrismaClient({ adapter: timedAdapterFactory(adapter) }) as unknown as PrismaClient);
  const ready = client.$queryRawUnsafe("SELECT 1").then(() => undefined);
  ready.catch(() => undefined);
  return { client, ready, holder: { direct: null } };
}

/** Connections per process: 10 is pg's default and well under PostgreSQL's default 100 for a few processes. */
const POSTGRES_POOL_SIZE = 10;

function createSqliteClient(url: string): OpenedClient {
  const file = sqlitePathFromUrl(url);
  mkdirSync(path.dirname(file), { recursive: true });
  const holder: DirectHolder = { direct: null };
  const adapter = serializedAdapterFactory(new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 5_000 }), (direct) => {
    holder.direct = direct;
  });
  const client = new PrismaClient({ adapter });
  // WAL lets readers run beside the writer; NORMAL sync is durable across process crashes in WAL mode.
  const ready = (async () => {
    await client.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    await client.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
    await client.$queryRawUnsafe("PRAGMA foreign_keys = ON");
  })();
  ready.catch(() => undefined);
  return { client, ready, holder };
}

/** The shared client; the first call opens the database named by DATABASE_URL. */
export function getDb(): PrismaClient {
  const url = getServerEnv().DATABASE_URL;
  if (!slot.__parleyDb || slot.__parleyDb.url !== url) slot.__parleyDb = { ...createPrismaClient(url), url };
  return slot.__parleyDb.client;
}

/** Which database the shared client talks to. */
export function activeDatabaseProvider(): DatabaseProvider {
  return databaseProviderOf(getServerEnv().DATABASE_URL);
}

/** Resolves once connection pragmas are applied; rejects if the database cannot be opened. */
export async function dbReady(): Promise<PrismaClient> {
  const client = getDb();
  await slot.__parleyDb?.ready;
  return client;
}

/** The shared SQLite connection for hot statements (lib/db/serialized-adapter.ts); null on PostgreSQL. */
export async function directSqlite(): Promise<DirectSqlite | null> {
  await dbReady();
  return slot.__parleyDb?.holder.direct ?? null;
}

export async function pingDb(): Promise<boolean> {
  try {
    await (await dbReady()).$queryRawUnsafe("SELECT 1");
    return true;
  } catch {
    return false;
  }
}

export async function closeDb(): Promise<void> {
  const current = slot.__parleyDb;
  slot.__parleyDb = undefined;
  await current?.client.$disconnect();
}

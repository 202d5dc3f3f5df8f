/**
 * The Prisma client, one per process (kept on globalThis so Next's separately bundled route
 * handlers and server.ts share it). SQLite-specific tuning lives here and nowhere else.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";

import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";

import { serializedAdapterFactory } from "@/lib/db/serialized-adapter";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { getServerEnv } from "@/lib/env";

type DbSlot = { __parleyDb?: { client: PrismaClient; ready: Promise<void>; url: string } };
const slot = globalThis as unknown as DbSlot;

export function sqlitePathFromUrl(url: string): string {
  return path.resolve(url.replace(/^file:/, "").replace(/\?.*$/, ""));
}

function createClient(url: string): { client: PrismaClient; ready: Promise<void> } {
  const file = sqlitePathFromUrl(url);
  mkdirSync(path.dirname(file), { recursive: true });
  const adapter = serializedAdapterFactory(new PrismaBetterSqlite3({ url: `file:${file}`, timeout: 5_000 }));
  const client = new PrismaClient({ adapter });
  // WAL lets readers run beside the writer; NORMAL sync is durable across process crashes in WAL mode.
  const ready = (async () => {
    await client.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    await client.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
    await client.$queryRawUnsafe("PRAGMA foreign_keys = ON");
  })();
  ready.catch(() => undefined);
  return { client, ready };
}

/** The shared client; the first call opens the database named by DATABASE_URL. */
export function getDb(): PrismaClient {
  const url = getServerEnv().DATABASE_URL;
  if (!slot.__parleyDb || slot.__parleyDb.url !== url) slot.__parleyDb = { ...createClient(url), url };
  return slot.__parleyDb.client;
}

/** Resolves once connection pragmas are applied; rejects if the database cannot be opened. */
export async function dbReady(): Promise<PrismaClient> {
  const client = getDb();
  await slot.__parleyDb?.ready;
  return client;
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

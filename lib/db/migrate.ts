// Prisma Migrate without the native schema-engine binary: the WebAssembly build of Prisma's schema
// engine (@prisma/schema-engine-wasm) talks to the database through a Prisma driver adapter. The
// migration files and the `_prisma_migrations` bookkeeping are the ones `prisma migrate deploy`
// reads and writes, so migrations created here can be applied anywhere by the regular CLI.
//
// Node-only. Imported by the production server at boot (bundled with esbuild --packages=external),
// so keep imports plain ESM and resolve package files through createRequire, never relative paths.
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import type {
  MigrationDirectory,
  MigrationList,
  SchemaEngine,
  SchemaFilter,
} from "@prisma/schema-engine-wasm/schema_engine_bg";

export type MigrateLog = (line: string) => void;

export interface ApplyMigrationsOptions {
  /** `file:` SQLite URL (relative paths resolve against process.cwd()) or `postgresql://` URL. */
  databaseUrl: string;
  /** Default: the provider's directory (see MIGRATIONS_DIRS), relative to process.cwd(). */
  migrationsDir?: string;
  /** Default: the provider's schema (see SCHEMA_PATHS), relative to process.cwd(). Optional for applying. */
  schemaPath?: string;
  log?: MigrateLog;
}

export interface CreateMigrationOptions {
  /**
   * Picks the provider (URL scheme). SQLite: the database is never touched (in-memory shadow).
   * PostgreSQL: a server the engine may create and drop a throwaway shadow database on (CREATEDB).
   * Default: sqlite.
   */
  databaseUrl?: string;
  /** Migration name, slugified like the Prisma CLI does (`Add posts` -> `add_posts`). */
  name: string;
  /** Directory timestamp (default: now); the same for both providers' migrations of one change. */
  createdAt?: Date;
  migrationsDir?: string;
  schemaPath?: string;
  log?: MigrateLog;
}

export interface MigrationStatusOptions {
  databaseUrl: string;
  migrationsDir?: string;
  schemaPath?: string;
  log?: MigrateLog;
}

export interface MigrationStatus {
  /** Migration directories found locally, sorted. */
  local: string[];
  /** Local migrations recorded as applied in the database. */
  applied: string[];
  /** Local migrations not applied yet. */
  pending: string[];
  /** Migrations in a failed state in `_prisma_migrations` (need manual resolution). */
  failed: string[];
  /** Applied migrations whose migration.sql changed since. */
  edited: string[];
  /** Migrations recorded in the database but missing locally. */
  missingLocally: string[];
}

/**
 * One source for the models (`prisma/schema.prisma`, SQLite); the PostgreSQL schema is generated from
 * it (lib/db/schema-variants.ts). Each provider has its own migration history.
 */
export const SCHEMA_PATHS = { sqlite: "prisma/schema.prisma", postgresql: "prisma/postgres/schema.prisma" } as const;
export const MIGRATIONS_DIRS = { sqlite: "prisma/migrations", postgresql: "prisma/migrations-postgres" } as const;
export const DEFAULT_MIGRATIONS_DIR = MIGRATIONS_DIRS.sqlite;
export const DEFAULT_SCHEMA_PATH = SCHEMA_PATHS.sqlite;

const LOCKFILE_NAME = "migration_lock.toml";
const MIGRATION_FILE_NAME = "migration.sql";
const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };

// ---------------------------------------------------------------------------------------------
// Provider selection: the only place that knows which driver adapter serves which URL scheme.
// ---------------------------------------------------------------------------------------------

export type Provider = "sqlite" | "postgresql";

interface AdapterTarget {
  provider: Provider;
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** Human-readable location for logs/errors (no credentials). */
  display: string;
}

type AdapterPurpose =
  /** Connect to the real database (apply / status). */
  | "database"
  /** Only the shadow database is used (creating migrations); the main connection must be inert. */
  | "shadow-only";

export function providerOf(databaseUrl: string): Provider {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(databaseUrl)?.[1]?.toLowerCase();
  if (scheme === "file") return "sqlite";
  if (scheme === "postgres" || scheme === "postgresql") return "postgresql";
  throw new Error(
    `Unsupported database URL scheme ${scheme ? `"${scheme}:"` : "(none)"}: expected a "file:" SQLite URL (file:./data/parley.db) or a postgresql:// URL`,
  );
}

/** Absolute filesystem path of a `file:` SQLite URL (query string dropped). */
export function sqlitePathFromUrl(databaseUrl: string): string {
  if (!databaseUrl.startsWith("file:")) throw new Error(`Not a SQLite file: URL: ${databaseUrl}`);
  const withoutQuery = databaseUrl.replace(/[?#].*$/, "");
  if (withoutQuery.startsWith("file://")) return fileURLToPath(withoutQuery);
  const rest = withoutQuery.slice("file:".length);
  if (!rest) throw new Error(`Empty SQLite path in database URL: ${databaseUrl}`);
  return path.resolve(process.cwd(), rest);
}

async function createAdapterTarget(databaseUrl: string, purpose: AdapterPurpose): Promise<AdapterTarget> {
  const provider = providerOf(databaseUrl);
  switch (provider) {
    case "sqlite": {
      if (purpose === "shadow-only") {
        // connectToShadowDb() of the better-sqlite3 adapter opens a fresh in-memory database per
        // call: a throwaway shadow database that disappears when its connection is closed.
        return { provider, factory: sqliteFactory(":memory:"), display: "(in-memory)" };
      }
      const file = sqlitePathFromUrl(databaseUrl);
      await mkdir(path.dirname(file), { recursive: true });
      return { provider, factory: sqliteFactory(file), display: file };
    }
    case "postgresql": {
      return { provider, factory: postgresFactory(databaseUrl), display: redactDatabaseUrl(databaseUrl) };
    }
  }
}

/** PostgreSQL's one-byte `"char"` type (pg_catalog's relkind, contype, …). */
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

type FieldsResult = { fields?: { dataTypeID: number }[] };
function charFieldsAsText<R>(result: R): R {
  for (const part of Array.isArray(result) ? (result as FieldsResult[]) : [result as FieldsResult]) {
    for (const field of part?.fields ?? []) if (field.dataTypeID === PG_CHAR_OID) field.dataTypeID = PG_TEXT_OID;
  }
  return result;
}

/**
 * A pg client that reports `"char"` columns as text. The schema engine describes a database through
 * pg_catalog, whose `"char"` columns the 7.10 pg adapter refuses ("Column type 'char' could not be
 * deserialized"); pg already parses their values as one-character strings, so only the reported
 * type changes. Used for migrations only; the app never reads such columns.
 */
class CharAsTextClient extends pg.Client {
  // pg's query() has callback and promise forms (pg-pool uses the callback one): patch both.
  override query(...args: unknown[]): never {
    const last = args[args.length - 1];
    if (typeof last === "function") {
      args[args.length - 1] = (error: Error | null, result: unknown) => (last as (e: Error | null, r: unknown) => void)(error, error ? result : charFieldsAsText(result));
    }
    const returned = (super.query as (...a: unknown[]) => unknown)(...args);
    return (returned instanceof Promise ? returned.then(charFieldsAsText) : returned) as never;
  }
}

/**
 * pg adapter for the schema engine. Its own connectToShadowDb() creates a throwaway database but
 * then connects with `{ connectionString, database }`, and pg lets the connection string win: the
 * "shadow" would be the real database. Here the shadow URL names the new database itself; it is
 * dropped when the engine disposes the connection. Creating migrations only ever uses the shadow.
 */
function postgresFactory(databaseUrl: string): SqlMigrationAwareDriverAdapterFactory {
  const open = (connectionString: string) => new PrismaPg({ connectionString, max: 2, Client: CharAsTextClient }).connect();
  return {
    provider: "postgres",
    adapterName: "@prisma/adapter-pg",
    connect: () => open(databaseUrl),
    connectToShadowDb: async () => {
      const admin = await open(databaseUrl);
      const name = `prisma_migrate_shadow_db_${randomUUID().replace(/-/g, "")}`;
      try {
        await admin.executeScript(`CREATE DATABASE "${name}"`);
        const url = new URL(databaseUrl);
        url.pathname = `/${name}`;
        const shadow = await open(url.toString());
        const dispose = shadow.dispose.bind(shadow);
        shadow.dispose = async () => {
          try {
            await dispose();
            await admin.executeScript(`DROP DATABASE IF EXISTS "${name}"`);
          } finally {
            await admin.dispose();
          }
        };
        return shadow;
      } catch (error) {
        await admin.executeScript(`DROP DATABASE IF EXISTS "${name}"`).catch(() => undefined);
        await admin.dispose();
        throw error;
      }
    },
  };
}

/**
 * better-sqlite3 adapter whose connections accept multi-statement scripts in `executeRaw`.
 *
 * The wasm engine replays migration.sql files on the shadow database through `executeRaw` (one
 * call per file), but the 7.10 adapter runs `executeRaw` through `Database.prepare`, which refuses
 * more than one statement. Such parameterless scripts fall back to `executeScript` (`Database.exec`).
 */
function sqliteFactory(file: string): SqlMigrationAwareDriverAdapterFactory {
  const factory = new PrismaBetterSqlite3({ url: file });
  const patch = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    const executeRaw = adapter.executeRaw.bind(adapter);
    adapter.executeRaw = async (query) => {
      try {
        return await executeRaw(query);
      } catch (error) {
        if (query.args.length > 0 || !/more than one statement/i.test((error as Error)?.message ?? "")) throw error;
        await adapter.executeScript(query.sql);
        return 0;
      }
    };
    return adapter;
  };
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => patch(await factory.connect()),
    connectToShadowDb: async () => patch(await factory.connectToShadowDb()),
  };
}

// ---------------------------------------------------------------------------------------------
// Engine plumbing
// ---------------------------------------------------------------------------------------------

// eslint-disable-next-line @typescript-eslint/consistent-type-imports -- the module is loaded lazily; only its type is needed here
type EngineModule = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");

let enginePromise: Promise<EngineModule> | undefined;

/** Loads and instantiates the schema-engine WebAssembly module once per process. */
function loadEngineModule(): Promise<EngineModule> {
  enginePromise ??= (async () => {
    const require = createRequire(import.meta.url);
    // The package's exports map only exposes the JS glue; the .wasm sits next to it.
    const gluePath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const wasmPath = path.join(path.dirname(gluePath), "schema_engine_bg.wasm");
    const glue: EngineModule = await import("@prisma/schema-engine-wasm/schema_engine_bg");
    const bytes = await readFile(wasmPath);
    const { instance } = await WebAssembly.instantiate(bytes, {
      "./schema_engine_bg.js": glue as unknown as WebAssembly.ModuleImports,
    });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
    return glue;
  })();
  enginePromise.catch(() => {
    enginePromise = undefined;
  });
  return enginePromise;
}

/** Records every connection the engine opens so they can all be closed afterwards. */
function trackConnections(factory: SqlMigrationAwareDriverAdapterFactory) {
  const open: SqlDriverAdapter[] = [];
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = await factory.connect();
      open.push(adapter);
      return adapter;
    },
    connectToShadowDb: async () => {
      const adapter = await factory.connectToShadowDb();
      open.push(adapter);
      return adapter;
    },
  };
  const closeAll = async () => {
    for (const adapter of open.splice(0)) {
      try {
        await adapter.dispose();
      } catch {
        // already closed
      }
    }
  };
  return { tracked, closeAll };
}

function engineLogger(log: MigrateLog | undefined) {
  return (raw: string) => {
    if (!log) return;
    for (const line of String(raw).split("\n")) {
      if (!line.trim()) continue;
      try {
        const entry = JSON.parse(line) as { level?: string; fields?: Record<string, unknown> };
        // `script` (the whole migration.sql) is too long for a log line.
        const { message, script: _script, ...fields } = entry.fields ?? {};
        const extra = Object.entries(fields)
          .map(([key, value]) => ` ${key}=${truncate(typeof value === "string" ? value : JSON.stringify(value))}`)
          .join("");
        log(`[schema-engine] ${entry.level ?? "INFO"} ${message ?? ""}${extra}`.replace(/\s+/g, " ").trim());
      } catch {
        log(`[schema-engine] ${line}`);
      }
    }
  };
}

function truncate(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

interface SchemaFile {
  path: string;
  content: string;
}

async function readSchema(schemaPath: string, required: boolean, provider: Provider): Promise<SchemaFile> {
  try {
    return { path: schemaPath, content: await readFile(schemaPath, "utf8") };
  } catch (error) {
    if (required || (error as NodeJS.ErrnoException).code !== "ENOENT") {
      throw new Error(`Cannot read the Prisma schema at ${schemaPath}: ${(error as Error).message}`, { cause: error });
    }
    // Applying migrations does not depend on the models; the engine only needs the datasource.
    return { path: schemaPath, content: `datasource db {\n  provider = "${provider}"\n}\n` };
  }
}

async function withEngine<T>(
  target: AdapterTarget,
  schema: SchemaFile,
  log: MigrateLog | undefined,
  run: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const glue = await loadEngineModule();
  const { tracked, closeAll } = trackConnections(target.factory);
  let engine: SchemaEngine | undefined;
  try {
    engine = await glue.SchemaEngine.new(
      { datamodels: [[schema.path, schema.content]] },
      engineLogger(log),
      bindMigrationAwareSqlAdapterFactory(tracked),
    );
    return await run(engine);
  } catch (error) {
    throw toReadableError(error);
  } finally {
    try {
      engine?.free();
    } finally {
      await closeAll();
    }
  }
}

/** Engine errors carry a Rust span trace after the message; keep it as `cause` but not in the message. */
function toReadableError(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const [first] = error.message.split(/\n\s*0: /);
  const message = (first ?? error.message).trim();
  if (message === error.message) return error;
  const readable = new Error(message, { cause: error });
  readable.name = error.name;
  return readable;
}

/** Same shape and ordering as the Prisma CLI's listing of the migrations directory. */
async function readMigrationsList(migrationsDir: string): Promise<MigrationList> {
  const content = await readFile(path.join(migrationsDir, LOCKFILE_NAME), "utf8").catch(() => null);
  const entries = await readdir(migrationsDir, { withFileTypes: true }).catch(() => []);
  const migrationDirectories: MigrationDirectory[] = [];
  for (const entry of entries.filter((e) => e.isDirectory())) {
    const file = path.join(migrationsDir, entry.name, MIGRATION_FILE_NAME);
    const result = await readFile(file, "utf8").then(
      (value) => ({ tag: "ok" as const, value }),
      (error: Error) => ({ tag: "error" as const, value: error.message }),
    );
    migrationDirectories.push({ path: entry.name, migrationFile: { path: MIGRATION_FILE_NAME, content: result } });
  }
  migrationDirectories.sort((a, b) => a.path.localeCompare(b.path));
  return {
    baseDir: migrationsDir,
    lockfile: { path: LOCKFILE_NAME, content },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

function lockfileContent(provider: Provider): string {
  // Byte-for-byte what the Prisma CLI writes.
  return `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${provider}"\n`;
}

function lockfileProvider(content: string | null): string | undefined {
  return content ? /^\s*provider\s*=\s*"([^"]*)"/m.exec(content)?.[1] : undefined;
}

function assertLockfileMatches(list: MigrationList, provider: Provider): void {
  const locked = lockfileProvider(list.lockfile.content);
  if (locked && locked !== provider) {
    throw new Error(
      `The migrations in ${list.baseDir} were created for "${locked}" (${LOCKFILE_NAME}) but the database URL is ${provider}`,
    );
  }
}

function resolvePaths(options: { migrationsDir?: string; schemaPath?: string }, provider: Provider) {
  return {
    migrationsDir: path.resolve(process.cwd(), options.migrationsDir ?? MIGRATIONS_DIRS[provider]),
    schemaPath: path.resolve(process.cwd(), options.schemaPath ?? SCHEMA_PATHS[provider]),
  };
}

/** The URL without its password, for logs. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/** `prisma migrate deploy`: applies pending migrations. Idempotent. */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<{ applied: string[] }> {
  const { log } = options;
  const provider = providerOf(options.databaseUrl);
  const { migrationsDir, schemaPath } = resolvePaths(options, provider);
  const list = await readMigrationsList(migrationsDir);
  if (list.migrationDirectories.length === 0) {
    log?.(`No migrations found in ${migrationsDir}`);
    return { applied: [] };
  }
  const target = await createAdapterTarget(options.databaseUrl, "database");
  assertLockfileMatches(list, provider);
  const schema = await readSchema(schemaPath, false, provider);
  log?.(`${list.migrationDirectories.length} migration(s) in ${migrationsDir}; database ${target.display}`);
  // The engine logs "Applying `<name>`" before each migration: remember it to name a failure.
  let current: string | undefined;
  const engineLog = (line: string) => {
    current = /^\[schema-engine\] INFO Applying `([^`]+)`/.exec(line)?.[1] ?? current;
    log?.(line);
  };
  const { appliedMigrationNames } = await withEngine(target, schema, engineLog, (engine) =>
    engine.applyMigrations({ migrationsList: list, filters: NO_FILTER }),
  ).catch((error: Error) => {
    if (!current || error.message.includes(current)) throw error;
    const wrapped = new Error(`Migration \`${current}\` failed to apply: ${error.message}`, { cause: error });
    wrapped.name = error.name;
    throw wrapped;
  });
  log?.(
    appliedMigrationNames.length
      ? `Applied ${appliedMigrationNames.length} migration(s): ${appliedMigrationNames.join(", ")}`
      : "No pending migrations",
  );
  return { applied: appliedMigrationNames };
}

/**
 * `prisma migrate dev --create-only --name <name>` (minus touching a dev database): diffs the
 * migration history (replayed on a throwaway shadow database) against the schema and writes
 * `<migrationsDir>/<YYYYMMDDHHMMSS>_<name>/migration.sql` plus `migration_lock.toml`.
 * Returns `{ directory: null }` and writes nothing when the schema has no changes.
 */
export async function createMigration(options: CreateMigrationOptions): Promise<{ directory: string | null }> {
  const { log } = options;
  const name = slugifyMigrationName(options.name);
  if (!name) throw new Error(`Invalid migration name: ${JSON.stringify(options.name)}`);
  const provider = providerOf(options.databaseUrl ?? "file::memory:");
  const { migrationsDir } = resolvePaths(options, provider);
  const { script } = await diffMigrationsToSchema(options);
  if (!script) {
    log?.("No schema changes: no migration created");
    return { directory: null };
  }

  const directory = path.join(migrationsDir, `${migrationTimestamp(options.createdAt ?? new Date())}_${name}`);
  if (existsSync(directory)) throw new Error(`The migration directory already exists at ${directory}`);
  await mkdir(directory, { recursive: true, mode: 0o777 });
  await writeFile(path.join(directory, MIGRATION_FILE_NAME), script, "utf8");
  await writeFile(path.join(migrationsDir, LOCKFILE_NAME), lockfileContent(provider), "utf8");
  log?.(`Created ${path.relative(process.cwd(), directory) || directory}`);
  return { directory };
}

/**
 * The SQL that would take a database built by replaying the migration history to the schema:
 * `null` when the history already describes the schema exactly (the drift check), else the script
 * a new migration would hold. Replays on a throwaway shadow database (SQLite: in memory;
 * PostgreSQL: created and dropped on the server `databaseUrl` names).
 */
export async function diffMigrationsToSchema(options: Omit<CreateMigrationOptions, "name" | "createdAt">): Promise<{ script: string | null }> {
  const { log } = options;
  const databaseUrl = options.databaseUrl ?? "file::memory:";
  const provider = providerOf(databaseUrl);
  const { migrationsDir, schemaPath } = resolvePaths(options, provider);
  const target = await createAdapterTarget(databaseUrl, "shadow-only");
  const list = await readMigrationsList(migrationsDir);
  assertLockfileMatches(list, provider);
  const schema = await readSchema(schemaPath, true, provider);

  // The wasm engine's `createMigration` cannot reach an adapter-provided shadow database for SQLite
  // ("SQLite shadow DB must be provided through an external factory"), while `diff` from the
  // migrations history can. Both render the script with the same renderer, so the file is identical.
  const diffList: MigrationList = {
    ...list,
    lockfile: { ...list.lockfile, content: list.lockfile.content ?? lockfileContent(provider) },
  };
  const result = await withEngine(target, schema, log, (engine) =>
    engine.diff({
      from: { tag: "migrations", ...diffList },
      to: { tag: "schemaDatamodel", files: [schema] },
      script: true,
      exitCode: true,
      filters: NO_FILTER,
    }),
  );
  // With exitCode: true the engine answers 2 when the diff is non-empty, 0 when there is nothing to do.
  return { script: result.exitCode === 2 && result.stdout ? result.stdout : null };
}

/** `prisma migrate status`: applied / pending / failed migrations. Does not create the database. */
export async function migrationStatus(options: MigrationStatusOptions): Promise<MigrationStatus> {
  const { log } = options;
  const provider = providerOf(options.databaseUrl);
  const { migrationsDir, schemaPath } = resolvePaths(options, provider);
  const list = await readMigrationsList(migrationsDir);
  const local = list.migrationDirectories.map((d) => d.path);
  const none: MigrationStatus = { local, applied: [], pending: local, failed: [], edited: [], missingLocally: [] };
  if (provider === "sqlite" && !existsSync(sqlitePathFromUrl(options.databaseUrl))) return none;

  const target = await createAdapterTarget(options.databaseUrl, "database");
  assertLockfileMatches(list, provider);
  const schema = await readSchema(schemaPath, false, provider);
  const diagnosis = await withEngine(target, schema, log, (engine) =>
    engine.diagnoseMigrationHistory({ migrationsList: list, optInToShadowDatabase: false, filters: NO_FILTER }),
  );
  if (!diagnosis.hasMigrationsTable) return none;

  const history = diagnosis.history;
  const pending = history && history.diagnostic !== "migrationsDirectoryIsBehind" ? history.unappliedMigrationNames : [];
  const missingLocally = history && history.diagnostic !== "databaseIsBehind" ? history.unpersistedMigrationNames : [];
  const failed = diagnosis.failedMigrationNames;
  return {
    local,
    applied: local.filter((m) => !pending.includes(m) && !failed.includes(m)),
    pending,
    failed,
    edited: diagnosis.editedMigrationNames,
    missingLocally,
  };
}

/** Prisma's directory naming: UTC `YYYYMMDDHHMMSS`. */
function migrationTimestamp(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}` +
    `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`
  );
}

/** Approximates the CLI's `slugify(name, { separator: "_" }).substring(0, 200)`. */
export function slugifyMigrationName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/&/g, " and ")
    .replace(/([a-z\d])([A-Z])/g, "$1_$2")
    .replace(/([A-Z]+)([A-Z][a-z\d]+)/g, "$1_$2")
    .toLowerCase()
    .replace(/([a-z\d]+)'([ts])(\s|$)/g, "$1$2$3")
    .replace(/[^a-z\d]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .substring(0, 200);
}

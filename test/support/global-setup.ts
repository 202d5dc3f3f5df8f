/**
 * Integration project global setup: says which database the suite runs against and, on
 * PostgreSQL, drops every test database left at the end (a killed server or worker cannot).
 */
import { TEST_DATABASE_PREFIX, TEST_POSTGRES_URL, withPostgresAdmin } from "@/test/support/database";

export async function setup(): Promise<() => Promise<void>> {
  if (!TEST_POSTGRES_URL) {
    console.log("integration suite: SQLite (set TEST_DATABASE_URL_POSTGRES to run it against PostgreSQL)");
    return async () => undefined;
  }
  const serverUrl = TEST_POSTGRES_URL;
  const version = await withPostgresAdmin(serverUrl, async (client) => (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v);
  console.log(`integration suite: PostgreSQL ${version} (a fresh database per server)`);
  return async () => {
    await withPostgresAdmin(serverUrl, async (client) => {
      const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [TEST_DATABASE_PREFIX]);
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    });
  };
}

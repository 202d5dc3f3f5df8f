// Runs a command with a throwaway PostgreSQL cluster (scripts/postgres-cluster.mjs) and stops it
// afterwards. The command sees the cluster's superuser URL in TEST_DATABASE_URL_POSTGRES (the
// integration suite then runs against PostgreSQL, a fresh database per server it starts) and in
// MIGRATE_POSTGRES_URL (scripts/db.ts create/check diff on shadow databases there).
//
//   node scripts/with-postgres.mjs npx vitest run --project integration
import { spawn } from "node:child_process";

import { ensurePostgresInstalled, startPostgresCluster } from "./postgres-cluster.mjs";

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error("usage: node scripts/with-postgres.mjs <command> [args…]");
  process.exit(2);
}
if (!ensurePostgresInstalled()) {
  console.error("PostgreSQL is not installed (Debian: apt-get install postgresql)");
  process.exit(1);
}
const cluster = await startPostgresCluster();
const stopAndExit = (code) => {
  cluster.stop();
  process.exit(code);
};
const child = spawn(command, args, {
  stdio: "inherit",
  env: { ...process.env, TEST_DATABASE_URL_POSTGRES: cluster.url, MIGRATE_POSTGRES_URL: cluster.url },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("error", (error) => {
  console.error(error.message);
  stopAndExit(1);
});
child.on("exit", (code, signal) => stopAndExit(code ?? (signal ? 1 : 0)));

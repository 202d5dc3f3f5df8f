// A throwaway PostgreSQL cluster on a loopback port, from the distribution's binaries (Debian:
// /usr/lib/postgresql/<version>/bin): initdb into a temp directory, pg_ctl start, pg_ctl stop and
// delete. Used by `npm test` (scripts/test-all.mjs), `npm run test:integration:postgres`
// (scripts/with-postgres.mjs) and `npm run db:migration:create` (a shadow database for
// PostgreSQL migrations). As root, the server runs as the `postgres` user (it refuses root).
// Tuned for tests, never for data: fsync off, trust authentication on 127.0.0.1 only.
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const PG_ROOT = "/usr/lib/postgresql";
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

/** The newest installed server's bin directory, or null. */
export function findPostgresBin() {
  if (process.env.POSTGRES_BIN && existsSync(path.join(process.env.POSTGRES_BIN, "initdb"))) return process.env.POSTGRES_BIN;
  if (!existsSync(PG_ROOT)) return null;
  const versions = readdirSync(PG_ROOT)
    .filter((version) => existsSync(path.join(PG_ROOT, version, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(PG_ROOT, versions[0], "bin") : null;
}

/** Installs Debian's `postgresql` package when no server is installed and we may (root with apt-get). */
export function ensurePostgresInstalled(log = console.log) {
  if (findPostgresBin()) return true;
  if (!isRoot || !existsSync("/usr/bin/apt-get")) return false;
  log("PostgreSQL is not installed: apt-get install postgresql");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  const result = spawnSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", "postgresql"], { stdio: "inherit", env });
  return result.status === 0 && findPostgresBin() !== null;
}

function isPortFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

async function pickPort(preferred) {
  for (let port = preferred; port < preferred + 20; port += 1) if (await isPortFree(port)) return port;
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts a fresh cluster; resolves with its superuser URL (database `postgres`) and a synchronous
 * `stop()` that shuts it down and deletes its files (safe to call twice).
 */
export async function startPostgresCluster({ port: preferredPort = 54329, log = console.log } = {}) {
  const bin = findPostgresBin();
  if (!bin) throw new Error("PostgreSQL is not installed (Debian: apt-get install postgresql), or set POSTGRES_BIN");
  const dir = mkdtempSync(path.join(os.tmpdir(), "parley-pg-"));
  const dataDir = path.join(dir, "data");
  const socketDir = path.join(dir, "socket");
  mkdirSync(socketDir);
  const asServerUser = (command, args) => (isRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args]);
  if (isRoot) {
    for (const target of [dir, socketDir]) chownSync(target, ...postgresIds());
  }
  const run = (command, args) => {
    const [file, argv] = asServerUser(path.join(bin, command), args);
    const result = spawnSync(file, argv, { encoding: "utf8" });
    if (result.status !== 0) throw new Error(`${command} failed (${result.status}): ${result.stderr || result.stdout}`);
    return result.stdout;
  };

  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      if (existsSync(path.join(dataDir, "postmaster.pid"))) run("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
    } catch (error) {
      log(`stopping PostgreSQL: ${error.message}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  try {
    run("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]);
    const port = await pickPort(preferredPort);
    const options = [
      `-p ${port}`,
      "-c listen_addresses=127.0.0.1",
      `-c unix_socket_directories=${socketDir}`,
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=200",
    ].join(" ");
    const start = () => run("pg_ctl", ["-D", dataDir, "-o", options, "-l", path.join(dir, "server.log"), "-w", "-t", "60", "start"]);
    start();
    const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
    log(`PostgreSQL ${path.basename(path.dirname(bin))} started on 127.0.0.1:${port} (${dir})`);
    // An outage in a test: the server stops (its connections are cut) and later starts on the same port with the same data.
    const pause = () => run("pg_ctl", ["-D", dataDir, "-m", "fast", "-w", "stop"]);
    const resume = () => start();
    return { url, port, dir, stop, pause, resume, serverLog: () => readFileSync(path.join(dir, "server.log"), "utf8") };
  } catch (error) {
    stop();
    throw error;
  }
}

function postgresIds() {
  const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
  const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  return [uid, gid];
}

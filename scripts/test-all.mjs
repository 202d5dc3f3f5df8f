// The whole suite, as the README and CI run it: browser check, typecheck and lint, production
// build, unit and integration tests (Vitest), the integration tests again against a real PostgreSQL
// (a throwaway cluster from Debian's package on a loopback port), end-to-end tests (Playwright).
// The last line is the plain totals.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

import { ensurePostgresInstalled, startPostgresCluster } from "./postgres-cluster.mjs";

const root = path.resolve(import.meta.dirname, "..");
const reports = path.join(root, "test-results", "reports");
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

function run(command, args, env = {}) {
  console.log(`\n$ ${[command, ...args].join(" ")}`);
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  return result.status ?? 1;
}

function hasChromium() {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return true;
  if (existsSync("/usr/bin/chromium") || existsSync("/usr/bin/chromium-browser")) return true;
  const cache = path.join(process.env.HOME ?? "", ".cache", "ms-playwright");
  return existsSync(cache) && readdirSync(cache).some((name) => name.startsWith("chromium"));
}

let aptUpdated = false;
/** Debian packages the suite needs (no downloads but the package registries on these machines). */
function aptInstall(pkg) {
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot || !existsSync("/usr/bin/apt-get")) return false;
  if (!aptUpdated) run("apt-get", ["update", "-qq"]);
  aptUpdated = true;
  return run("apt-get", ["install", "-y", "-qq", pkg], { DEBIAN_FRONTEND: "noninteractive" }) === 0;
}

function ensureChromium() {
  if (hasChromium()) return;
  // Debian's Chromium: Playwright cannot download its own browser on machines without internet.
  if (aptInstall("chromium")) return;
  run("npx", ["playwright", "install", "chromium"]);
}

/** Redis and nginx: the scale-out tests (several server processes behind one Redis, a load balancer in front). */
function ensureScaleOutServers() {
  if (!existsSync("/usr/bin/redis-server") && !aptInstall("redis-server")) console.error("redis-server could not be installed: the scale-out tests will fail");
  if (!existsSync("/usr/sbin/nginx") && !aptInstall("nginx-light")) console.error("nginx could not be installed: the load-balancer test will fail");
}

/** coturn: the real TURN server of the relay-only match test (e2e/match-relay.spec.ts). */
function ensureTurnServer() {
  if (existsSync("/usr/bin/turnserver")) return;
  if (!aptInstall("coturn")) console.error("coturn could not be installed: the relay-only match test will fail");
}

const totals = { passed: 0, failed: 0, skipped: 0 };
/** Names of what failed, repeated just above the totals: CI may show only the end of a long log. */
const failures = [];

/** One Vitest run with a JSON report; its counts join the totals. */
function runVitest(reportName, args, env = {}) {
  const report = path.join(reports, reportName);
  run("npx", ["vitest", "run", ...args, "--reporter=default", "--reporter=json", `--outputFile.json=${report}`], env);
  if (!existsSync(report)) {
    totals.failed += 1;
    return;
  }
  const result = JSON.parse(readFileSync(report, "utf8"));
  totals.passed += result.numPassedTests ?? 0;
  totals.failed += result.numFailedTests ?? 0;
  totals.skipped += (result.numPendingTests ?? 0) + (result.numTodoTests ?? 0);
  for (const file of result.testResults ?? []) {
    const where = path.relative(root, file.name ?? "");
    // A file that fails to load has no tests to count: count it as a failure.
    if (file.status === "failed" && (file.assertionResults ?? []).length === 0) {
      totals.failed += 1;
      failures.push(`${reportName}: ${where}: ${firstLine(file.message)}`);
    }
    for (const test of file.assertionResults ?? []) {
      if (test.status === "failed") failures.push(`${reportName}: ${where} > ${test.fullName}: ${firstLine(test.failureMessages?.[0])}`);
    }
  }
}

function firstLine(text) {
  return String(text ?? "").split("\n")[0].slice(0, 300);
}

/** Failed Playwright tests from its JSON report (suites nest; each spec has tests with results). */
function playwrightFailures(suites, file = "") {
  for (const suite of suites ?? []) {
    const where = suite.file ?? file;
    for (const spec of suite.specs ?? []) {
      for (const test of spec.tests ?? []) {
        if (test.status === "unexpected") failures.push(`playwright: ${where} > ${spec.title}: ${firstLine(test.results?.at(-1)?.error?.message)}`);
      }
    }
    playwrightFailures(suite.suites, where);
  }
}
let broken = false;

ensureChromium();
ensureTurnServer();
ensureScaleOutServers();

// Static checks count as one test each: the type checker and the linter (boundaries, security rules).
for (const [name, args] of [["typecheck", ["run", "typecheck"]], ["lint", ["run", "lint"]]]) {
  if (run("npm", args) === 0) totals.passed += 1;
  else {
    console.error(`${name} failed`);
    totals.failed += 1;
  }
}

if (run("npm", ["run", "build"]) !== 0) {
  console.error("build failed");
  broken = true;
}

if (!broken) {
  // Unit tests and the integration suite on SQLite (the default), whatever the shell says.
  // The integration tests boot the bundle just built (test/support/server.ts) rather than server.ts through tsx.
  process.env.PARLEY_TEST_SERVER = "bundle";
  runVitest("vitest.json", ["--project", "unit", "--project", "integration"], { TEST_DATABASE_URL_POSTGRES: "" });

  // The same integration suite on PostgreSQL: every server it starts gets a fresh database there.
  let cluster = null;
  try {
    if (!ensurePostgresInstalled()) throw new Error("PostgreSQL is not installed and apt-get is not available (Debian: apt-get install postgresql)");
    cluster = await startPostgresCluster();
    // An interrupted run must not leave a postmaster behind.
    process.once("exit", () => cluster?.stop());
    for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => process.exit(130));
    runVitest("vitest-postgres.json", ["--project", "integration"], { TEST_DATABASE_URL_POSTGRES: cluster.url });
    // Scale-out: Redis-backed state, and several server processes on this PostgreSQL sharing one Redis.
    runVitest("vitest-redis.json", ["--project", "redis"], { TEST_DATABASE_URL_POSTGRES: cluster.url });
  } catch (error) {
    console.error(`integration tests on PostgreSQL could not run: ${error.message}`);
    totals.failed += 1;
  } finally {
    cluster?.stop();
  }

  const e2eReport = path.join(reports, "playwright.json");
  run("npx", ["playwright", "test"], { E2E_REPORT: e2eReport });
  if (existsSync(e2eReport)) {
    const { stats, errors, suites } = JSON.parse(readFileSync(e2eReport, "utf8"));
    playwrightFailures(suites);
    for (const error of errors ?? []) failures.push(`playwright: ${firstLine(error.message)}`);
    totals.passed += (stats?.expected ?? 0) + (stats?.flaky ?? 0);
    // Errors outside tests (a web server that did not start, a broken config) count as one failure.
    totals.failed += (stats?.unexpected ?? 0) + (errors?.length ? 1 : 0);
    totals.skipped += stats?.skipped ?? 0;
  } else {
    totals.failed += 1;
  }
} else {
  totals.failed += 1;
}

if (failures.length > 0) console.log(`\nFailed:\n${failures.map((line) => `  ${line}`).join("\n")}`);
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);

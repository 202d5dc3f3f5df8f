// The whole suite, as the README and CI run it: browser check, typecheck and lint, production
// build, unit and integration tests (Vitest), end-to-end tests (Playwright). The last line is the plain totals.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";

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

/** coturn: the real TURN server of the relay-only match test (e2e/match-relay.spec.ts). */
function ensureTurnServer() {
  if (existsSync("/usr/bin/turnserver")) return;
  if (!aptInstall("coturn")) console.error("coturn could not be installed: the relay-only match test will fail");
}

const totals = { passed: 0, failed: 0, skipped: 0 };
let broken = false;

ensureChromium();
ensureTurnServer();

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
  const vitestReport = path.join(reports, "vitest.json");
  run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestReport}`]);
  if (existsSync(vitestReport)) {
    const report = JSON.parse(readFileSync(vitestReport, "utf8"));
    totals.passed += report.numPassedTests ?? 0;
    totals.failed += report.numFailedTests ?? 0;
    totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    // A file that fails to load has no tests to count: count it as a failure.
    for (const file of report.testResults ?? []) if (file.status === "failed" && (file.assertionResults ?? []).length === 0) totals.failed += 1;
  } else {
    totals.failed += 1;
  }

  const e2eReport = path.join(reports, "playwright.json");
  run("npx", ["playwright", "test"], { E2E_REPORT: e2eReport });
  if (existsSync(e2eReport)) {
    const { stats, errors } = JSON.parse(readFileSync(e2eReport, "utf8"));
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

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 ? 1 : 0);

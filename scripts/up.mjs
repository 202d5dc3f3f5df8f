// `npm run up`: the newcomer's one command after `npm install`. Builds the production app, keeps
// a locally generated secret in the data directory (a file the operator can see and replace),
// and serves on :3000; server.ts applies the migrations.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SERVER_NODE_FLAGS } from "./server-node-flags.mjs";

const root = path.resolve(import.meta.dirname, "..");
const dataDir = path.resolve(root, process.env.DATA_DIR || "data");
const secretFile = path.join(dataDir, "auth-secret");

if (!process.env.AUTH_SECRET && !process.env.NEXTAUTH_SECRET && !process.env.AUTH_SECRET_FILE && !existsSync(secretFile)) {
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(secretFile, `${randomBytes(32).toString("base64url")}\n`, { mode: 0o600 });
  console.log(`Generated a signing secret in ${path.relative(root, secretFile)} (set AUTH_SECRET to use your own).`);
}

// Always rebuild (a stale build after `git pull` is a worse surprise than 40 s); `--no-build` skips it.
if (!process.argv.includes("--no-build")) {
  const build = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const env = { ...process.env, NODE_ENV: "production", DATA_DIR: dataDir };
if (!env.AUTH_SECRET && !env.NEXTAUTH_SECRET && !env.AUTH_SECRET_FILE) env.AUTH_SECRET_FILE = secretFile;
const server = spawn("node", [...SERVER_NODE_FLAGS, "dist/server.js"], { cwd: root, stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));

/**
 * Debian's nginx in front of test servers, running the shipped config (deploy/nginx/parley.conf)
 * with only the upstream addresses and the listen port replaced. Foreground master in a temp
 * prefix; stopped when the test worker exits. Test-only.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";

import { freePort } from "@/test/support/redis";
import { createTempDir, REPO_ROOT } from "@/test/support/server";

const NGINX_BIN = process.env.NGINX_BIN ?? "/usr/sbin/nginx";
export const SHIPPED_CONFIG = path.join(REPO_ROOT, "deploy", "nginx", "parley.conf");

export type TestNginx = { url: string; stop(): Promise<void> };

export async function startNginx(backendPorts: readonly [number, number]): Promise<TestNginx> {
  if (!existsSync(NGINX_BIN)) throw new Error(`${NGINX_BIN} is missing (Debian: apt-get install nginx-light)`);
  const dir = createTempDir("parley-nginx-");
  // Workers run as an unprivileged user when the master is root: they need the temp paths.
  chmodSync(dir, 0o777);
  for (const sub of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) {
    mkdirSync(path.join(dir, sub));
    chmodSync(path.join(dir, sub), 0o777);
  }
  const port = await freePort();
  const site = readFileSync(SHIPPED_CONFIG, "utf8")
    .replace("server 127.0.0.1:3001", `server 127.0.0.1:${backendPorts[0]}`)
    .replace("server 127.0.0.1:3002", `server 127.0.0.1:${backendPorts[1]}`)
    .replace("listen 8080;", `listen 127.0.0.1:${port};`);
  writeFileSync(path.join(dir, "parley.conf"), site);
  const temp = (name: string) => `${name}_temp_path ${path.join(dir, name === "client_body" ? "body" : name)};`;
  writeFileSync(
    path.join(dir, "nginx.conf"),
    [
      "worker_processes 1;",
      "daemon off;",
      `pid ${path.join(dir, "nginx.pid")};`,
      `error_log ${path.join(dir, "error.log")} warn;`,
      "events { worker_connections 1024; }",
      "http {",
      "  access_log off;",
      ...["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((name) => `  ${temp(name)}`),
      `  include ${path.join(dir, "parley.conf")};`,
      "}",
    ].join("\n"),
  );
  const child: ChildProcess = spawn(NGINX_BIN, ["-p", dir, "-c", path.join(dir, "nginx.conf")], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const killNow = () => child.kill("SIGKILL");
  process.once("exit", killNow);
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}): ${output}${readLog(dir)}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) break;
    if (Date.now() > deadline) {
      killNow();
      throw new Error(`nginx did not listen on ${port}: ${output}${readLog(dir)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      process.off("exit", killNow);
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGQUIT");
        setTimeout(killNow, 5_000).unref();
      });
    },
  };
}

function readLog(dir: string): string {
  const log = path.join(dir, "error.log");
  return existsSync(log) ? `\n${readFileSync(log, "utf8")}` : "";
}

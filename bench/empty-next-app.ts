/**
 * The baseline of `npm run bench:pages`: an empty App Router page (a root layout and a page that
 * renders nothing) built by the project's own `next` (same version, same react, same
 * next.config.js) and served by `next start`. It is generated under test-results/ rather than in
 * a temp directory because Turbopack resolves `next` only inside its workspace root (the
 * directory of the project's lockfile): a symlinked node_modules from /tmp is refused.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

export type EmptyApp = { url: string; stop: () => Promise<void> };

const LAYOUT = `export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
`;
const PAGE = "export default function Page() {\n  return null;\n}\n";

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Writes and builds the app (about 10 s); throws with Next's output when the build fails. */
export function buildEmptyApp(root: string): string {
  const dir = path.join(root, "test-results", "bench-empty-app");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(path.join(dir, "app"), { recursive: true });
  // Plain JSX: with .tsx Next would write a tsconfig and type-check; the client bundle is the same.
  writeFileSync(path.join(dir, "app", "layout.jsx"), LAYOUT);
  writeFileSync(path.join(dir, "app", "page.jsx"), PAGE);
  copyFileSync(path.join(root, "next.config.js"), path.join(dir, "next.config.js"));
  const result = spawnSync(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"], {
    cwd: dir,
    env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`building the empty App Router page failed:\n${result.stdout}\n${result.stderr}`);
  return dir;
}

/** `next start` on a free loopback port; resolves once it answers. */
export async function startEmptyApp(root: string, dir: string): Promise<EmptyApp> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(root, "node_modules", "next", "dist", "bin", "next"), "start", "-H", "127.0.0.1", "-p", String(port)],
    { cwd: dir, env: { ...process.env, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" }, stdio: "ignore" },
  );
  process.once("exit", () => child.kill("SIGKILL"));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error("the empty App Router page did not answer within 30 s");
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/**
 * `npm run bench:storm`: the reconnect storm. N clients (users × tabs, each tab its own socket)
 * are connected and resynced; the server process is stopped (`--restart kill`: SIGKILL, a crash;
 * `term`: SIGTERM, a deploy's graceful restart with its `system:restarting` notice) and started
 * again on the same port and database; every client reconnects on the browser client's own
 * schedule and resyncs as the browser does. Per client: the time from the new process being ready
 * (and from the stop) until it is resynced; p50/p95/p99/max; clients left behind after the deadline.
 * The same against the bare Socket.IO server (bench/bare-server.ts) stopped and restarted the same
 * way, alternating rounds (bare, Parley, bare, Parley, …), printed as bare | Parley | ratio.
 *
 *   npm run build
 *   npm run bench:storm -- [--users 1000] [--tabs 5] [--room 10] [--rounds 2] [--restart kill|term]
 *                          [--deadline 60] [--cpu-prof DIR] [--server dist/server.js]
 *
 * The client, as lib/realtime/client does it (raw Engine.IO/Socket.IO frames over `ws`, like the
 * rest of the bench):
 * - reconnects: after a dropped connection or a failed attempt, the next try follows
 *   RECONNECT_BACKOFF (1 s doubling to 15 s, ±50 % jitter; reconnect.ts, retry.ts), reset on
 *   connect; after `system:restarting` the next try comes at the server-given random moment
 *   (restartDelayMs); TOO_MANY_CONNECTIONS waits CROWDED_BACKOFF;
 * - authenticates: once the transport is open, fetches a fresh token from `GET /api/socket-token`
 *   with its session cookie (the `auth` function of socket-manager.ts), then sends CONNECT;
 * - reports its activity (a background tab: hidden) in the CONNECT's auth, as socket-manager.ts does;
 * - resyncs: on connect `notifications:viewing` (volatile; `presence:activity` follows only a change since the handshake); on
 *   `session:ready`: `conversation:list` and `contacts:list`, then `chat:sync` from its cursor, and
 *   `notifications:list` alongside (bridge.ts, chat-sync.ts, notification-sync.ts), each with the
 *   client's 8 s request timeout. Resynced = every one of those answered ok.
 * Against the bare server: the same reconnect schedule, CONNECT naming its room, `session:ready`
 * (sent once the room is joined) and one `join` request with an ack: the transport's share.
 *
 * Parley runs with the default limits (MAX_SOCKETS_PER_USER, RATE_LIMIT_PER_SECOND): a real storm
 * must not need raised ones. Only the setup server (registrations from one address) raises
 * AUTH_ATTEMPTS_PER_MINUTE.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { build } from "esbuild";
import WebSocket from "ws";

// The browser client's own constants (these modules load under Node: `client-only` is empty there).
import { CROWDED_BACKOFF, RECONNECT_BACKOFF, RESTART_MIN_DELAY_MS } from "@/lib/realtime/client/reconnect";
import { SERVER_NODE_FLAGS } from "@/scripts/server-node-flags.mjs";
import { REQUEST_TIMEOUT_MS } from "@/lib/realtime/client/request";
import { settleAck } from "./generator";
import { type BenchGroup, type BenchUser, setUpParley } from "./parley-setup";
import { cpuMs, mean, percentile, sleep } from "./stats";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const QUIET_FILE = "/tmp/parley-quiet";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "1000" },
    tabs: { type: "string", default: "5" },
    room: { type: "string", default: "10" },
    rounds: { type: "string", default: "2" },
    restart: { type: "string", default: "kill" },
    deadline: { type: "string", default: "60" },
    concurrency: { type: "string", default: "64" },
    // Another build of the server to measure (e.g. one bundled from an older commit); default dist/server.js.
    server: { type: "string", default: "dist/server.js" },
    "cpu-prof": { type: "string" },
  },
});
const USERS = Number(values.users);
const TABS = Number(values.tabs);
const ROOM = Number(values.room);
const ROUNDS = Number(values.rounds);
const RESTART = values.restart === "term" ? "term" : "kill";
const DEADLINE_MS = Number(values.deadline) * 1000;
const CONCURRENCY = Number(values.concurrency);
const CLIENTS = USERS * TABS;

const log = (line: string) => console.log(line);
/** The first tab of each room's first member (set once the groups exist). */
let CREATORS: number[] = [];

// ── The browser client's reconnect schedule (reconnect.ts, retry.ts) ─────────
function backoffMs(attempt: number, schedule: { baseMs: number; maxMs: number; jitter: number }): number {
  const exponential = Math.min(schedule.maxMs, schedule.baseMs * 2 ** Math.min(attempt, 20));
  return Math.min(schedule.maxMs, Math.round(exponential * (1 - schedule.jitter + 2 * schedule.jitter * Math.random())));
}

type Kind = "bare" | "parley";
type ClientSpec = { kind: Kind; url: string; auth: () => Promise<Record<string, unknown> | null>; conversationId: string };

/** Why attempts failed, over all clients of the current storm (printed per round). */
const failedAttempts = new Map<string, number>();

/** One browser tab's socket with the client's reconnect and resync behaviour. */
class StormClient {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private crowded = 0;
  private restartDelay: number | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private nextAck = 0;
  private readonly acks = new Map<number, (payload: string) => void>();
  private cursor = 0;
  private stopped = false;
  /** performance.now() of the last completed resync. */
  resyncedAt = 0;
  resyncs = 0;
  /** Where the client is now (for the clients left behind at the deadline). */
  phase: "backoff" | "transport" | "token" | "handshake" | "resync" | "resync failed" | "resynced" = "transport";
  failures = 0;
  lastError = "";
  /** Failed attempts and dropped connections since `retries` was last reset (the stop), and their count at the last resync. */
  retries = 0;
  retriesAtResync = 0;

  constructor(private readonly spec: ClientSpec) {}

  start(): void {
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.drop();
  }

  private drop(): void {
    const ws = this.ws;
    this.ws = null;
    if (!ws) return;
    ws.removeAllListeners();
    ws.on("error", () => undefined);
    ws.terminate();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.phase = "backoff";
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delayMs);
  }

  /** A failed attempt or a dropped connection: the next try on the client's schedule. */
  private retry(reason: string): void {
    this.lastError = reason;
    this.retries += 1;
    failedAttempts.set(reason, (failedAttempts.get(reason) ?? 0) + 1);
    this.drop();
    this.rejectAcks();
    if (this.restartDelay !== null) {
      const delay = this.restartDelay;
      this.restartDelay = null;
      return this.schedule(delay);
    }
    this.schedule(backoffMs(this.attempt++, RECONNECT_BACKOFF));
  }

  private rejectAcks(): void {
    for (const callback of this.acks.values()) callback("[]");
    this.acks.clear();
  }

  private connect(): void {
    if (this.stopped) return;
    this.phase = "transport";
    const ws = new WebSocket(`${this.spec.url.replace(/^http/, "ws")}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false });
    this.ws = ws;
    let connected = false;
    let error = "";
    ws.on("error", (cause: Error) => (error = (cause as NodeJS.ErrnoException).code ?? cause.message));
    ws.on("close", (code: number) => {
      if (this.ws === ws) this.retry(connected ? "transport close" : `connect failed (${error || `close ${code}`})`);
    });
    ws.on("message", (data: WebSocket.RawData, isBinary: boolean) => {
      if (isBinary || this.ws !== ws) return;
      const text = data.toString();
      const type = text.charCodeAt(0);
      if (type === 50 /* ping */) ws.send("3");
      else if (type === 48 /* open */) {
        this.phase = "token";
        void this.spec.auth().then((auth) => {
          if (this.ws !== ws) return;
          if (!auth) return this.retry("token route unreachable");
          this.phase = "handshake";
          ws.send(`40${JSON.stringify(auth)}`);
        });
      } else if (type === 52 /* message */) {
        const packet = text.charCodeAt(1);
        if (packet === 48 /* connect */) {
          connected = true;
          this.attempt = 0;
          this.crowded = 0;
          if (this.spec.kind === "parley") {
            ws.send(`42${JSON.stringify(["notifications:viewing", { conversationId: null }])}`);
          }
        } else if (packet === 49 /* disconnect by the server */) {
          // "io server disconnect": at once, or at the moment a restart notice chose (reconnect.ts).
          if (this.restartDelay === null) this.restartDelay = 0;
          this.retry("server disconnect");
        } else if (packet === 52 /* connect error */) {
          if (text.includes("TOO_MANY_CONNECTIONS")) {
            this.restartDelay = backoffMs(this.crowded++, CROWDED_BACKOFF);
          }
          this.retry(`refused: ${text.slice(2, 80)}`);
        } else if (packet === 50 /* event */) {
          if (text.startsWith('42["session:ready"')) {
            this.phase = "resync";
            void this.resync(ws);
          }
          else if (text.startsWith('42["system:restarting"')) {
            const within = Number(/"reconnectWithinMs":(\d+)/.exec(text)?.[1] ?? 0);
            this.restartDelay = Math.round(RESTART_MIN_DELAY_MS + Math.random() * Math.max(0, Math.min(within, 60_000)));
          }
        } else if (packet === 51 /* ack */) settleAck(this.acks, text);
      }
    });
  }

  private request(ws: WebSocket, event: string, data: unknown): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = this.nextAck++;
      const timer = setTimeout(() => {
        this.acks.delete(id);
        reject(new Error(`${event}: timeout`));
      }, REQUEST_TIMEOUT_MS);
      this.acks.set(id, (payload) => {
        clearTimeout(timer);
        const [result] = JSON.parse(payload) as [{ ok: boolean; data?: unknown; error?: { code?: string } } | undefined];
        if (result?.ok) resolve(result.data);
        else reject(new Error(`${event}: ${result?.error?.code ?? "disconnected"}`));
      });
      ws.send(`42${id}${JSON.stringify([event, data])}`);
    });
  }

  private async resync(ws: WebSocket): Promise<void> {
    try {
      if (this.spec.kind === "bare") {
        await this.request(ws, "join", [this.spec.conversationId]);
      } else {
        const chat = (async () => {
          await Promise.all([this.request(ws, "conversation:list", {}), this.request(ws, "contacts:list", {})]);
          const sync = (await this.request(ws, "chat:sync", { conversations: [{ conversationId: this.spec.conversationId, afterVersion: this.cursor }] })) as {
            updates: { lastVersion: number }[];
          };
          this.cursor = Math.max(this.cursor, ...sync.updates.map((update) => update.lastVersion));
        })();
        await Promise.all([chat, this.request(ws, "notifications:list", {})]);
      }
      if (this.ws !== ws) return;
      this.resyncs += 1;
      this.resyncedAt = performance.now();
      this.retriesAtResync = this.retries;
      this.phase = "resynced";
    } catch (error) {
      // The browser shows "resync failed" and stays connected; the next reconnect tries again.
      this.failures += 1;
      this.phase = "resync failed";
      this.lastError = `resync failed: ${(error as Error).message}`;
      failedAttempts.set(this.lastError, (failedAttempts.get(this.lastError) ?? 0) + 1);
    }
  }

  /** Sends one message (before a restart, so the resync has something to fetch). */
  send(body: string): void {
    this.ws?.send(`42${JSON.stringify(["chat:send", { conversationId: this.spec.conversationId, clientMessageId: crypto.randomUUID(), body }])}`);
  }
}

// ── Servers on a fixed port, restartable ─────────────────────────────────────
type Proc = { child: ChildProcess; url: string; readyAt: number };

async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

const BARE_BUNDLE = path.join(ROOT, "dist", "bench", "bare-server.js");

function spawnUntil(args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Proc> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  process.once("exit", () => child.kill("SIGKILL"));
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: string) => {
      output += chunk;
      const match = ready.exec(output);
      if (match?.[1]) {
        child.stdout?.off("data", onData);
        child.stdout?.resume();
        resolve({ child, url: match[1], readyAt: performance.now() });
      }
    };
    child.stdout?.setEncoding("utf8").on("data", onData);
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${output.slice(-2000)}`)));
  });
}

function stopProcess(proc: Proc, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) return resolve();
    proc.child.removeAllListeners("exit");
    proc.child.once("exit", () => resolve());
    proc.child.kill(signal);
  });
}

type Target = {
  kind: Kind;
  start: () => Promise<Proc>;
  spec: (client: number, url: string) => ClientSpec;
};

type StormFigures = {
  clients: number;
  restartMs: number;
  fromReady: number[];
  fromStop: number[];
  leftBehind: number;
  cpuMs: number;
  lastError: string;
};

async function storm(target: Target): Promise<StormFigures> {
  let proc = await target.start();
  const clients = Array.from({ length: CLIENTS }, (_, index) => new StormClient(target.spec(index, proc.url)));
  // 1. Everyone connected and resynced once (CONCURRENCY in flight, like the rest of the bench).
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < clients.length) {
        const client = clients[next++]!;
        client.start();
        const until = performance.now() + 60_000;
        while (client.resyncs === 0 && performance.now() < until) await sleep(5);
      }
    }),
  );
  const initial = clients.filter((client) => client.resyncs > 0).length;
  if (initial < CLIENTS) throw new Error(`${target.kind}: only ${initial} of ${CLIENTS} clients connected before the restart (${clients.find((client) => client.resyncs === 0)?.lastError})`);
  await sleep(2_000);
  // Something to resync: one message per room, just before the stop.
  if (target.kind === "parley") for (const creator of CREATORS) clients[creator]!.send("before the restart");
  await sleep(500);
  const resyncsBefore = clients.map((client) => client.resyncs);
  failedAttempts.clear();
  for (const client of clients) client.retries = 0;

  // 2. Stop, start again on the same port (and database).
  const stoppedAt = performance.now();
  await stopProcess(proc, RESTART === "kill" ? "SIGKILL" : "SIGTERM");
  proc = await target.start();
  const cpuBefore = cpuMs(proc.child.pid!);
  const restartMs = proc.readyAt - stoppedAt;

  // 3. Until everyone is back and resynced, or the deadline.
  const deadline = proc.readyAt + DEADLINE_MS;
  const back = () => clients.every((client, index) => client.resyncs > resyncsBefore[index]!);
  while (!back() && performance.now() < deadline) await sleep(50);
  const cpuUsed = cpuMs(proc.child.pid!) - cpuBefore;
  // A client left behind counts as never (Infinity): percentiles cover every client, not the survivors.
  const at = (client: StormClient, index: number) => (client.resyncs > resyncsBefore[index]! ? client.resyncedAt : Number.POSITIVE_INFINITY);
  const fromReady = clients.map((client, index) => at(client, index) - proc.readyAt).sort((a, b) => a - b);
  const fromStop = clients.map((client, index) => at(client, index) - stoppedAt).sort((a, b) => a - b);
  const behind = clients.filter((client, index) => client.resyncs === resyncsBefore[index]!);
  const phases = new Map<string, number>();
  for (const client of behind) phases.set(client.phase, (phases.get(client.phase) ?? 0) + 1);
  if (behind.length > 0) log(`  ${target.kind}: left behind, by where they were at the deadline: ${[...phases].map(([phase, count]) => `${count} ${phase}`).join(", ")}`);
  for (const client of clients) client.stop();
  await stopProcess(proc, "SIGTERM");
  // Whether the slowest clients waited on their backoff (several failed tries) or on the server.
  const slowest = clients.map((client, index) => ({ at: at(client, index), retries: client.retriesAtResync })).sort((a, b) => a.at - b.at).slice(Math.floor(CLIENTS * 0.95));
  const byRetries = new Map<number, number>();
  for (const client of slowest) byRetries.set(client.retries, (byRetries.get(client.retries) ?? 0) + 1);
  log(`  ${target.kind}: the slowest 5 % by failed tries before they were back: ${[...byRetries].sort((a, b) => a[0] - b[0]).map(([retries, count]) => `${count} × ${retries}`).join(", ")}`);
  const reasons = [...failedAttempts].sort((a, b) => b[1] - a[1]).map(([reason, count]) => `${count} × ${reason}`);
  log(`  ${target.kind}: failed attempts after the stop: ${reasons.join(", ") || "none"}`);
  return { clients: CLIENTS, restartMs, fromReady, fromStop, leftBehind: behind.length, cpuMs: cpuUsed, lastError: behind[0]?.lastError ?? "" };
}

/** Seconds, or "never" for a client left behind. */
const secondsText = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : "never");

const summary = (figures: StormFigures) =>
  `restart ${(figures.restartMs / 1000).toFixed(1)} s; from ready p50/p95/p99/max ${[50, 95, 99, 100].map((p) => secondsText(percentile(figures.fromReady, p))).join("/")} s; ` +
  `from stop p95 ${secondsText(percentile(figures.fromStop, 95))} s; left behind ${figures.leftBehind}${figures.leftBehind ? ` (${figures.lastError})` : ""}; server CPU ${(figures.cpuMs / 1000).toFixed(1)} s`;

// ── Main ─────────────────────────────────────────────────────────────────────
async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, "dist", "server.js")) || !existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    throw new Error("Parley is measured as built: run `npm run build` first (dist/server.js and .next)");
  }
  const cpus = os.cpus();
  log(`reconnect storm: ${USERS} users × ${TABS} tabs = ${CLIENTS} clients, rooms of ${ROOM}, restart by ${RESTART === "kill" ? "SIGKILL (crash)" : "SIGTERM (graceful)"}, deadline ${DEADLINE_MS / 1000} s, ${ROUNDS} rounds`);
  log(`machine: ${cpus.length} × ${cpus[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);
  await build({ entryPoints: [path.join(ROOT, "bench", "bare-server.ts")], bundle: true, platform: "node", target: "node20", format: "esm", packages: "external", outfile: BARE_BUNDLE, logLevel: "warning" });

  process.env.PARLEY_TEST_SERVER = "bundle";
  const { startServer, createTempDir, randomSecret, removeTempDir } = await import("@/test/support/server");
  const dataDir = createTempDir("parley-storm-");
  const secret = randomSecret();
  const base = { DATA_DIR: dataDir, AUTH_SECRET: secret, LOG_LEVEL: "warn" };
  try {
    log("setup (not measured):");
    const setupServer = await startServer({ env: { ...base, AUTH_ATTEMPTS_PER_MINUTE: "1000000" } });
    const { users, groups } = await setUpParley(setupServer.url, USERS, ROOM, log);
    await setupServer.stop();
    CREATORS = groups.map((group) => group.members[0]!);
    const groupOf = new Array<BenchGroup | undefined>(USERS);
    for (const group of groups) for (const member of group.members) groupOf[member] = group;

    const port = await freePort();
    const parleyEnv = { ...process.env, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", ...base } as NodeJS.ProcessEnv;
    // test/support/server.ts strips Parley's variables from the runner's env; here only ours are set.
    for (const key of ["DATABASE_URL", "REDIS_URL", "RATE_LIMIT_PER_SECOND", "MAX_SOCKETS_PER_USER", "AUTH_ATTEMPTS_PER_MINUTE", "SOCKET_TOKEN_TTL_SECONDS"]) delete parleyEnv[key];
    const profile = values["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${values["cpu-prof"]}`] : [];
    const parley: Target = {
      kind: "parley",
      // With the flags `npm start` and the tests use (the young generation's size).
      start: () => spawnUntil([...SERVER_NODE_FLAGS, ...profile, values.server], parleyEnv, /> Parley ready on (http:\/\/\S+) /),
      spec: (client, url) => {
        const user = users[client % USERS] as BenchUser;
        return {
          kind: "parley",
          url,
          conversationId: groupOf[client % USERS]?.conversationId ?? "",
          auth: () => fetchToken(url, user.cookie),
        };
      },
    };
    const bareEnv = { ...process.env, NODE_ENV: "production", PORT: String(port) } as NodeJS.ProcessEnv;
    const bare: Target = {
      kind: "bare",
      start: () => spawnUntil([BARE_BUNDLE], bareEnv, /> bare ready on (http:\/\/\S+)/),
      spec: (client, url) => {
        const room = `room-${groups.indexOf(groupOf[client % USERS]!)}`;
        return { kind: "bare", url, conversationId: room, auth: () => Promise.resolve({ userId: `u${client % USERS}`, rooms: [room] }) };
      },
    };

    const results: Record<Kind, StormFigures[]> = { bare: [], parley: [] };
    for (let round = 1; round <= ROUNDS; round += 1) {
      for (const target of [bare, parley]) {
        while (existsSync(QUIET_FILE)) await sleep(30_000);
        const figures = await storm(target);
        results[target.kind].push(figures);
        log(`round ${round} ${target.kind.padEnd(6)} ${summary(figures)}`);
      }
    }

    const row = (label: string, pick: (figures: StormFigures) => number, digits: number, sum = false) => {
      // A round where some client never came back makes that percentile "never", not an average of the others.
      const value = (kind: Kind) => {
        const figures = results[kind].map(pick);
        if (sum) return figures.reduce((a, b) => a + b, 0);
        return figures.some((figure) => figure === Number.POSITIVE_INFINITY) ? Number.POSITIVE_INFINITY : mean(figures);
      };
      const [b, p] = [value("bare"), value("parley")];
      const ratio = sum || !Number.isFinite(p / b) ? "–" : (p / b).toFixed(2);
      const text = (figure: number) => (Number.isFinite(figure) ? figure.toFixed(digits) : "never");
      return `| ${label} | ${text(b)} | ${text(p)} | ${ratio} |`;
    };
    const seconds = (values: number[], p: number) => percentile(values, p) / 1000;
    log(`\nnpm run bench:storm -- ${process.argv.slice(2).join(" ")}\naverages over ${ROUNDS} rounds (left behind: total):\n`);
    log("| figure | bare | parley | parley ÷ bare |\n| --- | --- | --- | --- |");
    log(row("clients", (figures) => figures.clients, 0));
    log(row("stop → new process ready (s)", (figures) => figures.restartMs / 1000, 1));
    for (const p of [50, 95, 99, 100]) log(row(`ready → resynced ${p === 100 ? "max" : `p${p}`} (s)`, (figures) => seconds(figures.fromReady, p), 2));
    log(row("stop → resynced p95 (s)", (figures) => seconds(figures.fromStop, 95), 2));
    log(row(`left behind after ${DEADLINE_MS / 1000} s`, (figures) => figures.leftBehind, 0, true));
    log(row("server CPU until all back (s)", (figures) => figures.cpuMs / 1000, 1));
  } finally {
    removeTempDir(dataDir);
  }
}

/** Every storm tab is in the background (the usual state of a tab when its server restarts). */
const BACKGROUND_TAB = { isIdle: false, isHidden: true };

/** The socket-token route and the tab's activity, as the browser's `auth` function sends them (null: unreachable or refused). */
async function fetchToken(url: string, cookie: string): Promise<Record<string, unknown> | null> {
  try {
    const response = await fetch(`${url}/api/socket-token`, { headers: { cookie }, signal: AbortSignal.timeout(8_000) });
    if (!response.ok) {
      await response.arrayBuffer();
      return null;
    }
    const { token } = (await response.json()) as { token: string };
    return { token, activity: BACKGROUND_TAB };
  } catch {
    return null;
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

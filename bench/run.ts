/**
 * `npm run bench`: Parley against a bare Socket.IO server (bench/bare-server.ts), same generator,
 * same payloads (100-byte text), same rooms, alternating bare and Parley in every round. Every
 * figure is printed for both and as the ratio Parley ÷ bare (measured in the same run on the same
 * machine; absolute numbers on a shared 2-core machine mean little on their own).
 *
 *   npm run build                    # Parley is measured as built: dist/server.js + .next
 *   npm run bench -- [--users 200] [--room 10] [--rate 500|max] [--seconds 10] [--rounds 3]
 *                    [--idle 1000] [--drain 30] [--warmup 0] [--postgres] [--markdown] [--cpu-prof DIR]
 *                    [--latency-log PREFIX] [--node-args "--max-semi-space-size=64"]
 *
 * `--warmup S` sends at the same rate for S seconds before the `--seconds` that are measured:
 * those messages are checked (lost, duplicated) like every other, but their latencies are left
 * out, so the percentiles are those of a running server rather than of its first second (JIT,
 * first reads of each conversation's members; docs/PERFORMANCE.md shows both).
 * `--latency-log PREFIX` writes every first delivery of every round as a line "sent-at latency" (ms
 * since the first send) to PREFIX.<bare|parley>.<epoch ms of the first send>: where in the run the
 * slow ones sit, and (by the epoch) which of the server's own events they line up with.
 * `--node-args` adds flags for Parley's node process after the usual ones (to compare V8 settings).
 * `--rate N` offers N msgs/s on a fixed schedule (open loop: latency includes queueing when a
 * server cannot keep up). `--rate max` is a closed loop: every user sends its next message when
 * the previous one is acked, so each server runs at its capacity (messages/s delivered is then
 * the capacity figure; latency is that of a full queue of one message per user).
 *
 * Each round starts both servers fresh, side by side (Parley on the same database every round),
 * then for the bare server and then for Parley: connects one socket per user (real socket tokens
 * for Parley), holds `--idle` more sockets of the same users to measure memory per connection
 * (RSS delta ÷ sockets) and handshakes per second, closes them, and sends `--rate` messages/s
 * for `--seconds` (round robin over users, each to its room through `chat:send` with an ack).
 * Every (message, recipient) is counted: lost, duplicated, and the first delivery's latency on
 * the generator's clock. Server CPU is utime + stime of its /proc/<pid>/stat over the window.
 * Registration and group creation happen once before the rounds and are not measured.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

import { build } from "esbuild";

import { type PostgresCluster, startPostgresCluster } from "../scripts/postgres-cluster.mjs";
import { connectMany, RawSocket } from "./generator";
import { type BenchGroup, type BenchUser, setUpParley } from "./parley-setup";
import { cpuMs, percentile, rssBytes, sleep } from "./stats";
import { type RoundFigures, roundsTable, summaryTable } from "./table";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const QUIET_FILE = "/tmp/parley-quiet";

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "200" },
    room: { type: "string", default: "10" },
    rate: { type: "string", default: "500" },
    seconds: { type: "string", default: "10" },
    rounds: { type: "string", default: "3" },
    idle: { type: "string", default: "1000" },
    drain: { type: "string", default: "30" },
    warmup: { type: "string", default: "0" },
    concurrency: { type: "string", default: "64" },
    postgres: { type: "boolean", default: false },
    markdown: { type: "boolean", default: false },
    // A directory: the measured Parley processes write V8 CPU profiles there (open in Chrome DevTools).
    "cpu-prof": { type: "string" },
    "latency-log": { type: "string" },
    "node-args": { type: "string" },
  },
});
const USERS = Number(values.users);
const ROOM = Number(values.room);
/** `--rate max`: closed loop, every user sends its next message when the previous one is acked (capacity). */
const CLOSED_LOOP = values.rate === "max";
const RATE = CLOSED_LOOP ? Number.POSITIVE_INFINITY : Number(values.rate);
const SECONDS = Number(values.seconds);
const WARMUP_SECONDS = Number(values.warmup);
const ROUNDS = Number(values.rounds);
const IDLE = Number(values.idle);
const DRAIN_MS = Number(values.drain) * 1000;
const CONCURRENCY = Number(values.concurrency);
const BODY = "Parley benchmark message: one hundred bytes of plain text, the size the performance issue asks for.".padEnd(100, ".").slice(0, 100);

const log = (line: string) => console.log(line);

/** The servers' rooms and who is in them, and how a user's socket authenticates. */
type Target = { name: "bare" | "parley"; url: string; pid: number; groups: BenchGroup[]; auth: (user: number) => Record<string, unknown> };

async function waitWhileQuiet(): Promise<void> {
  let announced = false;
  while (existsSync(QUIET_FILE)) {
    if (!announced) log(`  ${QUIET_FILE} exists: waiting until it is gone (polling every 30 s)`);
    announced = true;
    await sleep(30_000);
  }
}

// ── The bare server ──────────────────────────────────────────────────────────
const BARE_BUNDLE = path.join(ROOT, "dist", "bench", "bare-server.js");

async function bundleBareServer(): Promise<void> {
  await build({
    entryPoints: [path.join(ROOT, "bench", "bare-server.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "esm",
    packages: "external",
    outfile: BARE_BUNDLE,
    logLevel: "warning",
  });
}

async function startBare(): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, [BARE_BUNDLE], { cwd: ROOT, env: { ...process.env, NODE_ENV: "production", PORT: "0" }, stdio: ["ignore", "pipe", "inherit"] });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      const match = /> bare ready on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve(match[1]);
    });
    child.once("exit", (code) => reject(new Error(`bare server exited with ${code}: ${output}`)));
  });
  process.once("exit", () => child.kill("SIGKILL"));
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

// ── One measurement of one server ────────────────────────────────────────────
type Message = { sentAt: number; sender: number; counts: Uint8Array };

async function measure(target: Target, userCount: number): Promise<RoundFigures> {
  const groupOf = new Int32Array(userCount).fill(-1);
  const positionOf = new Int32Array(userCount);
  target.groups.forEach((group, index) =>
    group.members.forEach((user, position) => {
      groupOf[user] = index;
      positionOf[user] = position;
    }),
  );
  const senders = Array.from({ length: userCount }, (_, user) => user).filter((user) => groupOf[user] !== -1);

  // 1. One socket per user (also warms the server up before its memory baseline).
  const chat = await connectMany(userCount, CONCURRENCY, (user) => new RawSocket(target.url, target.auth(user)));
  if (chat.failed > 0) throw new Error(`${target.name}: ${chat.failed} of ${userCount} user sockets failed: ${chat.firstError}`);
  const byUser = chat.byIndex as RawSocket[];

  // 2. Idle sockets of the same users: memory per connection and handshake rate.
  await sleep(1_500);
  const rssBefore = rssBytes(target.pid);
  const idle = await connectMany(IDLE, CONCURRENCY, (index) => new RawSocket(target.url, target.auth(index % userCount)));
  await sleep(1_500);
  const rssAfter = rssBytes(target.pid);
  const held = userCount + idle.sockets.length;
  for (const socket of idle.sockets) socket.close();
  await sleep(1_000);

  // 3. Messages at a fixed offered rate.
  const messages = new Map<string, Message>();
  const latencyLog: string[] = [];
  const latencies: number[] = [];
  let unique = 0;
  let duplicated = 0;
  let lastDelivery = 0;
  let acked = 0;
  let refused = 0;
  for (const user of senders) {
    const position = positionOf[user]!;
    byUser[user]!.onDelivery = (clientMessageId) => {
      const message = messages.get(clientMessageId);
      if (!message || message.sender === user) return;
      const now = performance.now();
      const seen = message.counts[position] ?? 0;
      message.counts[position] = seen + 1;
      if (seen === 0) {
        unique += 1;
        if (message.sentAt >= measuredFrom) latencies.push(now - message.sentAt);
        if (values["latency-log"]) latencyLog.push(`${(message.sentAt - started).toFixed(1)} ${(now - message.sentAt).toFixed(1)}`);
        lastDelivery = now;
      } else duplicated += 1;
    };
  }
  const onAck = (payload: string) => (payload.startsWith('[{"ok":true') ? (acked += 1) : (refused += 1));

  let sent = 0;
  let expected = 0;
  const send = (sender: number, ack: (payload: string) => void) => {
    const group = target.groups[groupOf[sender]!]!;
    const clientMessageId = randomUUID();
    messages.set(clientMessageId, { sentAt: performance.now(), sender, counts: new Uint8Array(group.members.length) });
    expected += group.members.length - 1;
    sent += 1;
    byUser[sender]!.emitWithAck("chat:send", { conversationId: group.conversationId, clientMessageId, body: BODY }, ack);
  };
  const cpuBefore = cpuMs(target.pid);
  const generatorBefore = process.cpuUsage();
  const started = performance.now();
  const measuredFrom = started + WARMUP_SECONDS * 1000;
  const totalSeconds = WARMUP_SECONDS + SECONDS;
  if (CLOSED_LOOP) {
    const sendUntil = started + totalSeconds * 1000;
    const loop = (sender: number) => {
      const next = (payload: string) => {
        onAck(payload);
        if (performance.now() < sendUntil) send(sender, next);
      };
      send(sender, next);
    };
    for (const sender of senders) loop(sender);
    await sleep(totalSeconds * 1000);
  } else {
    const total = Math.round(RATE * totalSeconds);
    let index = 0;
    while (index < total) {
      const due = Math.min(total, Math.floor(((performance.now() - started) * RATE) / 1000) + 1);
      for (; index < due; index += 1) send(senders[index % senders.length]!, onAck);
      await sleep(2);
    }
  }
  const sendSeconds = (performance.now() - started) / 1000;
  // Drain: until everything is delivered and acked, or nothing moved for 5 s, or --drain is over.
  const drainEnd = performance.now() + DRAIN_MS;
  let progress = -1;
  let progressAt = performance.now();
  while (performance.now() < drainEnd) {
    if (unique >= expected && acked + refused >= sent) break;
    if (unique + acked !== progress) {
      progress = unique + acked;
      progressAt = performance.now();
    } else if (performance.now() - progressAt > 5_000) break;
    await sleep(20);
  }
  if (unique < expected || acked + refused < sent) log(`  ${target.name}: drain ended with ${expected - unique} deliveries and ${sent - acked - refused} acks outstanding`);
  const cpuUsed = cpuMs(target.pid) - cpuBefore;
  const generator = process.cpuUsage(generatorBefore);
  const wall = performance.now() - started;
  for (const socket of byUser) socket.close();
  if (values["latency-log"]) writeFileSync(`${values["latency-log"]}.${target.name}.${Math.round(performance.timeOrigin + started)}`, `${latencyLog.join("\n")}\n`);

  const deliverySeconds = Math.max(lastDelivery - started, 1) / 1000;
  const recipients = ROOM - 1;
  latencies.sort((a, b) => a - b);
  return {
    connections: held,
    idleFailed: idle.failed,
    memoryPerConnectionKiB: idle.sockets.length > 0 ? (rssAfter - rssBefore) / idle.sockets.length / 1024 : Number.NaN,
    handshakesPerSecond: idle.sockets.length > 0 ? idle.sockets.length / (idle.ms / 1000) : Number.NaN,
    sentPerSecond: sent / sendSeconds,
    deliveredPerSecond: unique / recipients / deliverySeconds,
    deliveriesPerSecond: unique / deliverySeconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    cpuPerMessageUs: unique > 0 ? (cpuUsed * 1000) / (unique / recipients) : Number.NaN,
    lost: expected - unique,
    duplicated,
    failedSends: sent - acked,
    generatorCpuPercent: ((generator.user + generator.system) / 1000 / wall) * 100,
  };
}

function describe(figures: RoundFigures): string {
  return (
    `${figures.connections} held, ${figures.memoryPerConnectionKiB.toFixed(1)} KiB/conn, ${figures.handshakesPerSecond.toFixed(0)} handshakes/s, ` +
    `${figures.sentPerSecond.toFixed(0)} sent/s, ${figures.deliveredPerSecond.toFixed(0)} delivered msgs/s, p50/p95/p99 ${figures.p50.toFixed(1)}/${figures.p95.toFixed(1)}/${figures.p99.toFixed(1)} ms, ` +
    `${figures.cpuPerMessageUs.toFixed(0)} µs CPU/msg, lost ${figures.lost}, dup ${figures.duplicated}, failed sends ${figures.failedSends}, generator ${figures.generatorCpuPercent.toFixed(0)}% CPU`
  );
}

// ── Main ─────────────────────────────────────────────────────────────────────
async function main(): Promise<void> {
  if (!existsSync(path.join(ROOT, "dist", "server.js")) || !existsSync(path.join(ROOT, ".next", "BUILD_ID"))) {
    throw new Error("Parley is measured as built: run `npm run build` first (dist/server.js and .next)");
  }
  const command = `npm run bench -- ${process.argv.slice(2).join(" ")}`.trim();
  const cpus = os.cpus();
  log(`Parley vs bare Socket.IO: ${USERS} users, rooms of ${ROOM}, ${CLOSED_LOOP ? "closed loop (one message in flight per user)" : `${RATE} msgs/s`} for ${SECONDS} s${WARMUP_SECONDS > 0 ? ` after ${WARMUP_SECONDS} s of warm-up (latencies not counted)` : ""}, ${BODY.length}-byte bodies, ${IDLE} idle sockets, ${ROUNDS} rounds, ${values.postgres ? "PostgreSQL" : "SQLite"}`);
  log(`machine: ${cpus.length} × ${cpus[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; generator in this process (raw Engine.IO frames over ws)`);

  await bundleBareServer();
  let cluster: PostgresCluster | null = null;
  if (values.postgres) {
    cluster = await startPostgresCluster({ log: (line) => log(`  ${line}`) });
    process.env.TEST_DATABASE_URL_POSTGRES = cluster.url;
  }
  // test/support/server.ts picks the bundle and the database at import time.
  process.env.PARLEY_TEST_SERVER = "bundle";
  const { startServer, createTempDir, randomSecret, removeTempDir } = await import("@/test/support/server");
  const dataDir = createTempDir("parley-bench-");
  const env = {
    DATA_DIR: dataDir,
    AUTH_SECRET: randomSecret(),
    LOG_LEVEL: "warn",
    RATE_LIMIT_PER_SECOND: "10000",
    AUTH_ATTEMPTS_PER_MINUTE: "1000000",
    MAX_SOCKETS_PER_USER: "1000",
    SOCKET_TOKEN_TTL_SECONDS: "3600",
  };

  try {
    log("setup (not measured):");
    const setupServer = await startServer({ env });
    const { users, groups } = await setUpParley(setupServer.url, USERS, ROOM, log).catch((error: unknown) => {
      // The server's own account of what went wrong (its log lines at warn and above).
      process.stderr.write(setupServer.output().slice(-4_000));
      throw error;
    });
    await setupServer.stop();
    const bareGroups: BenchGroup[] = groups.map((group, index) => ({ conversationId: `room-${index}`, members: group.members }));
    const bareAuth = (user: number) => ({ userId: `u${user}`, rooms: [bareGroups[groupIndexOf(bareGroups, user)]?.conversationId ?? `lonely-${user}`] });
    const parleyAuth = (user: number) => ({ token: (users[user] as BenchUser).token });

    const bareRounds: RoundFigures[] = [];
    const parleyRounds: RoundFigures[] = [];
    for (let round = 1; round <= ROUNDS; round += 1) {
      await waitWhileQuiet();
      const bare = await startBare();
      const nodeArgs = [...(values["node-args"]?.split(/\s+/).filter(Boolean) ?? []), ...(values["cpu-prof"] ? ["--cpu-prof", `--cpu-prof-dir=${values["cpu-prof"]}`] : [])];
      const parley = await startServer({ env, nodeArgs });
      try {
        const bareFigures = await measure({ name: "bare", url: bare.url, pid: bare.pid, groups: bareGroups, auth: bareAuth }, USERS);
        log(`round ${round} bare:   ${describe(bareFigures)}`);
        bareRounds.push(bareFigures);
        await waitWhileQuiet();
        const parleyFigures = await measure({ name: "parley", url: parley.url, pid: parley.process.pid!, groups, auth: parleyAuth }, USERS);
        log(`round ${round} parley: ${describe(parleyFigures)}`);
        parleyRounds.push(parleyFigures);
      } finally {
        await bare.stop();
        await parley.stop();
      }
    }

    log(`\n${command}\naverages over ${ROUNDS} rounds (counts: totals):\n`);
    log(summaryTable(bareRounds, parleyRounds));
    log("\nper round:\n");
    log(roundsTable(bareRounds, parleyRounds));
    if (values.markdown) {
      log(`\n${summaryTable(bareRounds, parleyRounds, true)}\n`);
      log(roundsTable(bareRounds, parleyRounds, true));
    }
  } finally {
    removeTempDir(dataDir);
    cluster?.stop();
  }
}

function groupIndexOf(groups: BenchGroup[], user: number): number {
  return groups.findIndex((group) => group.members.includes(user));
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

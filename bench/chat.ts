/**
 * Chat benchmark (not a test): boots the production server on a temporary SQLite database, seeds
 * N users in groups, connects one real socket per user with a real socket token, sends at a fixed
 * rate, and prints delivery throughput, send→deliver latency and lost/duplicated counts.
 *
 *   npm run bench:chat -- --users 500 --group 10 --rate 500 --seconds 20
 */
import { spawn } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";

import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { io as connect, type Socket } from "socket.io-client";

import { signSocketToken } from "@/lib/auth/socket-token";
import { PrismaClient } from "@/lib/generated/prisma/client";
import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/realtime/protocol";

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

const { values } = parseArgs({
  options: {
    users: { type: "string", default: "500" },
    group: { type: "string", default: "10" },
    rate: { type: "string", default: "500" },
    seconds: { type: "string", default: "20" },
    body: { type: "string", default: "100" },
  },
});
const USERS = Number(values.users);
const GROUP = Number(values.group);
const RATE = Number(values.rate);
const SECONDS = Number(values.seconds);
const BODY = "x".repeat(Number(values.body));

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function startServer(dataDir: string, secret: string): Promise<{ url: string; stop: () => Promise<void>; pid: number }> {
  const child = spawn("node", [...(process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []), "dist/server.js"], {
    env: { ...process.env, NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, AUTH_SECRET: secret, LOG_LEVEL: "warn", RATE_LIMIT_PER_SECOND: "10000" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready on (http:\/\/[^\s]+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
  return {
    url,
    pid: child.pid!,
    stop: () =>
      new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

async function seed(dataDir: string): Promise<{ users: string[]; groups: { id: string; members: string[] }[] }> {
  const db = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${path.join(dataDir, "parley.db")}` }) });
  const users = Array.from({ length: USERS }, (_, index) => ({ id: `bench-u${index}`, email: `u${index}@bench.test`, name: `User ${index}`, passwordHash: "x" }));
  await db.user.createMany({ data: users });
  const groups: { id: string; members: string[] }[] = [];
  for (let start = 0; start < USERS; start += GROUP) {
    const members = users.slice(start, start + GROUP).map((user) => user.id);
    if (members.length < 2) break;
    groups.push({ id: `bench-g${start / GROUP}`, members });
  }
  await db.conversation.createMany({ data: groups.map((group) => ({ id: group.id, kind: "group", name: group.id, createdById: group.members[0]! })) });
  await db.membership.createMany({
    data: groups.flatMap((group) => group.members.map((userId, index) => ({ conversationId: group.id, userId, role: index === 0 ? "admin" : "member" }))),
  });
  await db.$disconnect();
  return { users: users.map((user) => user.id), groups };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "parley-bench-"));
  const secret = randomBytes(32).toString("base64url");
  const server = await startServer(dataDir, secret);
  const { groups } = await seed(dataDir);
  console.log(`server ${server.url} (pid ${server.pid}); ${USERS} users in ${groups.length} groups of ${GROUP}`);

  const sentAt = new Map<string, number>();
  const senderOf = new Map<string, string>();
  const deliveries = new Map<string, number>();
  const latencies: number[] = [];
  let duplicates = 0;

  const clients = new Map<string, { socket: Client; conversationId: string }>();
  const connectStarted = performance.now();
  for (const group of groups) {
    await Promise.all(
      group.members.map(async (userId) => {
        const { token } = await signSocketToken(secret, { userId, sid: randomUUID() }, 600);
        const socket: Client = connect(server.url, { auth: { token }, transports: ["websocket"], reconnection: false });
        socket.on("chat:message-created", (message) => {
          if (message.authorId === userId) return;
          const key = `${message.clientMessageId}:${userId}`;
          const count = (deliveries.get(key) ?? 0) + 1;
          deliveries.set(key, count);
          if (count > 1) duplicates += 1;
          else {
            const started = sentAt.get(message.clientMessageId);
            if (started !== undefined) latencies.push(performance.now() - started);
          }
        });
        await new Promise<void>((resolve, reject) => {
          socket.once("session:ready", () => resolve());
          socket.once("connect_error", reject);
        });
        clients.set(userId, { socket, conversationId: group.id });
      }),
    );
  }
  const connectSeconds = (performance.now() - connectStarted) / 1000;
  console.log(`connected ${clients.size} sockets in ${connectSeconds.toFixed(1)} s`);

  const userIds = [...clients.keys()];
  const total = RATE * SECONDS;
  let acked = 0;
  let failed = 0;
  const started = performance.now();
  for (let index = 0; index < total; index += 1) {
    const due = started + (index * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const userId = userIds[index % userIds.length]!;
    const { socket, conversationId } = clients.get(userId)!;
    const clientMessageId = randomUUID();
    sentAt.set(clientMessageId, performance.now());
    senderOf.set(clientMessageId, userId);
    socket
      .timeout(15_000)
      .emitWithAck("chat:send", { conversationId, clientMessageId, body: BODY })
      .then((result) => (result.ok ? (acked += 1) : (failed += 1)), () => (failed += 1));
  }
  const sendSeconds = (performance.now() - started) / 1000;
  const expectedPerMessage = GROUP - 1;
  // Drain: until every send is answered and deliveries have stopped growing for 3 s (at most 60 s).
  const deadline = performance.now() + 60_000;
  let lastCount = -1;
  let stableSince = performance.now();
  while (performance.now() < deadline) {
    if (deliveries.size !== lastCount) {
      lastCount = deliveries.size;
      stableSince = performance.now();
    }
    const settled = acked + failed >= total && performance.now() - stableSince > 3_000;
    if (settled || (acked + failed >= total && deliveries.size >= acked * expectedPerMessage)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const elapsed = (performance.now() - started) / 1000;

  // The database is the truth: every stored message must reach every other member exactly once.
  const db = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url: `file:${path.join(dataDir, "parley.db")}` }) });
  const stored = await db.message.count();
  await db.$disconnect();
  const expected = stored * expectedPerMessage;
  const lost = expected - deliveries.size;
  latencies.sort((a, b) => a - b);
  const rows = [
    ["messages sent (acked / failed or timed out)", `${acked} / ${failed} of ${total} in ${sendSeconds.toFixed(1)} s`],
    ["messages stored", String(stored)],
    ["send rate achieved", `${(total / sendSeconds).toFixed(0)} msgs/s`],
    ["deliveries (expected)", `${deliveries.size} (${expected})`],
    ["delivered throughput", `${(deliveries.size / elapsed).toFixed(0)} deliveries/s, ${(stored / elapsed).toFixed(0)} msgs/s`],
    ["send→deliver latency p50 / p95 / p99", `${percentile(latencies, 50).toFixed(1)} / ${percentile(latencies, 95).toFixed(1)} / ${percentile(latencies, 99).toFixed(1)} ms`],
    ["lost deliveries", String(lost)],
    ["duplicated deliveries", String(duplicates)],
  ];
  const width = Math.max(...rows.map(([label]) => label!.length));
  console.log(`\nParley chat benchmark: ${USERS} users, groups of ${GROUP}, ${RATE} msgs/s for ${SECONDS} s, ${BODY.length}-byte bodies`);
  for (const [label, value] of rows) console.log(`${label!.padEnd(width)}  ${value}`);

  for (const { socket } of clients.values()) socket.disconnect();
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(lost === 0 && duplicates === 0 && failed === 0 ? 0 : 1);
}

void main();

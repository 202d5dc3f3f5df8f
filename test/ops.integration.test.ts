// Operations against the real server.ts: Prometheus metrics (protected by METRICS_TOKEN), readiness,
// admin:stats (administrators only, correct live counts), structured logs with userId/socketId and
// nothing secret, and the graceful rolling restart (notice, in-flight request answered, exit 0).
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import net from "node:net";
import path from "node:path";

import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";

import { type AdminStatsDto, type SystemRestartingDto } from "@/lib/realtime/protocol";
import { ask, failure, ok, person } from "@/lib/realtime/server/handlers/chat-test-support";
import { type AppClientSocket, connectSocket, disconnected, fetchSocketToken, type RegisteredUser, registerUser } from "@/test/support/clients";
import { createTempDir, randomSecret, REPO_ROOT, startServer, type TestServer } from "@/test/support/server";

const METRICS_TOKEN = `metrics-${randomUUID()}`;
const ADMIN_EMAIL = `ops-admin-${randomUUID()}@example.test`;
const ENV = { AUTH_ATTEMPTS_PER_MINUTE: "1000", RATE_LIMIT_PER_SECOND: "1000", METRICS_TOKEN, ADMIN_EMAILS: ADMIN_EMAIL, LOG_LEVEL: "debug" };

async function scrape(server: TestServer, token: string | null = METRICS_TOKEN): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(`${server.url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  return { status: response.status, text: await response.text(), headers: response.headers };
}

/** The value of one sample (0 when the series does not exist yet). */
function sample(text: string, name: string, labels = ""): number {
  const prefix = labels ? `${name}{${labels}} ` : `${name} `;
  const line = text.split("\n").find((candidate) => candidate.startsWith(prefix));
  return line ? Number(line.slice(prefix.length)) : 0;
}

const stats = (socket: AppClientSocket) => ok(socket, "admin:stats", {}) as Promise<AdminStatsDto>;

describe("operations of a running server", () => {
  let server: TestServer;
  // Accounts live for the whole block; sockets are per test (the client helpers close them after each).
  let adminUser: RegisteredUser;
  let aliceUser: RegisteredUser;
  let admin: { socket: AppClientSocket };
  let alice: RegisteredUser & { socket: AppClientSocket; connect: () => Promise<AppClientSocket> };
  const connectAs = async (user: RegisteredUser) => connectSocket(server, (await fetchSocketToken(server, user.cookie)).token);

  beforeAll(async () => {
    server = await startServer({ env: ENV });
    // The first account is an administrator too: take that place with one that never connects.
    await registerUser(server, { name: "First Account" });
    aliceUser = await registerUser(server, { name: "Alice Ops" });
    adminUser = await registerUser(server, { email: ADMIN_EMAIL, name: "Ops Admin" });
  });

  beforeEach(async () => {
    // Nobody left over from the previous test (its sockets were closed after it).
    await vi.waitFor(async () => expect(sample((await scrape(server)).text, "parley_open_sockets")).toBe(0), { timeout: 10_000 });
    alice = { ...aliceUser, socket: await connectAs(aliceUser), connect: () => connectAs(aliceUser) };
    admin = { socket: await connectAs(adminUser) };
  });

  afterAll(async () => {
    await server?.stop();
  });

  it("/metrics refuses a request without the bearer token (401), and a wrong one", async () => {
    const missing = await scrape(server, null);
    expect(missing.status).toBe(401);
    expect(missing.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(missing.text).not.toContain("parley_");
    expect((await scrape(server, "not-the-token-at-all")).status).toBe(401);
  });

  it("/metrics with the token serves Prometheus text with process metrics", async () => {
    const { status, text, headers } = await scrape(server);
    expect(status).toBe(200);
    expect(headers.get("content-type")).toContain("text/plain");
    expect(text).toContain("# TYPE parley_ack_duration_seconds histogram");
    expect(text).toContain("parley_process_resident_memory_bytes");
    expect(text).toContain("parley_nodejs_eventloop_lag_seconds");
    // Migrations and the handshakes above went through the database.
    expect(sample(text, "parley_db_query_duration_seconds_count", 'operation="query"')).toBeGreaterThan(0);
  });

  it("counters move with events: received, sent, ack latency and errors by code", async () => {
    await ok(alice.socket, "system:ping", { sentAt: 1 }); // the first requests have been counted
    const before = (await scrape(server)).text;
    for (let i = 0; i < 3; i += 1) await ok(alice.socket, "system:ping", { sentAt: i });
    await ok(alice.socket, "system:echo", { nonce: "metrics" });
    expect(await failure(alice.socket, "system:ping", { sentAt: "not a number" })).toBe("INVALID_PAYLOAD");
    expect(await failure(alice.socket, "admin:stats", {})).toBe("FORBIDDEN");
    // A made-up event is counted, under "unknown" (labels stay bounded).
    (alice.socket as unknown as { emit: (event: string) => void }).emit(`made-up-${randomUUID()}`);
    await ok(alice.socket, "system:ping", { sentAt: 9 });

    const after = (await scrape(server)).text;
    const delta = (name: string, labels: string) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta("parley_socket_events_received_total", 'event="system:ping"')).toBe(5);
    expect(delta("parley_ack_duration_seconds_count", 'event="system:ping"')).toBe(5);
    expect(delta("parley_ack_duration_seconds_bucket", 'event="system:ping",le="+Inf"')).toBe(5);
    expect(delta("parley_socket_events_sent_total", 'event="system:echoed"')).toBe(1);
    expect(delta("parley_ack_errors_total", 'event="system:ping",code="INVALID_PAYLOAD"')).toBe(1);
    expect(delta("parley_ack_errors_total", 'event="admin:stats",code="FORBIDDEN"')).toBe(1);
    expect(delta("parley_socket_events_received_total", 'event="unknown"')).toBe(1);
    expect(after).not.toContain("made-up-");
  });

  it("gauges: open sockets and connected users of this process", async () => {
    const second = await alice.connect();
    await vi.waitFor(async () => {
      const text = (await scrape(server)).text;
      expect(sample(text, "parley_open_sockets")).toBe(3); // alice ×2, admin
      expect(sample(text, "parley_connected_users")).toBe(2);
    }, { timeout: 10_000 });
    second.disconnect();
  });

  it("/api/ready answers 200 with the database check", async () => {
    const response = await fetch(`${server.url}/api/ready`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ status: "ready", reason: null, draining: false, checks: { database: { ok: true } } });
  });

  it("admin:stats is FORBIDDEN for a normal user and returns nothing else", async () => {
    const result = await ask(alice.socket, "admin:stats", {});
    expect(result).toEqual({ ok: false, error: { code: "FORBIDDEN", message: expect.any(String) } });
  });

  it("admin:stats gives an administrator the live counts of this process", async () => {
    const bob = await person(server, "Bob Ops");
    const carol = await person(server, "Carol Ops");
    const dave = await person(server, "Dave Ops");
    await vi.waitFor(async () => expect(await stats(admin.socket)).toMatchObject({ connectedUsers: 5, openSockets: 5, activeCalls: 0, matchQueueLength: 0 }), { timeout: 10_000 });

    // Bob and Carol are matched (an answered call); Dave waits in the queue.
    const found = Promise.all([bob.socket, carol.socket].map((socket) => new Promise((resolve) => socket.once("match:found", resolve))));
    expect(await ok(bob.socket, "match:join", { mood: "chill", language: "sv" })).toMatchObject({ state: "queued" });
    await ok(carol.socket, "match:join", { mood: "chill", language: "sv" });
    await found;
    expect(await ok(dave.socket, "match:join", { mood: "venting", language: "ja" })).toMatchObject({ state: "queued" });

    const live = await stats(admin.socket);
    expect(live).toMatchObject({ connectedUsers: 5, openSockets: 5, activeCalls: 1, ringingCalls: 0, matchQueueLength: 1 });
    expect(live.process.id).toMatch(/^.+:\d+$/);
    expect(live.process).toMatchObject({ pid: server.process.pid, draining: false });
    // The FORBIDDEN and INVALID_PAYLOAD answers above are recent errors.
    expect(live.errorRate.errors).toBeGreaterThanOrEqual(2);
    expect(live.errorRate.byCode.FORBIDDEN).toBeGreaterThanOrEqual(1);
    expect(live.errorRate.perMinute).toBeGreaterThan(0);
    expect(live.errorRate.windowSeconds).toBe(300);
    expect(live.requestsPerMinute).toBeGreaterThan(live.errorRate.perMinute);

    const text = (await scrape(server)).text;
    expect(sample(text, "parley_active_calls")).toBe(1);
    expect(sample(text, "parley_match_queue_length")).toBe(1);

    // Everyone leaves: the counts follow.
    for (const someone of [bob, carol, dave]) someone.socket.disconnect();
    await vi.waitFor(async () => expect(await stats(admin.socket)).toMatchObject({ connectedUsers: 2, openSockets: 2, matchQueueLength: 0 }), { timeout: 20_000 });
  });

  it("log lines of a socket carry its userId and socketId; no message body, token or password is logged", async () => {
    const body = `private words ${randomUUID()}`;
    const { token } = await fetchSocketToken(server, alice.cookie);
    const socket = await connectSocket(server, token);
    const group = await ok(socket, "conversation:create-group", { name: "Log check", memberIds: [] });
    await ok(socket, "chat:send", { conversationId: group.id, clientMessageId: randomUUID(), body });
    // Failing requests are logged (debug) with the event and code: still no body.
    await failure(socket, "chat:send", { conversationId: "nope", clientMessageId: randomUUID(), body });
    await failure(socket, "chat:edit", { messageId: "nope", body });
    const socketId = socket.id!;
    socket.disconnect();

    await vi.waitFor(() => expect(server.output().split("\n").some((line) => line.includes(socketId) && line.includes('"socket disconnected"'))).toBe(true));
    const lines = server
      .output()
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const mine = lines.filter((line) => line.socketId !== undefined);
    expect(mine.length).toBeGreaterThan(0);
    for (const line of mine) expect(line.userId, JSON.stringify(line)).toEqual(expect.any(String));
    expect(lines.some((line) => line.msg === "socket connected" && line.userId === alice.id && line.socketId === socketId)).toBe(true);
    expect(lines.some((line) => line.msg === "socket disconnected" && line.socketId === socketId)).toBe(true);
    expect(lines.some((line) => line.msg === "request failed" && line.userId === alice.id && line.event === "chat:edit")).toBe(true);

    const output = server.output();
    expect(output).not.toContain(body);
    expect(output).not.toContain(token);
    expect(output).not.toContain(alice.password);
    expect(output).not.toContain(alice.cookie.split("=").at(-1)!);
    expect(output).not.toContain(METRICS_TOKEN);
  });
});

describe("graceful rolling restart", () => {
  it("SIGTERM: the client hears system:restarting, its in-flight request is answered, then the socket closes and the process exits 0", async () => {
    const server = await startServer({ env: { ...ENV, LOG_LEVEL: "info" } });
    const alice = await person(server, "Alice Restart");
    const group = await ok(alice.socket, "conversation:create-group", { name: "Restart", memberIds: [] });

    const notice = new Promise<SystemRestartingDto>((resolve) => alice.socket.once("system:restarting", resolve));
    const closed = disconnected(alice.socket, 15_000);
    // A request sent right as the signal goes out, and one sent when the notice arrives: both are
    // on the wire while the process drains, and both must be answered before the socket closes.
    const beforeNotice = ok(alice.socket, "chat:send", { conversationId: group.id, clientMessageId: randomUUID(), body: "sent with the signal" });
    const stopping = server.stop("SIGTERM");
    const heard = await notice;
    expect(heard.reconnectWithinMs).toBeGreaterThan(0);
    const afterNotice = ok(alice.socket, "chat:send", { conversationId: group.id, clientMessageId: randomUUID(), body: "sent on the notice" });

    // No new connections once draining: the listener is closed.
    await expect(
      new Promise((resolve, reject) => {
        const probe = net.connect(server.port, "127.0.0.1", () => {
          probe.destroy();
          resolve("connected");
        });
        probe.once("error", reject);
      }),
    ).rejects.toMatchObject({ code: "ECONNREFUSED" });

    const [first, second] = await Promise.all([beforeNotice, afterNotice]);
    expect(first.body).toBe("sent with the signal");
    expect(second.body).toBe("sent on the notice");
    expect(await closed).toBe("io server disconnect");
    const result = await stopping;
    expect(result).toMatchObject({ code: 0, signal: null });
    expect(result.ms).toBeLessThan(10_000);
    expect(server.output()).toContain('"msg":"draining: done"');
    expect(server.output()).not.toContain("shutdown timed out");
  }, 60_000);
});

describe("readiness without a database", () => {
  it("/api/ready answers 503 with the reason when the database cannot be opened", async () => {
    // Next alone (as in a preview deploy) with a database path that cannot exist (below /dev/null):
    // the process runs, the database check fails. server.ts itself would refuse to start.
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, "127.0.0.1", () => {
        const { port: free } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(free));
      });
    });
    const dataDir = createTempDir();
    const child = spawn(process.execPath, [path.join(REPO_ROOT, "node_modules/next/dist/bin/next"), "start", "-H", "127.0.0.1", "-p", String(port)], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_ENV: "production", DATA_DIR: dataDir, DATABASE_URL: "file:/dev/null/parley/parley.db", AUTH_SECRET: randomSecret() },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const response = await vi.waitFor(
        async () => {
          const answer = await fetch(`http://127.0.0.1:${port}/api/ready`);
          return answer;
        },
        { timeout: 60_000, interval: 250 },
      );
      expect(response.status).toBe(503);
      const body = (await response.json()) as { status: string; reason: string; checks: Record<string, { ok: boolean }> };
      expect(body.status).toBe("unavailable");
      expect(body.reason).toMatch(/^database: /);
      expect(body.checks.database?.ok).toBe(false);
    } finally {
      child.kill("SIGKILL");
    }
  }, 90_000);
});

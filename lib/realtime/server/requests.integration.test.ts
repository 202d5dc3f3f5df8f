// Request events against the real server process: valid requests, malformed payloads, missing acks,
// rate limiting, oversize frames and unknown events. None of it may take the process down.
import { randomUUID } from "node:crypto";

import type { Socket } from "socket.io-client";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { type Ack, MAX_FRAME_BYTES } from "@/lib/realtime/protocol";
import {
  type AppClientSocket,
  connectSocket,
  disconnected,
  fetchSocketToken,
  getHealth,
  nextEvent,
  registerUser,
  type RegisteredUser,
} from "@/test/support/clients";
import { startServer, type TestServer } from "@/test/support/server";

const RATE_LIMIT_PER_SECOND = 10;

let server: TestServer;
let user: RegisteredUser;
let socket: AppClientSocket;

/** The same socket without the protocol's types, to send what a well-behaved client never would. */
const untyped = (client: AppClientSocket) => client as unknown as Socket;

type AnyAck = Ack<unknown>;

/**
 * Next's server swallows uncaught exceptions (it logs `uncaughtException` and keeps running), so a
 * listener that throws leaves the process up: the log is where it shows. pino levels 50/60 are
 * error/fatal.
 */
function expectNoCrashLogs(): void {
  expect(server.output()).not.toMatch(/uncaughtException|unhandledRejection|"level":(50|60)/);
}

beforeAll(async () => {
  server = await startServer({ env: { AUTH_ATTEMPTS_PER_MINUTE: "1000", RATE_LIMIT_PER_SECOND: String(RATE_LIMIT_PER_SECOND) } });
});

afterAll(async () => {
  await server?.stop();
});

// A fresh user per test: the request budget is per user and event, so tests never share one.
beforeEach(async () => {
  user = await registerUser(server);
  socket = await connectSocket(server, (await fetchSocketToken(server, user.cookie)).token);
});

describe("valid requests", () => {
  it("system:ping echoes sentAt and adds the server clock", async () => {
    const sentAt = Date.now();
    const result = await socket.timeout(5_000).emitWithAck("system:ping", { sentAt });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.data.sentAt).toBe(sentAt);
    expect(typeof result.data.serverTime).toBe("number");
  });

  it("system:echo acks and pushes system:echoed to the sender", async () => {
    const nonce = randomUUID().slice(0, 12);
    const pushed = nextEvent(socket, "system:echoed");
    const result = await socket.timeout(5_000).emitWithAck("system:echo", { nonce });
    expect(result).toEqual({ ok: true, data: { nonce, socketId: socket.id } });
    await expect(pushed).resolves.toEqual({ nonce, socketId: socket.id });
  });

  it("session:whoami answers the socket's user", async () => {
    const result = await socket.timeout(5_000).emitWithAck("session:whoami", {});
    expect(result).toEqual({ ok: true, data: { id: user.id, name: user.name, email: user.email, role: expect.stringMatching(/^(user|admin)$/) } });
  });
});

describe("malformed payloads", () => {
  it.each([
    ["ping: wrong type", "system:ping", [{ sentAt: "now" }], "sentAt"],
    ["ping: null field", "system:ping", [{ sentAt: null }], "sentAt"],
    ["ping: missing field", "system:ping", [{}], "sentAt"],
    ["ping: unknown extra field", "system:ping", [{ sentAt: 1, admin: true }], "admin"],
    ["ping: a string instead of an object", "system:ping", ["hello"], null],
    ["ping: a number instead of an object", "system:ping", [42], null],
    ["ping: an array instead of an object", "system:ping", [[{ sentAt: 1 }]], null],
    ["ping: null", "system:ping", [null], null],
    ["ping: no payload at all", "system:ping", [], null],
    ["echo: empty nonce", "system:echo", [{ nonce: "" }], "nonce"],
    ["echo: nonce too long", "system:echo", [{ nonce: "n".repeat(65) }], "nonce"],
    ["echo: wrong type", "system:echo", [{ nonce: 7 }], "nonce"],
    ["whoami: unknown extra field", "session:whoami", [{ userId: "someone-else" }], "userId"],
    ["whoami: null", "session:whoami", [null], null],
  ] as const)("%s → INVALID_PAYLOAD with issues", async (_label, event, args, mentions) => {
    const result = (await untyped(socket)
      .timeout(5_000)
      .emitWithAck(event, ...(args as readonly unknown[]))) as AnyAck;
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe("INVALID_PAYLOAD");
    expect(typeof result.error.message).toBe("string");
    expect(result.error.issues?.length).toBeGreaterThan(0);
    for (const issue of result.error.issues ?? []) {
      expect(issue).toEqual({ path: expect.any(String), message: expect.any(String) });
    }
    if (mentions) expect(JSON.stringify(result.error.issues)).toContain(mentions);
    // The socket stays usable after a rejected request.
    expect(await socket.timeout(5_000).emitWithAck("system:ping", { sentAt: 1 })).toMatchObject({ ok: true });
  });
});

describe("misbehaving clients", () => {
  it("a request without an ack callback is dropped and the next request still works", async () => {
    untyped(socket).emit("system:ping", { sentAt: 1 });
    untyped(socket).emit("system:echo", { nonce: "no-ack" });
    untyped(socket).emit("session:whoami", {});
    const result = await socket.timeout(5_000).emitWithAck("system:ping", { sentAt: 2 });
    expect(result).toMatchObject({ ok: true, data: { sentAt: 2 } });
    expect(socket.connected).toBe(true);
    expectNoCrashLogs();
  });

  it("an unknown event is ignored: no answer, no crash, the socket keeps working", async () => {
    let answered = false;
    untyped(socket).emit("admin:drop-database", { everything: true }, () => (answered = true));
    untyped(socket).emit("__proto__", {});
    const result = await socket.timeout(5_000).emitWithAck("system:ping", { sentAt: 3 });
    expect(result).toMatchObject({ ok: true, data: { sentAt: 3 } });
    expect(answered).toBe(false);
    expect(socket.connected).toBe(true);
    expectNoCrashLogs();
  });

  it(`a flood beyond RATE_LIMIT_PER_SECOND (${RATE_LIMIT_PER_SECOND}) is answered RATE_LIMITED, then served again`, async () => {
    const flood = await Promise.all(
      Array.from({ length: 50 }, (_, index) => socket.timeout(10_000).emitWithAck("system:ping", { sentAt: index })),
    );
    const served = flood.filter((result) => result.ok);
    const limited = flood.flatMap((result) => (result.ok ? [] : [result.error]));

    expect(served.length + limited.length).toBe(50);
    expect(served.length).toBeGreaterThanOrEqual(RATE_LIMIT_PER_SECOND);
    // At most two budgets even if the burst straddled a window boundary.
    expect(served.length).toBeLessThanOrEqual(2 * RATE_LIMIT_PER_SECOND);
    expect(limited.length).toBeGreaterThan(0);
    for (const error of limited) {
      expect(error.code).toBe("RATE_LIMITED");
      expect(error.retryAfterMs).toBeGreaterThan(0);
      expect(error.retryAfterMs).toBeLessThanOrEqual(1_000);
    }

    // The budget is per user: another user is served during this user's window.
    const other = await registerUser(server);
    const otherSocket = await connectSocket(server, (await fetchSocketToken(server, other.cookie)).token);
    expect(await otherSocket.timeout(5_000).emitWithAck("system:ping", { sentAt: 1 })).toMatchObject({ ok: true });

    // After the advertised wait the same user is served again.
    const wait = Math.max(...limited.map((error) => error.retryAfterMs ?? 1_000));
    await new Promise((resolve) => setTimeout(resolve, wait + 100));
    expect(await socket.timeout(5_000).emitWithAck("system:ping", { sentAt: 99 })).toMatchObject({ ok: true, data: { sentAt: 99 } });
  });

  it("an oversize frame disconnects only that socket; the server keeps serving", async () => {
    const bystander = await registerUser(server);
    const bystanderSocket = await connectSocket(server, (await fetchSocketToken(server, bystander.cookie)).token);

    const offender = await connectSocket(server, (await fetchSocketToken(server, user.cookie)).token, { reconnection: false });
    const gone = disconnected(offender);
    let acked = false;
    offender.emit("system:echo", { nonce: "x".repeat(MAX_FRAME_BYTES + 1_024) }, () => (acked = true));
    expect(await gone).toMatch(/^transport (close|error)$/);
    expect(acked).toBe(false);

    const health = await getHealth(server);
    expect(health).toMatchObject({ status: 200, body: { status: "ok" } });
    // The user's other socket and another user's socket are unaffected; a new client connects.
    expect(await socket.timeout(5_000).emitWithAck("system:ping", { sentAt: 4 })).toMatchObject({ ok: true });
    expect(await bystanderSocket.timeout(5_000).emitWithAck("system:ping", { sentAt: 5 })).toMatchObject({ ok: true });
    const fresh = await connectSocket(server, (await fetchSocketToken(server, user.cookie)).token);
    expect(await fresh.timeout(5_000).emitWithAck("system:ping", { sentAt: 6 })).toMatchObject({ ok: true, data: { sentAt: 6 } });
  });
});

describe("after all of it", () => {
  it("the process is alive, healthy and logged no error", async () => {
    expect(server.process.exitCode).toBeNull();
    expect(server.process.signalCode).toBeNull();
    const health = await getHealth(server);
    expect(health).toMatchObject({ status: 200, body: { status: "ok", database: "up", realtime: "attached" } });
    expectNoCrashLogs();
  });
});

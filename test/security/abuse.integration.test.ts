// Security: abuse limits of the real server process, with small limits so it runs in seconds.
// Floods of every request event from one socket are answered RATE_LIMITED beyond the budget while
// another user is served normally; volatile events are bounded by the same budget; a frame over
// MAX_FRAME_BYTES closes only that socket (a payload just under it that breaks a field's limit is
// INVALID_PAYLOAD); a user cannot hold more than MAX_SOCKETS_PER_USER sockets (a typed
// TOO_MANY_CONNECTIONS, even for a parallel burst), nor be in two calls or ring several people at
// once; and register and sign-in floods over HTTP are refused. Figures are printed.
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type Ack, type ClientEventName, MAX_FRAME_BYTES, MESSAGE_MAX_LENGTH, REALTIME_ERROR_CODES } from "@/lib/realtime/protocol";
import { ask, barrier, failure, nextMatching, ok, type Person, person, record } from "@/lib/realtime/server/handlers/chat-test-support";
import {
  type AppClientSocket,
  connectExpectingError,
  connectSocket,
  disconnected,
  fetchSocketToken,
  getHealth,
  registerUser,
  signIn,
  uniqueEmail,
} from "@/test/support/clients";
import { TEST_POSTGRES_URL } from "@/test/support/database";
import { startServer, type TestServer } from "@/test/support/server";
import { REQUEST_EVENTS } from "./client-events";

const RATE_LIMIT_PER_SECOND = 5;
const MAX_SOCKETS_PER_USER = 3;
const AUTH_ATTEMPTS_PER_MINUTE = 30;
/** call:signal weighs 0.2 of a request (define-handler.ts): trickle ICE gets five times the budget. */
const SIGNAL_BUDGET = 5 * RATE_LIMIT_PER_SECOND;
const DATABASE = TEST_POSTGRES_URL ? "PostgreSQL" : "SQLite";
/** Another user's answer taking this long during a flood means the flood stalled the server (unlimited presence:activity did: 7 s). */
const STALL_MS = 5_000;


let server: TestServer;

beforeAll(async () => {
  // TRUST_PROXY: the HTTP floods below come from their own X-Forwarded-For address, so the accounts
  // this file registers (no header: one address, "local") keep a budget of their own.
  server = await startServer({
    env: {
      RATE_LIMIT_PER_SECOND: String(RATE_LIMIT_PER_SECOND),
      MAX_SOCKETS_PER_USER: String(MAX_SOCKETS_PER_USER),
      AUTH_ATTEMPTS_PER_MINUTE: String(AUTH_ATTEMPTS_PER_MINUTE),
      TRUST_PROXY: "1",
    },
  });
  // The first account administers the instance: every person below is an ordinary user.
  await registerUser(server, { name: "Admin" });
});

afterAll(async () => {
  await server?.stop();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const untyped = (socket: AppClientSocket) =>
  socket as unknown as { emit: (event: string, ...args: unknown[]) => void; timeout: (ms: number) => { emitWithAck: (event: string, input: unknown) => Promise<Ack<unknown>> } };
const percentile = (values: readonly number[], share: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * share) - 1))] ?? NaN;
};
const isTypedError = (ack: Ack<unknown>) =>
  !ack.ok && (REALTIME_ERROR_CODES as readonly string[]).includes(ack.error.code) && typeof ack.error.message === "string";

async function befriend(a: Person, b: Person): Promise<void> {
  const request = await ok(a.socket, "contacts:request", { userId: b.id });
  await ok(b.socket, "contacts:respond", { requestId: request.id, accept: true });
}

/** A user that keeps asking for ordinary things (within its own budget) while `until` is pending: latency of each answer. */
async function keepServing(someone: Person, conversationId: string, until: Promise<unknown>): Promise<{ latencies: number[]; failures: string[] }> {
  let done = false;
  void until.finally(() => (done = true));
  const latencies: number[] = [];
  const failures: string[] = [];
  const asks: [ClientEventName, () => unknown][] = [
    ["system:ping", () => ({ sentAt: Date.now() })],
    ["chat:send", () => ({ conversationId, clientMessageId: randomUUID(), body: "still here" })],
    ["chat:history", () => ({ conversationId })],
    ["contacts:list", () => ({})],
  ];
  // Four events a round, one round every 250 ms: under a budget of 5 per second per event.
  while (!done || latencies.length === 0) {
    await Promise.all(
      asks.map(async ([event, input]) => {
        const startedAt = performance.now();
        const ack = await untyped(someone.socket).timeout(10_000).emitWithAck(event, input());
        latencies.push(performance.now() - startedAt);
        if (!ack.ok) failures.push(`${event}: ${ack.error.code}`);
      }),
    );
    await pause(250);
  }
  return { latencies, failures };
}

describe("floods per event", () => {
  // Accounts for both tests; sockets are per test (test/support/clients.ts closes them after each).
  let flooder: Person;
  let peer: Person;
  let observer: Person;
  let groupId: string;
  let directId: string;
  let messageId: string;

  beforeAll(async () => {
    [flooder, peer, observer] = [await person(server, "Flooder"), await person(server, "Peer"), await person(server, "Observer")];
    await befriend(flooder, peer);
    await befriend(observer, peer);
    groupId = (await ok(flooder.socket, "conversation:create-group", { name: "Flooded", memberIds: [peer.id] })).id;
    messageId = (await ok(peer.socket, "chat:send", { conversationId: groupId, clientMessageId: randomUUID(), body: "react to me" })).id;
    directId = (await ok(observer.socket, "conversation:open-direct", { userId: peer.id })).id;
    // Every budget starts the flood full (the setup spent some).
    await pause(1_100);
  });

  /** Valid payloads for a representative request of each handler family; the rest get `{}` (the budget is charged before parsing). */
  function payloadFor(event: ClientEventName): unknown {
    switch (event) {
      case "chat:send":
        return { conversationId: groupId, clientMessageId: randomUUID(), body: "flood" };
      case "chat:react":
        return { messageId, emoji: "👍", isOn: true };
      case "chat:history":
        return { conversationId: groupId };
      case "chat:mark-read":
        return { conversationId: groupId, seq: 1 };
      case "chat:search":
        return { query: "flood" };
      case "contacts:search":
        return { query: "Peer" };
      case "presence:set-status":
        return { status: "auto" };
      case "call:signal":
        return { callId: "not-a-live-call", signal: { type: "candidate", candidate: { candidate: "candidate:1 1 udp 2122260223 127.0.0.1 9 typ host" } } };
      case "match:join":
        return { mood: "chill", language: "en" };
      case "system:ping":
        return { sentAt: 1 };
      case "system:echo":
        return { nonce: "flood" };
      default:
        return {};
    }
  }

  it("every request event: a burst from one socket is answered RATE_LIMITED beyond its budget, and another user is served meanwhile", async () => {
    type Tally = { sent: number; served: number; limited: number; untyped: number; firstLimitedMs: number | null; spanMs: number; retryAfter: number[] };
    const tallies = new Map<ClientEventName, Tally>();
    const floodStartedAt = performance.now();
    // Every event at once from one socket: three budgets each (call:signal: eight of the plain budget, its own is five).
    const flood = Promise.all(
      REQUEST_EVENTS.map(async (event) => {
        const count = event === "call:signal" ? 8 * RATE_LIMIT_PER_SECOND : 3 * RATE_LIMIT_PER_SECOND;
        const tally: Tally = { sent: count, served: 0, limited: 0, untyped: 0, firstLimitedMs: null, spanMs: 0, retryAfter: [] };
        tallies.set(event, tally);
        const startedAt = performance.now();
        await Promise.all(
          Array.from({ length: count }, async () => {
            const ack = await untyped(flooder.socket).timeout(15_000).emitWithAck(event, payloadFor(event));
            if (!ack.ok && !isTypedError(ack)) tally.untyped += 1;
            if (!ack.ok && ack.error.code === "RATE_LIMITED") {
              tally.limited += 1;
              tally.firstLimitedMs ??= performance.now() - startedAt;
              tally.retryAfter.push(ack.error.retryAfterMs ?? -1);
            } else {
              tally.served += 1;
            }
          }),
        );
        tally.spanMs = performance.now() - startedAt;
      }),
    );
    const served = await keepServing(observer, directId, flood);
    await flood;
    const floodMs = performance.now() - floodStartedAt;

    const problems: string[] = [];
    for (const [event, tally] of tallies) {
      const budget = event === "call:signal" ? SIGNAL_BUDGET : RATE_LIMIT_PER_SECOND;
      // A fixed one-second window: a burst spanning N windows may be served N budgets.
      const windows = Math.ceil(tally.spanMs / 1_000) + 1;
      if (tally.untyped > 0) problems.push(`${event}: ${tally.untyped} untyped answers`);
      if (tally.limited === 0) problems.push(`${event}: never RATE_LIMITED (${tally.served} served)`);
      if (tally.served < budget) problems.push(`${event}: only ${tally.served} served of a budget of ${budget}`);
      if (tally.served > windows * budget) problems.push(`${event}: ${tally.served} served, more than ${windows} budgets of ${budget}`);
      if (tally.retryAfter.some((ms) => !(ms > 0 && ms <= 1_000))) problems.push(`${event}: retryAfterMs outside (0, 1000]: ${tally.retryAfter.join(",")}`);
    }
    expect(problems).toEqual([]);
    expect(served.failures).toEqual([]);
    // Slower while the flood is read, never stalled (a loose bound: 2 cores share the server and the flood).
    expect(Math.max(...served.latencies)).toBeLessThan(STALL_MS);
    expect(server.process.exitCode).toBeNull();

    const all = [...tallies.values()];
    const firsts = all.map((tally) => tally.firstLimitedMs ?? NaN);
    console.info(
      `[abuse] flood (${DATABASE}, RATE_LIMIT_PER_SECOND=${RATE_LIMIT_PER_SECOND}): ${all.length} request events, ${all.reduce((sum, tally) => sum + tally.sent, 0)} requests from one socket in ${Math.round(floodMs)} ms: ` +
        `${all.reduce((sum, tally) => sum + tally.limited, 0)} RATE_LIMITED, ${all.reduce((sum, tally) => sum + tally.served, 0)} served; ` +
        `first RATE_LIMITED after p50 ${Math.round(percentile(firsts, 0.5))} ms, max ${Math.round(Math.max(...firsts))} ms (from each event's first request); ` +
        `meanwhile another user got ${served.latencies.length} answers, p50 ${Math.round(percentile(served.latencies, 0.5))} ms, max ${Math.round(Math.max(...served.latencies))} ms, 0 refused`,
    );

    // After the advertised wait the flooder is served again.
    await pause(Math.max(...all.flatMap((tally) => tally.retryAfter)) + 100);
    expect(await ok(flooder.socket, "system:ping", { sentAt: 2 })).toMatchObject({ sentAt: 2 });
  }, 60_000);

  it("volatile events (typing, presence activity, viewing): a flood is bounded by the same budget, and another user is served meanwhile", async () => {
    const FLOOD = 2_000;
    const [flooding, watching, serving] = [await flooder.connect(), await peer.connect(), await observer.connect()];
    const typing = record(watching, "chat:typing-changed");
    const presence = record(watching, "presence:changed");
    await barrier(watching);
    const startedAt = performance.now();
    for (let index = 0; index < FLOOD; index += 1) {
      flooding.emit("chat:typing", { conversationId: groupId, isTyping: index % 2 === 0 });
      flooding.emit("presence:activity", { isIdle: index % 2 === 0, isHidden: false });
      flooding.emit("notifications:viewing", { conversationId: index % 2 === 0 ? groupId : null });
    }
    // Acks travel behind the volatile packets: once answered, the server has read all of them.
    const read = barrier(flooding).then(() => performance.now() - startedAt);
    const served = await keepServing({ ...observer, socket: serving }, directId, read);
    const readMs = await read;
    await pause(300); // presence announcements are queued per user: let them drain
    await barrier(watching);
    const spanMs = performance.now() - startedAt;
    const relayedTyping = typing.filter((event) => event.userId === flooder.id).length;
    const relayedPresence = presence.filter((event) => event.userId === flooder.id).length;
    const windows = Math.ceil(spanMs / 1_000) + 1;
    console.info(
      `[abuse] volatile flood (${DATABASE}): ${FLOOD} each of chat:typing, presence:activity, notifications:viewing from one socket, read by the server in ${Math.round(readMs)} ms; ` +
        `the peer received ${relayedTyping} typing relays and ${relayedPresence} presence changes; ` +
        `meanwhile another user got ${served.latencies.length} answers, max ${Math.round(Math.max(...served.latencies))} ms`,
    );
    // Typing relays are volatile (a busy peer may miss some), so only the upper bound is exact.
    expect(relayedTyping).toBeLessThanOrEqual(windows * RATE_LIMIT_PER_SECOND);
    expect(relayedPresence).toBeLessThanOrEqual(windows * RATE_LIMIT_PER_SECOND);
    expect(served.failures).toEqual([]);
    expect(Math.max(...served.latencies)).toBeLessThan(STALL_MS);
    expect(await ok(flooding, "session:whoami", {})).toMatchObject({ id: flooder.id });
  });
});

describe("frame size", () => {
  let offenderAccount: Person;
  let bystanderAccount: Person;

  beforeAll(async () => {
    [offenderAccount, bystanderAccount] = [await person(server, "Oversize"), await person(server, "Bystander")];
  });

  it(`a payload under MAX_FRAME_BYTES (${MAX_FRAME_BYTES}) that breaks a field's limit is INVALID_PAYLOAD; the socket stays`, async () => {
    const sender = await person(server, "Long Writer");
    const groupId = (await ok(sender.socket, "conversation:create-group", { name: "Long", memberIds: [] })).id;
    const body = "x".repeat(60_000);
    expect(JSON.stringify({ conversationId: groupId, body }).length).toBeLessThan(MAX_FRAME_BYTES);
    expect(body.length).toBeGreaterThan(MESSAGE_MAX_LENGTH);
    const result = await ask(sender.socket, "chat:send", { conversationId: groupId, clientMessageId: randomUUID(), body });
    expect(result).toMatchObject({ ok: false, error: { code: "INVALID_PAYLOAD", issues: [expect.objectContaining({ path: "body" })] } });
    expect(sender.socket.connected).toBe(true);
    expect(await ok(sender.socket, "chat:send", { conversationId: groupId, clientMessageId: randomUUID(), body: "short" })).toMatchObject({ body: "short" });
  });

  it.each(["websocket", "polling"] as const)("a frame over the limit over %s closes that socket only; the server stays up", async (transport) => {
    const offender = { ...offenderAccount, socket: await offenderAccount.connect() };
    const bystander = { ...bystanderAccount, socket: await bystanderAccount.connect() };
    const big = await connectSocket(server, (await fetchSocketToken(server, offender.cookie)).token, { transports: [transport], reconnection: false });
    const gone = disconnected(big);
    let answered = false;
    const startedAt = performance.now();
    untyped(big).emit("system:echo", { nonce: "x".repeat(MAX_FRAME_BYTES + 1_024) }, () => (answered = true));
    const reason = await gone;
    const closedMs = performance.now() - startedAt;
    expect(reason).toMatch(/^transport (close|error)$/);
    expect(answered).toBe(false);

    expect(await getHealth(server)).toMatchObject({ status: 200, body: { status: "ok" } });
    expect(server.process.exitCode).toBeNull();
    // The offender's other socket and another user are unaffected.
    expect(await ok(offender.socket, "system:ping", { sentAt: 4 })).toMatchObject({ sentAt: 4 });
    expect(await ok(bystander.socket, "system:ping", { sentAt: 5 })).toMatchObject({ sentAt: 5 });
    console.info(`[abuse] oversize frame over ${transport} (${DATABASE}): a ${MAX_FRAME_BYTES + 1_024}-byte payload closed its socket ("${reason}") after ${Math.round(closedMs)} ms; other sockets served, server up`);
  });
});

describe(`sockets per user (MAX_SOCKETS_PER_USER=${MAX_SOCKETS_PER_USER})`, () => {
  const open = async (user: Person) => connectSocket(server, (await fetchSocketToken(server, user.cookie)).token);

  it("one socket more is refused with a typed TOO_MANY_CONNECTIONS, others connect, and closing one frees a slot", async () => {
    const hoarder = await person(server, "Hoarder"); // its first socket
    const sockets = [hoarder.socket];
    while (sockets.length < MAX_SOCKETS_PER_USER) sockets.push(await open(hoarder));

    const refused = await connectExpectingError(server, { token: (await fetchSocketToken(server, hoarder.cookie)).token });
    expect(refused.message).toBe("TOO_MANY_CONNECTIONS");
    expect(refused.data).toEqual({ code: "TOO_MANY_CONNECTIONS", message: expect.stringContaining(String(MAX_SOCKETS_PER_USER)) });
    expect(refused.active).toBe(false); // no reconnect loop of the client's own

    // The cap is per user, not per browser session: another sign-in of the same account is refused too.
    const otherSession = await signIn(server, hoarder.email, hoarder.password);
    expect((await connectExpectingError(server, { token: (await fetchSocketToken(server, otherSession)).token })).message).toBe("TOO_MANY_CONNECTIONS");

    // Someone else connects as usual, and the hoarder's sockets keep working.
    const other = await person(server, "Other");
    expect(await ok(other.socket, "system:ping", { sentAt: 6 })).toMatchObject({ sentAt: 6 });
    for (const socket of sockets) expect(await ok(socket, "session:whoami", {})).toMatchObject({ id: hoarder.id });

    // Closing one frees a slot (once the server has seen the close).
    const closedAt = performance.now();
    sockets[0]?.disconnect();
    let attempts = 0;
    let again: AppClientSocket | null = null;
    while (!again && performance.now() - closedAt < 5_000) {
      attempts += 1;
      again = await connectSocket(server, (await fetchSocketToken(server, otherSession)).token).catch(() => null);
    }
    expect(again?.connected).toBe(true);
    console.info(`[abuse] socket cap (${DATABASE}): socket ${MAX_SOCKETS_PER_USER + 1} refused (TOO_MANY_CONNECTIONS, also from another session); another user connected; a slot was free ${Math.round(performance.now() - closedAt)} ms after a close (${attempts} attempt(s))`);
  });

  it("a parallel burst of handshakes admits exactly the cap", async () => {
    const burster = await registerUser(server, { name: "Burster" });
    const tokens = await Promise.all(Array.from({ length: 12 }, async () => (await fetchSocketToken(server, burster.cookie)).token));
    const startedAt = performance.now();
    const outcomes = await Promise.all(
      tokens.map((token) =>
        connectSocket(server, token).then(
          () => "connected",
          (error: Error) => error.message,
        ),
      ),
    );
    const connected = outcomes.filter((outcome) => outcome === "connected").length;
    const refused = outcomes.filter((outcome) => outcome === "TOO_MANY_CONNECTIONS").length;
    console.info(`[abuse] handshake burst (${DATABASE}): ${tokens.length} parallel handshakes of one user in ${Math.round(performance.now() - startedAt)} ms: ${connected} connected, ${refused} TOO_MANY_CONNECTIONS`);
    expect({ connected, refused }).toEqual({ connected: MAX_SOCKETS_PER_USER, refused: tokens.length - MAX_SOCKETS_PER_USER });
  });
});

describe("calls", () => {
  it("a user rings one person at a time and cannot be in two calls", async () => {
    const caller = await person(server, "Caller");
    const callees = [await person(server, "Callee B"), await person(server, "Callee C"), await person(server, "Callee D")];
    for (const callee of callees) await befriend(caller, callee);
    const rang = callees.map((callee) => record(callee.socket, "call:incoming"));

    // Three calls at once: exactly one rings, the others are CONFLICT.
    const attempts = await Promise.all(callees.map((callee) => ask(caller.socket, "call:start", { calleeId: callee.id, kind: "audio" })));
    const started = attempts.flatMap((attempt) => (attempt.ok ? [attempt.data] : []));
    expect(started).toHaveLength(1);
    for (const attempt of attempts) if (!attempt.ok) expect(attempt.error).toMatchObject({ code: "CONFLICT", message: "You are already in a call." });
    const call = started[0];
    if (!call) throw new Error("no call started");
    const ringing = callees.find((callee) => callee.id === call.callee.id);
    if (!ringing) throw new Error("the call rang nobody of the three");
    await Promise.all(callees.map((callee) => barrier(callee.socket)));
    expect(rang.map((events) => events.length)).toEqual(callees.map((callee) => (callee === ringing ? 1 : 0)));

    // Another tab of the caller cannot start a second one while it rings.
    const secondTab = await caller.connect();
    const other = callees.find((callee) => callee !== ringing) as Person;
    expect(await failure(secondTab, "call:start", { calleeId: other.id, kind: "video" })).toBe("CONFLICT");

    // Answered: neither side can start another call.
    const accepted = nextMatching(caller.socket, "call:accepted");
    await ok(ringing.socket, "call:accept", { callId: call.id, withVideo: false });
    await accepted;
    expect(await failure(caller.socket, "call:start", { calleeId: other.id, kind: "audio" })).toBe("CONFLICT");
    expect(await failure(ringing.socket, "call:start", { calleeId: caller.id, kind: "audio" })).toBe("CONFLICT");
    await barrier(other.socket);
    expect(rang[callees.indexOf(other)]).toHaveLength(0);

    // Hung up: the caller may call again (after its call:start budget refills).
    await ok(caller.socket, "call:hangup", { callId: call.id });
    await pause(1_000);
    const next = await ok(caller.socket, "call:start", { calleeId: other.id, kind: "audio" });
    await ok(caller.socket, "call:hangup", { callId: next.id });
    console.info(`[abuse] calls (${DATABASE}): 3 parallel call:start → 1 ringing, 2 CONFLICT; a second tab, the caller and the callee during the call → CONFLICT`);
  });
});

describe("HTTP auth floods (AUTH_ATTEMPTS_PER_MINUTE)", () => {
  const post = (path: string, ip: string, body: unknown) =>
    fetch(`${server.url}${path}`, { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": ip }, body: JSON.stringify(body) });

  it("register attempts from one address get 429 RATE_LIMITED beyond the budget; another address registers meanwhile", async () => {
    const ATTACKER = "198.51.100.7";
    const statuses: number[] = [];
    let lastBody: unknown = null;
    const startedAt = performance.now();
    for (let attempt = 0; attempt < AUTH_ATTEMPTS_PER_MINUTE + 10; attempt += 1) {
      // Invalid bodies: the budget is charged first, and no password is hashed for nothing.
      const response = await post("/api/register", ATTACKER, { email: `not-an-email-${attempt}` });
      statuses.push(response.status);
      lastBody = await response.json();
    }
    const first429 = statuses.indexOf(429);
    expect(statuses.slice(0, AUTH_ATTEMPTS_PER_MINUTE).every((status) => status === 422)).toBe(true);
    expect(statuses.slice(AUTH_ATTEMPTS_PER_MINUTE).every((status) => status === 429)).toBe(true);
    expect(lastBody).toMatchObject({ error: { code: "RATE_LIMITED", message: expect.any(String) } });

    const legit = await post("/api/register", "203.0.113.9", { name: "Legit", email: uniqueEmail("legit"), password: `pw-${randomUUID()}` });
    expect(legit.status).toBe(201);
    console.info(`[abuse] register flood (${DATABASE}, AUTH_ATTEMPTS_PER_MINUTE=${AUTH_ATTEMPTS_PER_MINUTE}): ${statuses.length} attempts from one address in ${Math.round(performance.now() - startedAt)} ms: first 429 at attempt ${first429 + 1}, ${statuses.filter((status) => status === 429).length} refused; another address registered (201)`);
  });

  it("sign-in guesses for one account from one address are refused beyond the budget, even with the right password; elsewhere it works", async () => {
    const victim = await registerUser(server, { name: "Victim" });
    const GUESSER = "198.51.100.8";
    const headers = { "x-forwarded-for": GUESSER };
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < AUTH_ATTEMPTS_PER_MINUTE + 5; attempt += 1) {
      const result = await attemptSignInFrom(victim.email, `wrong-${attempt}`, headers);
      outcomes.push(result);
    }
    const firstLimited = outcomes.indexOf("RATE_LIMITED");
    expect(outcomes.slice(0, AUTH_ATTEMPTS_PER_MINUTE).every((outcome) => outcome === "CredentialsSignin")).toBe(true);
    expect(outcomes.slice(AUTH_ATTEMPTS_PER_MINUTE).every((outcome) => outcome === "RATE_LIMITED")).toBe(true);
    // The right password from the guessing address is refused too; from elsewhere it signs in.
    expect(await attemptSignInFrom(victim.email, victim.password, headers)).toBe("RATE_LIMITED");
    expect(await attemptSignInFrom(victim.email, victim.password, { "x-forwarded-for": "203.0.113.10" })).toBe("signed-in");
    console.info(`[abuse] sign-in flood (${DATABASE}): ${outcomes.length} guesses for one account from one address: first refused at attempt ${firstLimited + 1}; the right password from there refused, from another address accepted`);
  });
});

/** One next-auth credentials sign-in with extra headers: "signed-in", or the error next-auth reports. */
async function attemptSignInFrom(email: string, password: string, headers: Record<string, string>): Promise<string> {
  const csrfResponse = await fetch(`${server.url}/api/auth/csrf`, { headers });
  const cookie = csrfResponse.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const response = await fetch(`${server.url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const body = (await response.json().catch(() => ({}))) as { url?: string };
  if (response.headers.getSetCookie().some((line) => line.startsWith("next-auth.session-token="))) return "signed-in";
  return new URL(body.url ?? "http://x/?error=none").searchParams.get("error") ?? `status ${response.status}`;
}

describe("after all of it", () => {
  it("the process is alive and healthy", async () => {
    expect(server.process.exitCode).toBeNull();
    expect(await getHealth(server)).toMatchObject({ status: 200, body: { status: "ok" } });
  });
});

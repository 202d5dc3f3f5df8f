// Reliability: memory. A real server process (started with --inspect) goes through connect/disconnect
// cycles of a few dozen signed-in users who behave like the browser (session ready, conversation
// list and sync, presence and viewing reports, typing, a message now and then, the conversation
// marked read; the tab closed cleanly, torn away, or blipped and recovered), with newcomers who sign
// up, connect once and never return; then a stream of messages into group and direct conversations
// with every member connected. Once everyone has left and every grace period has passed, the process
// must be back where it was after the warm-up: no socket, room, connection, timer, listener, map
// entry or pending promise left behind, and the heap after a full GC near its baseline
// (memory-probe.ts reads it all through the V8 inspector). Quick profile here (1,000 cycles, 10,000
// messages); RELIABILITY_SCALE=10 for the ×10 profile by hand.
import { randomUUID } from "node:crypto";

import { io } from "socket.io-client";
import { afterAll, describe, expect, it } from "vitest";

import { MAX_CACHED_STATEMENTS } from "@/lib/db/statement-cache";
import type { ConversationDto } from "@/lib/realtime/protocol";
import { CHAT_SERVER_ENV, ok } from "@/lib/realtime/server/handlers/chat-test-support";
import { RECOVERY_WINDOW_MS } from "@/lib/realtime/server/recovery";
import { waitFor } from "@/test/support/chat-client";
import { type AppClientSocket, fetchSocketToken, registerUser, type RegisteredUser } from "@/test/support/clients";
import { TEST_POSTGRES_URL } from "@/test/support/database";
import { connectInspector, type Inspector, inspectorUrlIn } from "@/test/support/inspector";
import { startServer, type TestServer } from "@/test/support/server";
import { heapAfterGc, heapSampler, mb, type Probe, probe, type ServerState, serverState } from "./memory-probe";

const SCALE = Math.max(1, Number(process.env.RELIABILITY_SCALE) || 1);
const USERS = 30;
const GROUPS = 6;
const WARMUP_CYCLES = 300;
const WARMUP_MESSAGES = 300;
const CYCLES = 1_000 * SCALE;
const MESSAGES = 10_000 * SCALE;
const NEWCOMERS = 10 * SCALE;
/** Short, so that many cycles end with the user going offline (a pause longer than this), not only with a reload. */
const PRESENCE_GRACE_MS = 500;
/** socket.io-adapter sweeps the recovery buffer once a minute: an entry lives up to the window plus that. */
const RECOVERY_SWEEP_MS = 60_000;
/**
 * Heap after GC may exceed the baseline by this much. Fixed, so the ×10 profile is ten times as
 * sensitive: what is left over varies by a few MB from run to run (code and feedback the JIT keeps,
 * bounded caches of Next and Prisma; -3 to +1 MB measured), while a leak grows with the work: one
 * socket kept per cycle (tens of KB) shows in the quick profile, one message kept per send (about
 * 1.2 KB, as measured on the recovery buffer) or a few hundred bytes per cycle in the ×10 one.
 * Smaller leaks into maps, listeners or timers are caught by the counts, which are exact.
 */
const HEAP_ALLOWANCE_BYTES = 10 * 1024 * 1024;
/**
 * How far whole-process counts may move from the baseline. SQLite: 2 of each (a file read or an
 * immediate of the logger in flight); every run measured so far was exact. PostgreSQL adds the
 * connection pool (lib/db.ts: up to 10 connections, closed after 10 s idle), whose size at either
 * moment is not the test's to choose: per connection a socket and a ref'd idle timer (2 handles,
 * 1 timer, 1 listener measured), and when it is opened anew its client objects (3 emitters with
 * their listeners).
 */
const POOL = TEST_POSTGRES_URL ? 10 : 0;
const SLACK = { handles: 2 + 2 * POOL, timers: 2 + POOL, emitters: 2 + 3 * POOL, listeners: 8 + 20 * POOL, promises: 2 + POOL, maps: 2 + POOL, sets: 2 + POOL };

type User = RegisteredUser & { conversations: string[]; cycles: number; token: () => Promise<string> };
type TabEnd = "clean" | "torn" | "blip";

let server: TestServer | null = null;
let inspector: Inspector | null = null;
const sockets = new Set<AppClientSocket>();

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  // A connected inspector would hold the exiting process ("Waiting for the debugger to disconnect").
  await inspector?.close();
  await server?.stop();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function signedIn(url: string, name: string): Promise<User> {
  const user = await registerUser({ url }, { name });
  let token = { value: "", expiresAt: 0 };
  // Like the browser: one socket token, used until it nearly expires.
  const current = async () => {
    if (token.expiresAt - Date.now() < 60_000) {
      const fetched = await fetchSocketToken({ url }, user.cookie);
      token = { value: fetched.token, expiresAt: Date.parse(fetched.expiresAt) };
    }
    return token.value;
  };
  return { ...user, conversations: [], cycles: 0, token: current };
}

/** Resolves once `session:ready` arrived (rooms joined). Reconnection only for a blip. */
async function connect(url: string, user: User, options: { reconnection?: boolean } = {}): Promise<AppClientSocket> {
  const socket: AppClientSocket = io(url, {
    transports: ["websocket"],
    forceNew: true,
    auth: { token: await user.token() },
    reconnection: options.reconnection ?? false,
    reconnectionDelay: 50,
    reconnectionDelayMax: 200,
  });
  sockets.add(socket);
  const ready = new Promise<void>((resolve, reject) => {
    socket.once("session:ready", () => resolve());
    socket.once("connect_error", reject);
  });
  await within(ready, 20_000, `${user.name}'s session:ready`);
  return socket;
}

/** What the browser does after a connect: activity, the conversation shown, the list, a sync of the latest messages. */
async function settleIn(socket: AppClientSocket, viewed: string | null): Promise<ConversationDto[]> {
  socket.emit("presence:activity", { isIdle: false, isHidden: false });
  socket.emit("notifications:viewing", { conversationId: viewed });
  const list = await ok(socket, "conversation:list", {});
  if (list.length > 0) {
    await ok(socket, "chat:sync", { conversations: list.map((conversation) => ({ conversationId: conversation.id, afterVersion: Math.max(0, conversation.lastVersion - 5) })) });
  }
  return list;
}

/** The tab closes: cleanly (a disconnect packet), torn away (the connection just ends: the server keeps a recovery session), or a blip (the client comes back and recovers, then closes cleanly). */
async function leave(socket: AppClientSocket, end: TabEnd, name: string): Promise<void> {
  if (end === "torn") socket.io.engine.close();
  if (end === "blip") {
    const back = new Promise<void>((resolve) => socket.once("session:ready", () => resolve()));
    socket.io.engine.close();
    await within(back, 20_000, `${name}'s recovery`);
    if (!socket.recovered) throw new Error(`${name}: the blip did not recover the session`);
  }
  socket.disconnect();
  sockets.delete(socket);
}

/** One tab's life: connect, look at a conversation, type, maybe send, mark it read, close. */
async function cycle(url: string, user: User, end: TabEnd, options: { send: boolean }): Promise<void> {
  // Round-robin over the user's conversations: the warm-up visits each one, so per-conversation state is in the baseline.
  const viewed = user.conversations[user.cycles % Math.max(1, user.conversations.length)] ?? null;
  user.cycles += 1;
  const socket = await connect(url, user, { reconnection: end === "blip" });
  const list = await settleIn(socket, viewed);
  if (viewed) {
    socket.emit("chat:typing", { conversationId: viewed, isTyping: true });
    let seq = list.find((conversation) => conversation.id === viewed)?.lastSeq ?? 0;
    if (options.send) seq = (await ok(socket, "chat:send", { conversationId: viewed, clientMessageId: randomUUID(), body: `${user.name}, tab ${user.cycles}` })).seq;
    socket.emit("chat:typing", { conversationId: viewed, isTyping: false });
    // Answered after the typing events are handled: they are not cut off by the close.
    await ok(socket, "chat:mark-read", { conversationId: viewed, seq });
  }
  await leave(socket, end, user.name);
}

/** `count` cycles spread over the users, one tab at a time per lane; every fourth is followed by a pause longer than the presence grace. */
async function runCycles(url: string, users: readonly User[], count: number): Promise<void> {
  const ends: TabEnd[] = ["clean", "torn", "clean", "blip", "clean", "torn"];
  let next = 0;
  await Promise.all(
    users.map(async () => {
      for (let index = next++; index < count; index = next++) {
        await cycle(url, users[index % users.length] as User, ends[index % ends.length] as TabEnd, { send: index % 5 === 0 });
        if (index % 4 === 0) await pause(PRESENCE_GRACE_MS + 100);
      }
    }),
  );
}

type MessageRun = { sent: number; delivered: number; expected: number; ms: number };

/** Every user connected, receiving everything of their conversations; `count` messages, one after another per user. */
async function runMessages(url: string, users: readonly User[], count: number): Promise<MessageRun> {
  const startedAt = Date.now();
  const members = new Map<string, number>();
  for (const user of users) for (const id of user.conversations) members.set(id, (members.get(id) ?? 0) + 1);
  let delivered = 0;
  const connected = await Promise.all(
    users.map(async (user, index) => {
      const socket = await connect(url, user);
      // Half look at a conversation (no notifications from it), half are elsewhere.
      await settleIn(socket, index % 2 === 0 ? (user.conversations[0] ?? null) : null);
      socket.on("chat:message-created", (message) => {
        delivered += 1;
        // Now and then a reader catches up, as an open conversation does.
        if (delivered % 97 === 0) ok(socket, "chat:mark-read", { conversationId: message.conversationId, seq: message.seq }).catch(() => undefined);
      });
      return { user, socket };
    }),
  );
  const perUser = Math.ceil(count / users.length);
  let sent = 0;
  let expected = 0;
  await Promise.all(
    connected.map(async ({ user, socket }) => {
      for (let n = 0; n < perUser && sent < count; n += 1) {
        sent += 1;
        // Mostly the two groups, every tenth into a direct chat.
        const conversationId = user.conversations[n % 10 === 9 ? 2 + (n % 2) : n % 2] as string;
        await ok(socket, "chat:send", { conversationId, clientMessageId: randomUUID(), body: `${user.name} #${n}: ${"lorem ipsum ".repeat(1 + (n % 8))}` });
        expected += members.get(conversationId) ?? 0;
      }
    }),
  );
  // A ping's answer comes after every broadcast sent to that socket before it (one ordered connection).
  await Promise.all(connected.map(({ socket }) => ok(socket, "system:ping", { sentAt: Date.now() })));
  await waitFor(() => delivered >= expected, "every message delivered to every member", 30_000);
  await Promise.all(connected.map(({ user, socket }, index) => leave(socket, index % 2 === 0 ? "clean" : "torn", user.name)));
  return { sent, delivered, expected, ms: Date.now() - startedAt };
}

/** State that is empty whenever nobody is connected and every grace period has passed. */
const IDLE_ZERO = ["presence.graceTimers", "presence.queues", "presence.users", "viewing.users", "notifier.bursts", "limiter.socket", "calls.live", "calls.byUser", "calls.writes", "match.waiting"];
/** Keys of the request limiters: each is a map entry with its own timer, gone after the limiter's duration (socket: 1 s; auth and upload: 60 s). */
const limiterKeys = (state: ServerState) => Object.entries(state.counts).reduce((sum, [name, n]) => (name.startsWith("limiter.") ? sum + n : sum), 0);
/** SQLite's prepared statements by query text: a bounded cache (MAX_CACHED_STATEMENTS), one map entry each. */
const cachedStatements = (state: ServerState) => state.counts["db.statements"] ?? 0;

/** Waits until nobody is connected, no connection is open and every transient state has drained. */
async function idle(target: Inspector, what: string): Promise<ServerState> {
  let state = await serverState(target);
  const busy = (s: ServerState) => [
    ...(["sockets", "engineClients", "httpConnections", "sids"] as const).filter((key) => s[key] !== 0),
    ...IDLE_ZERO.filter((name) => (s.counts[name] ?? 0) !== 0),
  ];
  const deadline = Date.now() + 30_000;
  while (busy(state).length > 0) {
    if (Date.now() > deadline) throw new Error(`${what}: still busy after 30 s (${busy(state).join(", ")}): ${JSON.stringify(state)}`);
    await pause(250);
    state = await serverState(target);
  }
  return state;
}

/** CPU time the server process has used, in ms (its share of the two cores is a figure worth printing). */
const serverCpuMs = (target: Inspector) => target.evaluate<number>("(() => { const usage = process.cpuUsage(); return Math.round((usage.user + usage.system) / 1000); })()");

const recoveryBufferSize = (target: Inspector) =>
  target.evaluate<number>(`(() => { const adapter = globalThis.__parleyRealtime.of("/").adapter; return adapter.sessions.size + adapter.packets.length; })()`);

/** Empties the connection-recovery buffer as socket.io-adapter's sweep does once every entry is past the window. */
async function sweepRecoveryBuffer(target: Inspector): Promise<void> {
  await target.evaluate(`(() => { const adapter = globalThis.__parleyRealtime.of("/").adapter; adapter.sessions.clear(); adapter.packets.splice(0); })()`);
}

describe(`memory: ${CYCLES} connect/disconnect cycles and ${MESSAGES} messages, then back to the baseline`, () => {
  it("no socket, room, connection, timer, listener, map entry or promise left behind; the heap after GC near its baseline", async () => {
    const startedAt = Date.now();
    server = await startServer({
      env: { ...CHAT_SERVER_ENV, PARLEY_DEBUG_COUNTS: "1", PRESENCE_OFFLINE_GRACE_MS: String(PRESENCE_GRACE_MS) },
      nodeArgs: ["--inspect=127.0.0.1:0"],
    });
    const inspectorUrl = inspectorUrlIn(server.output());
    if (!inspectorUrl) throw new Error(`no inspector URL in the server's output:\n${server.output()}`);
    inspector = await connectInspector(inspectorUrl);
    const url = server.url;

    // ── Users and conversations: user i is in groups i and i+1 (mod GROUPS) and in direct chats with i-1 and i+1.
    const users: User[] = [];
    for (let batch = 0; batch < USERS; batch += 10) users.push(...(await Promise.all(Array.from({ length: 10 }, (_, k) => signedIn(url, `User ${batch + k}`)))));
    const groupIds = await Promise.all(
      Array.from({ length: GROUPS }, async (_, group) => {
        const [owner, ...rest] = users.filter((_, index) => index % GROUPS === group || (index + 1) % GROUPS === group) as [User, ...User[]];
        const socket = await connect(url, owner);
        const created = await ok(socket, "conversation:create-group", { name: `Memory ${group}`, memberIds: rest.map((member) => member.id) });
        socket.disconnect();
        return created.id;
      }),
    );
    users.forEach((user, index) => user.conversations.push(groupIds[index % GROUPS] as string, groupIds[(index + 1) % GROUPS] as string));
    for (const [index, user] of users.entries()) {
      const next = users[(index + 1) % USERS] as User;
      const socket = await connect(url, user);
      const direct = await ok(socket, "conversation:open-direct", { userId: next.id });
      socket.disconnect();
      user.conversations.push(direct.id);
      next.conversations.push(direct.id);
    }

    const setupDoneAt = Date.now();
    // ── Warm-up (JIT, caches, every per-conversation entry), then the baseline, the recovery buffer swept as its timer will.
    await runCycles(url, users, WARMUP_CYCLES);
    await runMessages(url, users, WARMUP_MESSAGES);
    await idle(inspector, "after the warm-up");
    const warmedUpAt = Date.now();
    await sweepRecoveryBuffer(inspector);
    const baseline = await probe(inspector);
    const runStartedAt = Date.now();
    const cpuAtStart = await serverCpuMs(inspector);

    // ── The run: cycles with newcomers among them, then the message stream.
    const sampler = heapSampler(inspector);
    const newcomers = (async () => {
      for (let n = 0; n < NEWCOMERS; n += 1) {
        await cycle(url, await signedIn(url, `Newcomer ${n}`), n % 2 === 0 ? "clean" : "torn", { send: false });
        await pause(100);
      }
    })();
    await runCycles(url, users, CYCLES);
    await newcomers;
    const cyclesMs = Date.now() - runStartedAt;
    const cpuAfterCycles = await serverCpuMs(inspector);
    const messages = await runMessages(url, users, MESSAGES);
    const cpuAfterMessages = await serverCpuMs(inspector);
    await sampler.stop();

    // ── Everyone gone. The recovery buffer is a time-bounded cache (30 s window, swept once a minute).
    const runEndedAt = Date.now();
    const gone = await idle(inspector, "after the run");
    const heapWithBuffer = await heapAfterGc(inspector);
    if (SCALE > 1) {
      // By hand there is time to watch socket.io-adapter empty it by itself.
      await waitFor(async () => (await recoveryBufferSize(inspector as Inspector)) === 0, "the recovery buffer swept", RECOVERY_WINDOW_MS + RECOVERY_SWEEP_MS + 10_000);
    } else {
      // CI cannot wait up to 90 s: it empties the buffer as the sweep will, then judges the rest.
      await sweepRecoveryBuffer(inspector);
    }
    const after = await probe(inspector);

    const handles = (p: Probe) => Object.values(p.resources).reduce((sum, n) => sum + n, 0);
    const changed = (name: string, from: number, to: number) => `${name} ${from}→${to}`;
    const counts = Object.keys({ ...baseline.counts, ...after.counts })
      .sort()
      .map((name) => changed(name, baseline.counts[name] ?? 0, after.counts[name] ?? 0))
      .join(", ");
    const delta = after.heapUsed - baseline.heapUsed;
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    console.info(
      `reliability memory (${TEST_POSTGRES_URL ? "PostgreSQL" : "SQLite"}, ×${SCALE}): ${CYCLES} cycles and ${NEWCOMERS} newcomers in ${seconds(cyclesMs)} (server CPU ${seconds(cpuAfterCycles - cpuAtStart)}), ` +
        `${messages.sent} messages (${messages.delivered} deliveries) in ${seconds(messages.ms)} (server CPU ${seconds(cpuAfterMessages - cpuAfterCycles)}); ` +
        `heap after GC: baseline ${mb(baseline.heapUsed)}, peak ${mb(sampler.peak())} (no GC), after ${mb(after.heapUsed)} (${delta >= 0 ? "+" : ""}${mb(delta)}); ` +
        `recovery buffer at the end ${gone.recovery.sessions} sessions + ${gone.recovery.packets} packets, oldest ${seconds(gone.recovery.oldestMs)}, heap with it ${mb(heapWithBuffer)}; ` +
        `sockets ${after.sockets}, rooms ${baseline.rooms}→${after.rooms}, handles ${handles(baseline)}→${handles(after)} ${JSON.stringify(after.resources)}, ` +
        `timers ${baseline.timers}→${after.timers} (limiter keys ${limiterKeys(baseline)}→${limiterKeys(after)}), emitters ${baseline.emitters}→${after.emitters}, listeners ${baseline.listeners}→${after.listeners}, ` +
        `maps ${baseline.maps.count}→${after.maps.count} with ${baseline.maps.entries}→${after.maps.entries} entries, sets ${baseline.sets.count}→${after.sets.count} with ${baseline.sets.entries}→${after.sets.entries}, ` +
        `promises ${baseline.promises}→${after.promises}; ${counts}; ${seconds(Date.now() - startedAt)} in all (server CPU ${seconds(await serverCpuMs(inspector))}): start and setup ${seconds(setupDoneAt - startedAt)}, warm-up ${seconds(warmedUpAt - setupDoneAt)}, baseline probe ${seconds(runStartedAt - warmedUpAt)}, run ${seconds(runEndedAt - runStartedAt)}, idle and final probe ${seconds(Date.now() - runEndedAt)}`,
    );

    expect(messages.delivered).toBe(messages.expected);
    expect(gone.recovery.oldestMs, "no recovery entry older than the window plus one sweep").toBeLessThanOrEqual(RECOVERY_WINDOW_MS + RECOVERY_SWEEP_MS);
    expect(after).toMatchObject({ sockets: 0, engineClients: 0, httpConnections: 0, sids: 0, rooms: baseline.rooms });
    // Module-level state: exactly as before, but for the time-bounded limiter keys (one sign-in key per newcomer, at most).
    const stable = (p: Probe) => Object.fromEntries(Object.entries(p.counts).filter(([name]) => !name.startsWith("limiter.") && name !== "db.statements"));
    expect(stable(after)).toEqual(stable(baseline));
    expect(cachedStatements(after)).toBeLessThanOrEqual(MAX_CACHED_STATEMENTS);
    expect(after.counts["limiter.auth"] ?? 0).toBeLessThanOrEqual((baseline.counts["limiter.auth"] ?? 0) + NEWCOMERS);
    // Whole-heap counts; each limiter key is one map entry and one timer.
    const near = (what: keyof typeof SLACK, from: number, to: number) => expect(Math.abs(to - from), `${what}: ${from} → ${to}`).toBeLessThanOrEqual(SLACK[what]);
    near("handles", handles(baseline), handles(after));
    near("timers", baseline.timers - limiterKeys(baseline), after.timers - limiterKeys(after));
    near("emitters", baseline.emitters, after.emitters);
    near("listeners", baseline.listeners, after.listeners);
    near("promises", baseline.promises, after.promises);
    near("maps", baseline.maps.count, after.maps.count);
    near("maps", baseline.maps.entries - limiterKeys(baseline) - cachedStatements(baseline), after.maps.entries - limiterKeys(after) - cachedStatements(after));
    near("sets", baseline.sets.count, after.sets.count);
    near("sets", baseline.sets.entries, after.sets.entries);
    expect(delta, `heap after GC ${mb(after.heapUsed)} against the baseline ${mb(baseline.heapUsed)}`).toBeLessThanOrEqual(HEAP_ALLOWANCE_BYTES);
  }, 600_000 * SCALE);
});

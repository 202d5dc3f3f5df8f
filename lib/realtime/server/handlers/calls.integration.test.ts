// Calls against the real server: every transition of the state machine, the ring timeout, busy,
// an offline callee, multi-device answer, decline, cancel, hang-up by either side, a side that
// drops (and one that comes back in time), every relay that must be refused, history paging and
// ICE configuration. Real HTTP sessions, real sockets, the real database; short timers.
import { createHmac } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { CALL_HISTORY_PAGE_SIZE, CALL_SDP_MAX_LENGTH, type CallDto, type CallKind } from "@/lib/realtime/protocol";
import type { AppClientSocket } from "@/test/support/clients";
import { createTempDir, removeTempDir, startServer, type TestServer } from "@/test/support/server";
import { barrier, CHAT_SERVER_ENV, failure, nextMatching, ok, openDb, type Person, person, record } from "./chat-test-support";

const RING_MS = 1_500;
const GRACE_MS = 1_000;
const TURN_SECRET = "integration-turn-secret";

let server: TestServer;
let db: ReturnType<typeof openDb>;

beforeAll(async () => {
  server = await startServer({
    env: {
      ...CHAT_SERVER_ENV,
      CALL_RING_TIMEOUT_MS: String(RING_MS),
      CALL_RECONNECT_GRACE_MS: String(GRACE_MS),
      ICE_SERVERS: JSON.stringify([{ urls: "stun:stun.example.org:3478" }]),
      TURN_URLS: "turn:turn.example.org:3478",
      TURN_SECRET,
    },
  });
  db = openDb(server);
});

afterAll(async () => {
  await db?.close();
  await server?.stop();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function befriend(a: Person, b: Person): Promise<void> {
  const request = await ok(a.socket, "contacts:request", { userId: b.id });
  await ok(b.socket, "contacts:respond", { requestId: request.id, accept: true });
}

async function contacts(): Promise<[Person, Person]> {
  const alice = await person(server, "Alice");
  const bob = await person(server, "Bob");
  await befriend(alice, bob);
  return [alice, bob];
}

const ended = (socket: AppClientSocket, callId: string) => nextMatching(socket, "call:ended", (event) => event.call.id === callId);
const lineIn = (socket: AppClientSocket, conversationId: string, body: string) =>
  nextMatching(socket, "chat:message-created", (message) => message.conversationId === conversationId && message.kind === "system" && message.body === body);

/** Alice calls Bob; resolves once Bob's device rings. */
async function ring(caller: Person, callee: Person, kind: CallKind = "audio", calleeSocket = callee.socket): Promise<CallDto> {
  const incoming = nextMatching(calleeSocket, "call:incoming");
  const call = await ok(caller.socket, "call:start", { calleeId: callee.id, kind });
  expect((await incoming).call).toEqual(call);
  return call;
}

/** A ringing call answered by `calleeSocket`; resolves once the caller heard of it. */
async function answer(caller: Person, call: CallDto, calleeSocket: AppClientSocket): Promise<CallDto> {
  const heard = nextMatching(caller.socket, "call:accepted", (event) => event.call.id === call.id);
  const active = await ok(calleeSocket, "call:accept", { callId: call.id, withVideo: call.kind === "video" });
  expect((await heard).call).toEqual(active);
  return active;
}

type CallRow = { status: string; outcome: string | null; endReason: string | null; durationSeconds: number; answeredAt: unknown; endedAt: unknown; conversationId: string | null };
const rowOf = (callId: string) => db.get<CallRow | undefined>(`SELECT * FROM "Call" WHERE "id" = ?`, callId);

const OFFER = { type: "offer", sdp: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n" } as const;
const CANDIDATE = { type: "candidate", candidate: { candidate: "candidate:1 1 udp 2122260223 192.0.2.1 54400 typ host", sdpMid: "0", sdpMLineIndex: 0 } } as const;

describe("ringing → active → ended", () => {
  it("rings every device of the callee, connects, relays signaling and media state between the two devices, completes with a duration", async () => {
    const [alice, bob] = await contacts();
    const watcher = await person(server, "Watcher");
    await befriend(watcher, bob);
    const bobSecond = await bob.connect();
    const secondRings = nextMatching(bobSecond, "call:incoming");

    const call = await ring(alice, bob, "video");
    expect(call).toMatchObject({ kind: "video", status: "ringing", outcome: null, caller: { id: alice.id, name: "Alice" }, callee: { id: bob.id, name: "Bob" } });
    expect(call.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(call.conversationId).toEqual(expect.any(String)); // contacts without a chat get one for the call's line
    expect((await secondRings).call.id).toBe(call.id);
    expect(await rowOf(call.id)).toMatchObject({ status: "ringing", outcome: null });
    expect(await ok(bob.socket, "call:current", {})).toEqual({ call, onThisDevice: false });

    const inCall = nextMatching(watcher.socket, "presence:changed", (presence) => presence.userId === bob.id && presence.inCall);
    const active = await answer(alice, call, bob.socket);
    expect(active).toMatchObject({ status: "active", answeredAt: expect.any(String) });
    expect(await inCall).toMatchObject({ status: "online", inCall: true });
    expect(await rowOf(call.id)).toMatchObject({ status: "active" });

    // Offer from the caller reaches only the answering device; answer and candidates flow back.
    const bobSignals = record(bob.socket, "call:signal");
    const secondSignals = record(bobSecond, "call:signal");
    const offer = nextMatching(bob.socket, "call:signal");
    expect(await ok(alice.socket, "call:signal", { callId: call.id, signal: OFFER })).toEqual({ relayed: true });
    expect(await offer).toEqual({ callId: call.id, signal: OFFER });
    const answerSignal = { type: "answer", sdp: "v=0\r\n" } as const;
    const aliceGets = nextMatching(alice.socket, "call:signal", (event) => event.signal.type === "answer");
    await ok(bob.socket, "call:signal", { callId: call.id, signal: answerSignal });
    expect(await aliceGets).toEqual({ callId: call.id, signal: answerSignal });
    await ok(alice.socket, "call:signal", { callId: call.id, signal: CANDIDATE });
    const muted = nextMatching(alice.socket, "call:peer-media");
    await ok(bob.socket, "call:media-state", { callId: call.id, audioMuted: true, videoOff: false });
    expect(await muted).toEqual({ callId: call.id, audioMuted: true, videoOff: false });
    await barrier(bob.socket);
    await barrier(bobSecond);
    expect(bobSignals.map((event) => event.signal.type)).toEqual(["offer", "candidate"]);
    expect(secondSignals).toEqual([]);

    await pause(1_100);
    const aliceHears = ended(alice.socket, call.id);
    const bobHears = ended(bob.socket, call.id);
    const secondHears = ended(bobSecond, call.id);
    const line = lineIn(alice.socket, call.conversationId ?? "", "Video call · 0:01");
    const notInCall = nextMatching(watcher.socket, "presence:changed", (presence) => presence.userId === bob.id && !presence.inCall);
    const done = await ok(alice.socket, "call:hangup", { callId: call.id });
    expect(done).toMatchObject({ status: "ended", outcome: "completed", endReason: "hangup", durationSeconds: 1 });
    for (const heard of await Promise.all([aliceHears, bobHears, secondHears])) expect(heard.call).toEqual(done);
    expect((await line).authorId).toBe(alice.id);
    await notInCall;
    expect(await rowOf(call.id)).toMatchObject({ status: "ended", outcome: "completed", endReason: "hangup", durationSeconds: 1 });
    expect(await ok(alice.socket, "call:current", {})).toEqual({ call: null, onThisDevice: false });
  });

  it("the callee can hang up an active call too", async () => {
    const [alice, bob] = await contacts();
    const call = await ring(alice, bob);
    await answer(alice, call, bob.socket);
    const aliceHears = ended(alice.socket, call.id);
    const done = await ok(bob.socket, "call:hangup", { callId: call.id });
    expect(done).toMatchObject({ outcome: "completed", endReason: "hangup", durationSeconds: 0 });
    expect((await aliceHears).call).toEqual(done);
    expect(await failure(bob.socket, "call:hangup", { callId: call.id })).toBe("CONFLICT");
  });

  it("a side that cannot recover media hangs up as failed: both sides and the history say so", async () => {
    const [alice, bob] = await contacts();
    const call = await ring(alice, bob);
    await answer(alice, call, bob.socket);
    const bobHears = ended(bob.socket, call.id);
    const done = await ok(alice.socket, "call:hangup", { callId: call.id, failed: true });
    expect(done).toMatchObject({ outcome: "failed", endReason: "failed" });
    expect((await bobHears).call).toEqual(done);
    const history = await ok(bob.socket, "call:history", {});
    expect(history.items[0]).toMatchObject({ id: call.id, outcome: "failed", direction: "incoming" });
  });
});

describe("ending before an answer", () => {
  it("nobody answers within the ring timeout: missed for both, a notification for the callee and a line in their chat", async () => {
    const [alice, bob] = await contacts();
    await ok(bob.socket, "notifications:clear", {}); // the contact request
    const call = await ring(alice, bob, "video");
    const conversationId = call.conversationId ?? "";
    const aliceHears = ended(alice.socket, call.id);
    const bobHears = ended(bob.socket, call.id);
    const notified = nextMatching(bob.socket, "notification:upserted", (event) => event.notification.kind === "missed_call");
    const line = lineIn(bob.socket, conversationId, "Missed video call");
    const startedAt = Date.now();
    const missed = (await aliceHears).call;
    expect(Date.now() - startedAt).toBeGreaterThan(RING_MS - 300);
    expect(missed).toMatchObject({ status: "ended", outcome: "missed", endReason: "timeout", durationSeconds: 0 });
    expect((await bobHears).call).toEqual(missed);
    const message = await line;
    const { notification, unreadCount } = await notified;
    expect(notification).toMatchObject({ kind: "missed_call", conversationId, messageId: message.id, seq: message.seq, actor: { id: alice.id }, preview: "Missed video call" });
    expect(unreadCount).toBe(1);
    expect(await db.count(`SELECT COUNT(*) AS n FROM "Notification" WHERE "userId" = ? AND "kind" = 'missed_call'`, alice.id)).toBe(0);
    expect(await rowOf(call.id)).toMatchObject({ status: "ended", outcome: "missed", endReason: "timeout" });
    expect(await failure(bob.socket, "call:accept", { callId: call.id, withVideo: true })).toBe("CONFLICT");
  });

  it("declined by the callee (only the callee may decline)", async () => {
    const [alice, bob] = await contacts();
    const call = await ring(alice, bob);
    expect(await failure(alice.socket, "call:decline", { callId: call.id })).toBe("FORBIDDEN");
    expect(await failure(alice.socket, "call:accept", { callId: call.id, withVideo: false })).toBe("FORBIDDEN");
    const aliceHears = ended(alice.socket, call.id);
    const line = lineIn(alice.socket, call.conversationId ?? "", "Declined audio call");
    const done = await ok(bob.socket, "call:decline", { callId: call.id });
    expect(done).toMatchObject({ outcome: "declined", endReason: "declined" });
    expect((await aliceHears).call).toEqual(done);
    await line;
    expect(await rowOf(call.id)).toMatchObject({ outcome: "declined" });
  });

  it("cancelled by the caller while ringing: every device of the callee stops ringing", async () => {
    const [alice, bob] = await contacts();
    const bobSecond = await bob.connect();
    const call = await ring(alice, bob);
    const hears = [ended(bob.socket, call.id), ended(bobSecond, call.id)];
    const line = lineIn(bob.socket, call.conversationId ?? "", "Cancelled audio call");
    const done = await ok(alice.socket, "call:hangup", { callId: call.id });
    expect(done).toMatchObject({ outcome: "cancelled", endReason: "cancelled" });
    for (const heard of await Promise.all(hears)) expect(heard.call).toEqual(done);
    await line;
    expect(await db.count(`SELECT COUNT(*) AS n FROM "Notification" WHERE "userId" = ? AND "kind" = 'missed_call'`, bob.id)).toBe(0);
  });

  it("a callee already in a call is busy: the new call ends at once and is stored; a caller in a call cannot start another", async () => {
    const [alice, bob] = await contacts();
    const carol = await person(server, "Carol");
    await befriend(carol, bob);
    await befriend(carol, alice);
    const call = await ring(alice, bob);
    const bobIncoming = record(bob.socket, "call:incoming");
    const busy = await ok(carol.socket, "call:start", { calleeId: bob.id, kind: "video" });
    expect(busy).toMatchObject({ status: "ended", outcome: "busy", endReason: "busy", callee: { id: bob.id } });
    expect(await rowOf(busy.id)).toMatchObject({ status: "ended", outcome: "busy" });
    // Calling the caller of a ringing call is busy too.
    expect(await ok(carol.socket, "call:start", { calleeId: alice.id, kind: "audio" })).toMatchObject({ outcome: "busy" });
    expect(await failure(alice.socket, "call:start", { calleeId: carol.id, kind: "audio" })).toBe("CONFLICT");
    await barrier(bob.socket);
    expect(bobIncoming).toEqual([]);
    // Active calls are busy as well.
    await answer(alice, call, bob.socket);
    expect(await ok(carol.socket, "call:start", { calleeId: bob.id, kind: "audio" })).toMatchObject({ outcome: "busy" });
    await ok(alice.socket, "call:hangup", { callId: call.id });
    await ring(carol, bob);
  });

  it("a callee with no open device: missed (offline) at once, stored, notified and written in the chat", async () => {
    const [alice, bob] = await contacts();
    bob.socket.disconnect();
    await pause(100);
    // Listening before the request: the line can reach the client in the same read as the ack.
    const line = nextMatching(alice.socket, "chat:message-created", (message) => message.kind === "system" && message.body === "Missed audio call");
    const call = await ok(alice.socket, "call:start", { calleeId: bob.id, kind: "audio" });
    expect(call).toMatchObject({ status: "ended", outcome: "missed", endReason: "offline" });
    expect((await line).conversationId).toBe(call.conversationId);
    await expect.poll(() => db.count(`SELECT COUNT(*) AS n FROM "Notification" WHERE "userId" = ? AND "kind" = 'missed_call'`, bob.id)).toBe(1);
    expect(await rowOf(call.id)).toMatchObject({ outcome: "missed", endReason: "offline" });
  });
});

describe("multi-device", () => {
  it("the first device to accept wins; the other gets CONFLICT, hears answered-elsewhere and cannot signal", async () => {
    const [alice, bob] = await contacts();
    const phone = await bob.connect();
    const call = await ring(alice, bob);
    const elsewhere = nextMatching(bob.socket, "call:answered-elsewhere");
    const phoneElsewhere = record(phone, "call:answered-elsewhere");
    const phoneAccepted = nextMatching(phone, "call:accepted");
    const [first, second] = await Promise.all([
      ok(phone, "call:accept", { callId: call.id, withVideo: false }),
      (async () => {
        await pause(5);
        return failure(bob.socket, "call:accept", { callId: call.id, withVideo: false });
      })(),
    ]);
    expect(first.status).toBe("active");
    expect(second).toBe("CONFLICT");
    expect((await phoneAccepted).call.id).toBe(call.id);
    expect(await elsewhere).toEqual({ callId: call.id });
    await barrier(phone);
    expect(phoneElsewhere).toEqual([]);
    expect(await failure(bob.socket, "call:signal", { callId: call.id, signal: OFFER })).toBe("FORBIDDEN");
    // The other tab learns of the call but does not take it over.
    expect(await ok(bob.socket, "call:current", {})).toMatchObject({ call: { id: call.id, status: "active" }, onThisDevice: false });
    const phoneGets = nextMatching(phone, "call:signal");
    await ok(alice.socket, "call:signal", { callId: call.id, signal: OFFER });
    expect((await phoneGets).signal).toEqual(OFFER);
  });
});

describe("a side that drops", () => {
  it("the callee's answering socket goes away: after the grace period the call fails for both", async () => {
    const [alice, bob] = await contacts();
    const other = await bob.connect();
    const call = await ring(alice, bob);
    await answer(alice, call, bob.socket);
    const aliceHears = ended(alice.socket, call.id);
    const otherHears = ended(other, call.id);
    const droppedAt = Date.now();
    bob.socket.disconnect();
    const failed = (await aliceHears).call;
    expect(Date.now() - droppedAt).toBeGreaterThan(GRACE_MS - 300);
    expect(failed).toMatchObject({ outcome: "failed", endReason: "disconnected" });
    expect((await otherHears).call).toEqual(failed);
    expect(await rowOf(call.id)).toMatchObject({ outcome: "failed", endReason: "disconnected" });
  });

  it("a socket that comes back within the grace period re-binds with call:current and keeps the call", async () => {
    const [alice, bob] = await contacts();
    const call = await ring(alice, bob);
    await answer(alice, call, bob.socket);
    const aliceEnded = record(alice.socket, "call:ended");
    bob.socket.disconnect();
    await pause(200);
    expect(await failure(alice.socket, "call:signal", { callId: call.id, signal: CANDIDATE })).toBe("UNAVAILABLE");
    const back = await bob.connect();
    expect(await ok(back, "call:current", {})).toMatchObject({ call: { id: call.id, status: "active" }, onThisDevice: true });
    await pause(GRACE_MS + 300);
    await barrier(alice.socket);
    expect(aliceEnded).toEqual([]);
    // ICE restart over the new socket.
    const restart = { type: "offer", sdp: "v=0\r\n", iceRestart: true } as const;
    const aliceGets = nextMatching(alice.socket, "call:signal");
    await ok(back, "call:signal", { callId: call.id, signal: restart });
    expect((await aliceGets).signal).toEqual(restart);
    const bobGets = nextMatching(back, "call:signal");
    await ok(alice.socket, "call:signal", { callId: call.id, signal: CANDIDATE });
    expect((await bobGets).signal).toEqual(CANDIDATE);
  });

  it("the caller's socket goes away while ringing: cancelled (disconnected) after the grace period", async () => {
    const [alice, bob] = await contacts();
    const call = await ring(alice, bob);
    const bobHears = ended(bob.socket, call.id);
    alice.socket.disconnect();
    expect((await bobHears).call).toMatchObject({ outcome: "cancelled", endReason: "disconnected" });
  });
});

describe("refused relays and requests", () => {
  it("nobody can call a stranger, someone blocked (either way) or themselves; a refused callee looks unknown", async () => {
    const [alice, bob] = await contacts();
    const stranger = await person(server, "Stranger");
    // Like an id of nobody (NOT_FOUND, same message): a refusal tells neither that the id is a person nor that a block exists.
    expect(await failure(alice.socket, "call:start", { calleeId: stranger.id, kind: "audio" })).toBe("NOT_FOUND");
    expect(await failure(stranger.socket, "call:start", { calleeId: alice.id, kind: "audio" })).toBe("NOT_FOUND");
    expect(await failure(alice.socket, "call:start", { calleeId: alice.id, kind: "audio" })).toBe("FORBIDDEN");
    expect(await failure(alice.socket, "call:start", { calleeId: "no-such-user", kind: "audio" })).toBe("NOT_FOUND");
    expect(await failure(alice.socket, "call:start", { calleeId: bob.id, kind: "screen" })).toBe("INVALID_PAYLOAD");
    await ok(bob.socket, "contacts:block", { userId: alice.id });
    expect(await failure(alice.socket, "call:start", { calleeId: bob.id, kind: "audio" })).toBe("NOT_FOUND");
    expect(await failure(bob.socket, "call:start", { calleeId: alice.id, kind: "audio" })).toBe("NOT_FOUND");
    expect(await db.count(`SELECT COUNT(*) AS n FROM "Call" WHERE "callerId" IN (?, ?, ?)`, alice.id, bob.id, stranger.id)).toBe(0);
  });

  it("the other member of a direct chat may be called without being a contact", async () => {
    const alice = await person(server, "Alice");
    const dan = await person(server, "Dan");
    const chat = await ok(alice.socket, "conversation:open-direct", { userId: dan.id });
    const call = await ring(alice, dan);
    expect(call.conversationId).toBe(chat.id);
  });

  it("signals and media state go nowhere for a stranger, an unknown id, an unanswered call, an ended one, an oversize SDP", async () => {
    const [alice, bob] = await contacts();
    const mallory = await person(server, "Mallory");
    const call = await ring(alice, bob);
    const bobSignals = record(bob.socket, "call:signal");
    const aliceSignals = record(alice.socket, "call:signal");
    const bobMedia = record(bob.socket, "call:peer-media");

    // Before the answer: nothing is relayed, in either direction.
    expect(await failure(alice.socket, "call:signal", { callId: call.id, signal: OFFER })).toBe("CONFLICT");
    expect(await failure(bob.socket, "call:signal", { callId: call.id, signal: CANDIDATE })).toBe("CONFLICT");
    expect(await failure(alice.socket, "call:media-state", { callId: call.id, audioMuted: true, videoOff: true })).toBe("CONFLICT");
    // Someone else's call id looks exactly like an unknown one.
    expect(await failure(mallory.socket, "call:signal", { callId: call.id, signal: OFFER })).toBe("NOT_FOUND");
    expect(await failure(mallory.socket, "call:media-state", { callId: call.id, audioMuted: true, videoOff: true })).toBe("NOT_FOUND");
    expect(await failure(mallory.socket, "call:accept", { callId: call.id, withVideo: false })).toBe("NOT_FOUND");
    expect(await failure(mallory.socket, "call:hangup", { callId: call.id })).toBe("NOT_FOUND");
    expect(await failure(mallory.socket, "call:decline", { callId: call.id })).toBe("NOT_FOUND");
    expect(await failure(alice.socket, "call:signal", { callId: "AAAAAAAAAAAAAAAAAAAAAA", signal: OFFER })).toBe("NOT_FOUND");

    await answer(alice, call, bob.socket);
    expect(await failure(mallory.socket, "call:signal", { callId: call.id, signal: OFFER })).toBe("NOT_FOUND");
    const oversize = { type: "offer", sdp: "x".repeat(CALL_SDP_MAX_LENGTH + 1) };
    expect(await failure(alice.socket, "call:signal", { callId: call.id, signal: oversize })).toBe("INVALID_PAYLOAD");
    expect(await failure(alice.socket, "call:signal", { callId: call.id, signal: { type: "renegotiate", sdp: "v=0" } })).toBe("INVALID_PAYLOAD");
    expect(await failure(alice.socket, "call:signal", { callId: call.id, signal: { ...OFFER, extra: 1 } })).toBe("INVALID_PAYLOAD");

    await ok(alice.socket, "call:hangup", { callId: call.id });
    expect(await failure(alice.socket, "call:signal", { callId: call.id, signal: OFFER })).toBe("CONFLICT");
    expect(await failure(bob.socket, "call:media-state", { callId: call.id, audioMuted: false, videoOff: false })).toBe("CONFLICT");
    expect(await failure(mallory.socket, "call:signal", { callId: call.id, signal: OFFER })).toBe("NOT_FOUND");

    await barrier(bob.socket);
    await barrier(alice.socket);
    expect(bobSignals).toEqual([]);
    expect(aliceSignals).toEqual([]);
    expect(bobMedia).toEqual([]);
  });

  it("a block ends a live call at once; nothing is relayed after it", async () => {
    const [alice, bob] = await contacts();
    const call = await ring(alice, bob);
    await answer(alice, call, bob.socket);
    const aliceHears = ended(alice.socket, call.id);
    await ok(bob.socket, "contacts:block", { userId: alice.id });
    expect((await aliceHears).call).toMatchObject({ outcome: "completed", endReason: "hangup" });
    const bobSignals = record(bob.socket, "call:signal");
    expect(await failure(alice.socket, "call:signal", { callId: call.id, signal: OFFER })).toBe("CONFLICT");
    await barrier(bob.socket);
    expect(bobSignals).toEqual([]);
  });
});

describe("history", () => {
  it("newest first, keyset pages, direction relative to the caller, filter by person", async () => {
    const [alice, bob] = await contacts();
    const carol = await person(server, "Carol");
    await befriend(alice, carol);
    carol.socket.disconnect(); // offline: each call ends at once
    await pause(100);
    const toCarol: CallDto[] = [];
    for (let index = 0; index < CALL_HISTORY_PAGE_SIZE; index += 1) toCarol.push(await ok(alice.socket, "call:start", { calleeId: carol.id, kind: "audio" }));
    const fromBob = await ring(bob, alice, "video");
    await ok(alice.socket, "call:decline", { callId: fromBob.id });

    const first = await ok(alice.socket, "call:history", {});
    expect(first.items).toHaveLength(CALL_HISTORY_PAGE_SIZE);
    expect(first.hasMore).toBe(true);
    expect(first.items[0]).toMatchObject({ id: fromBob.id, direction: "incoming", outcome: "declined", kind: "video", caller: { id: bob.id } });
    expect(first.items[1]).toMatchObject({ id: toCarol.at(-1)?.id, direction: "outgoing", outcome: "missed" });
    const second = await ok(alice.socket, "call:history", { before: first.items.at(-1)?.cursor ?? null });
    expect(second.hasMore).toBe(false);
    const all = [...first.items, ...second.items].map((item) => item.id);
    expect(all).toEqual([fromBob.id, ...toCarol.map((call) => call.id).reverse()]);

    const withBob = await ok(alice.socket, "call:history", { withUserId: bob.id });
    expect(withBob).toMatchObject({ hasMore: false, items: [{ id: fromBob.id, direction: "incoming" }] });
    const bobs = await ok(bob.socket, "call:history", {});
    expect(bobs.items.map((item) => [item.id, item.direction])).toEqual([[fromBob.id, "outgoing"]]);
    const carolSocket = await carol.connect();
    const carols = await ok(carolSocket, "call:history", { withUserId: alice.id });
    expect(carols.items.every((item) => item.direction === "incoming")).toBe(true);

    expect(await failure(alice.socket, "call:history", { before: "not-a-cursor" })).toBe("INVALID_PAYLOAD");
    expect((await ok(bob.socket, "call:history", { withUserId: carol.id })).items).toEqual([]);
  });
});

describe("ICE configuration", () => {
  it("static servers plus TURN with a credential valid for an hour, bound to the user", async () => {
    const alice = await person(server, "Alice");
    const before = Math.floor(Date.now() / 1000);
    const { iceServers } = await ok(alice.socket, "call:ice-config", {});
    expect(iceServers[0]).toEqual({ urls: ["stun:stun.example.org:3478"] });
    const turn = iceServers[1];
    expect(turn?.urls).toEqual(["turn:turn.example.org:3478"]);
    const [expiry = "", userId] = (turn?.username ?? "").split(":");
    expect(userId).toBe(alice.id);
    expect(Number(expiry) - before).toBeGreaterThanOrEqual(3_599);
    expect(Number(expiry) - before).toBeLessThanOrEqual(3_601);
    expect(turn?.credential).toBe(createHmac("sha1", TURN_SECRET).update(turn?.username ?? "").digest("base64"));
    expect(await failure(alice.socket, "call:ice-config", { extra: true })).toBe("INVALID_PAYLOAD");
  });
});

describe("restart", () => {
  it("calls a stopped process left ringing or active are closed as failed when the next one starts", async () => {
    const dataDir = createTempDir();
    const env = { ...CHAT_SERVER_ENV, DATA_DIR: dataDir, CALL_RECONNECT_GRACE_MS: "60000", CALL_RING_TIMEOUT_MS: "60000" };
    let first: TestServer | undefined = await startServer({ env });
    let second: TestServer | undefined;
    try {
      const [alice, bob, carol] = await Promise.all([person(first, "Alice"), person(first, "Bob"), person(first, "Carol")]);
      const dan = await person(first, "Dan");
      await befriend(alice, bob);
      await befriend(carol, dan);
      const active = await ring(alice, bob);
      await answer(alice, active, bob.socket);
      const ringing = await ring(carol, dan);
      const secret = first.secret;
      await first.stop();
      first = undefined;
      second = await startServer({ env: { ...env, AUTH_SECRET: secret } });
      const restartedDb = openDb(second);
      try {
        await expect.poll(async () => (await restartedDb.get<CallRow>(`SELECT * FROM "Call" WHERE "id" = ?`, active.id)).status).toBe("ended");
        expect(await restartedDb.get<CallRow>(`SELECT * FROM "Call" WHERE "id" = ?`, active.id)).toMatchObject({ outcome: "failed", endReason: "failed" });
        await expect.poll(async () => (await restartedDb.get<CallRow>(`SELECT * FROM "Call" WHERE "id" = ?`, ringing.id)).outcome).toBe("failed");
      } finally {
        await restartedDb.close();
      }
    } finally {
      await first?.stop();
      await second?.stop();
      removeTempDir(dataDir);
    }
  });
});

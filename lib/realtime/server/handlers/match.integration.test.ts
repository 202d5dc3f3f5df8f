// Match against the real server: joining and leaving, positions pushed only to those who moved,
// pairing by language and mood (and nobody twice, with a hundred and one joining at once), the
// answered audio call each side gets, skip, rate / report / block and their checks, blocks from
// a match and from the app, regular calls taking people out of the queue, administrators' report
// list, and relaxation after the wait (a second server with a short MATCH_RELAX_AFTER_MS).
// Every test uses its own language, so people left waiting by one test never meet the next.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import {
  type CallDto,
  MATCH_PEER_ID,
  MATCH_REPORTS_PAGE_SIZE,
  type MatchDto,
  type MatchLanguage,
  type MatchMood,
  type MatchStatusDto,
} from "@/lib/realtime/protocol";
import type { AppClientSocket } from "@/test/support/clients";
import { startServer, type TestServer } from "@/test/support/server";
import { barrier, CHAT_SERVER_ENV, failure, nextMatching, ok, openDb, type Person, person, record } from "./chat-test-support";

let server: TestServer;
let db: ReturnType<typeof openDb>;
let admin: Person;

beforeAll(async () => {
  server = await startServer({ env: CHAT_SERVER_ENV });
  db = openDb(server);
  admin = await person(server, "Admin"); // the first account administers the instance
});

afterAll(async () => {
  await db?.close();
  await server?.stop();
});

type Found = { match: MatchDto; call: CallDto };

const join = (socket: AppClientSocket, mood: MatchMood, language: MatchLanguage, topic?: string): Promise<MatchStatusDto> =>
  ok(socket, "match:join", { mood, language, ...(topic !== undefined ? { topic } : {}) });

const found = (socket: AppClientSocket): Promise<Found> => nextMatching(socket, "match:found");

function queued(status: MatchStatusDto) {
  if (status.state !== "queued") throw new Error(`expected "queued", got ${JSON.stringify(status)}`);
  return status;
}

/** `first` waits, `second` joins and is matched at once; resolves with both sides' match:found. */
async function matchUp(first: Person, second: Person, language: MatchLanguage, moods: [MatchMood, MatchMood] = ["chill", "chill"]): Promise<[Found, Found]> {
  expect(await join(first.socket, moods[0], language)).toMatchObject({ state: "queued" });
  const firstFound = found(first.socket);
  const secondFound = found(second.socket);
  const answer = await join(second.socket, moods[1], language);
  const views = await Promise.all([firstFound, secondFound]);
  expect(answer).toEqual({ state: "matched", match: views[1].match });
  return views;
}

const ended = (socket: AppClientSocket, callId: string) => nextMatching(socket, "call:ended", (event) => event.call.id === callId);

async function people(count: number, prefix: string): Promise<Person[]> {
  const all: Person[] = [];
  // A few at a time: sign-ins hash passwords.
  for (let start = 0; start < count; start += 10) {
    all.push(...(await Promise.all(Array.from({ length: Math.min(10, count - start) }, (_, index) => person(server, `${prefix} ${start + index}`)))));
  }
  return all;
}

describe("queue and match", () => {
  it("queues, then pairs with a compatible newcomer: both get an answered audio call, the longer wait calls, each sees only aliases", async () => {
    const ana = await person(server, "Ana");
    const ben = await person(server, "Ben");
    const waiting = queued(await join(ana.socket, "chill", "en", "  Jazz  "));
    expect(waiting).toMatchObject({ position: 1, waiting: 1, estimateSeconds: null, relaxed: false, preferences: { mood: "chill", language: "en", topic: "Jazz" } });

    const anaFound = found(ana.socket);
    const benFound = found(ben.socket);
    const benAnswer = await join(ben.socket, "happy", "en");
    const [anaView, benView] = await Promise.all([anaFound, benFound]);
    expect(benAnswer).toEqual({ state: "matched", match: benView.match });
    expect(anaView.match).toMatchObject({ role: "caller", language: "en", self: { mood: "chill", topic: "Jazz" }, peer: { mood: "happy", topic: null }, endedAt: null, myRating: null, blocked: false, reported: false });
    expect(benView.match).toMatchObject({ id: anaView.match.id, callId: anaView.call.id, role: "callee", self: { alias: anaView.match.peer.alias }, peer: { alias: anaView.match.self.alias } });
    expect(anaView.match.self.alias).not.toBe(anaView.match.peer.alias);
    expect(anaView.match.self.alias).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/);

    expect(anaView.call).toMatchObject({ kind: "audio", status: "active", conversationId: null, answeredAt: expect.any(String) });
    expect(anaView.call.caller).toMatchObject({ id: ana.id, name: "Ana" });
    expect(anaView.call.callee).toEqual({ id: MATCH_PEER_ID, name: anaView.match.peer.alias, avatarColor: expect.any(String) });
    expect(anaView.call.match).toEqual({ matchId: anaView.match.id, selfAlias: anaView.match.self.alias, peerAlias: anaView.match.peer.alias });
    expect(benView.call.caller).toEqual({ id: MATCH_PEER_ID, name: benView.match.peer.alias, avatarColor: expect.stringMatching(/^#[0-9a-f]{6}$/i) });
    expect(benView.call.callee).toMatchObject({ id: ben.id, name: "Ben" });
    expect(benView.call.match).toEqual({ matchId: anaView.match.id, selfAlias: benView.match.self.alias, peerAlias: benView.match.peer.alias });

    // Stored for moderation with both accounts; the call row is the match's.
    expect(await db.get(`SELECT "userAId", "userBId", "callId", "language" FROM "Match" WHERE "id" = ?`, anaView.match.id)).toEqual({
      userAId: ana.id,
      userBId: ben.id,
      callId: anaView.call.id,
      language: "en",
    });
    expect(await db.get(`SELECT "matchId", "status", "kind", "callerId" FROM "Call" WHERE "id" = ?`, anaView.call.id)).toEqual({
      matchId: anaView.match.id,
      status: "active",
      kind: "audio",
      callerId: ana.id,
    });
    expect(await ok(ben.socket, "match:status", {})).toMatchObject({ state: "matched", match: { id: anaView.match.id, role: "callee" } });

    // Signaling flows at once, caller first.
    const offer = { type: "offer", sdp: "v=0\r\n" } as const;
    const benGets = nextMatching(ben.socket, "call:signal");
    await ok(ana.socket, "call:signal", { callId: anaView.call.id, signal: offer });
    expect(await benGets).toEqual({ callId: anaView.call.id, signal: offer });

    // Either side ends it; each side hears its own view; no chat line, no notification.
    const anaHears = ended(ana.socket, anaView.call.id);
    const done = await ok(ben.socket, "call:hangup", { callId: anaView.call.id });
    expect(done).toMatchObject({ status: "ended", outcome: "completed", endReason: "hangup", caller: { id: MATCH_PEER_ID }, callee: { id: ben.id } });
    expect((await anaHears).call).toMatchObject({ id: anaView.call.id, status: "ended", caller: { id: ana.id }, callee: { id: MATCH_PEER_ID } });
    expect(await db.count(`SELECT COUNT(*) AS n FROM "Message" WHERE "authorId" IN (?, ?)`, ana.id, ben.id)).toBe(0);
    expect(await db.count(`SELECT COUNT(*) AS n FROM "Notification" WHERE "userId" IN (?, ?)`, ana.id, ben.id)).toBe(0);
    expect(await ok(ana.socket, "match:status", {})).toEqual({ state: "idle" });

    // The waits feed the estimate for the language.
    const cleo = await person(server, "Cleo");
    expect(queued(await join(cleo.socket, "venting", "en")).estimateSeconds).toEqual(expect.any(Number));
    await ok(cleo.socket, "match:leave", {});
  });

  it("pushes positions only to those whose position changed (three moods that never pair, then the first leaves)", async () => {
    const [v, h, c] = await Promise.all([person(server, "V"), person(server, "H"), person(server, "C")]);
    const logs = [v, h, c].map((p) => record(p.socket, "match:queue"));
    expect(queued(await join(v.socket, "venting", "de")).position).toBe(1);
    expect(queued(await join(h.socket, "happy", "de")).position).toBe(2);
    expect(queued(await join(c.socket, "curious", "de"))).toMatchObject({ position: 3, waiting: 3 });
    await Promise.all([v, h, c].map((p) => barrier(p.socket)));
    expect(logs.map((log) => log.length)).toEqual([0, 0, 0]);

    expect(await ok(v.socket, "match:leave", {})).toEqual({ state: "idle" });
    await Promise.all([v, h, c].map((p) => barrier(p.socket)));
    expect(logs[0]).toEqual([]);
    expect(logs[1]?.map((status) => [status.position, status.waiting])).toEqual([[1, 2]]);
    expect(logs[2]?.map((status) => [status.position, status.waiting])).toEqual([[2, 2]]);

    // The last one leaving moves nobody; leaving twice is a no-op.
    await ok(c.socket, "match:leave", {});
    expect(await ok(c.socket, "match:leave", {})).toEqual({ state: "idle" });
    await barrier(h.socket);
    expect(logs[1]).toHaveLength(1);
    expect(await ok(c.socket, "match:status", {})).toEqual({ state: "idle" });
  });

  it("joining again changes preferences and keeps the place; a second tab replaces the first; the queued socket closing leaves", async () => {
    const [first, second] = await Promise.all([person(server, "First"), person(server, "Second")]);
    const firstJoined = queued(await join(first.socket, "venting", "fr"));
    const before = queued(await join(second.socket, "happy", "fr"));
    const changed = queued(await join(second.socket, "curious", "fr", "films"));
    expect(changed).toMatchObject({ position: 2, joinedAt: before.joinedAt, preferences: { mood: "curious", topic: "films" } });

    const secondTab = await second.connect();
    const replaced = nextMatching(second.socket, "match:left");
    const fromTab = queued(await join(secondTab, "curious", "fr", "films"));
    expect(fromTab).toMatchObject({ position: 2, joinedAt: before.joinedAt });
    expect(await replaced).toEqual({ reason: "replaced" });
    // The old tab closing changes nothing now; the first person's socket closing moves the second up.
    const oldTabQueue = record(second.socket, "match:queue");
    const moved = nextMatching(secondTab, "match:queue");
    first.socket.disconnect();
    expect(await moved).toMatchObject({ position: 1, waiting: 1, joinedAt: before.joinedAt });
    expect(firstJoined.position).toBe(1);
    await barrier(second.socket);
    expect(oldTabQueue).toEqual([]);
    expect(await ok(second.socket, "match:status", {})).toMatchObject({ state: "queued", position: 1 });

    // Leaving from another tab takes the user out; the tab that held the place hears it.
    const told = nextMatching(secondTab, "match:left");
    await ok(second.socket, "match:leave", {});
    expect(await told).toEqual({ reason: "left" });
    expect(await ok(secondTab, "match:status", {})).toEqual({ state: "idle" });
  });

  it("pairs a hundred and one people joining at once: every one at most once, disjoint pairs, exactly one left waiting", { timeout: 180_000 }, async () => {
    const crowd = await people(101, "Crowd");
    const events = crowd.map((p) => record(p.socket, "match:found"));
    const answers = await Promise.all(crowd.map((p) => join(p.socket, "playful", "it")));
    await Promise.all(crowd.map((p) => barrier(p.socket)));
    // Each answer is "queued" (a partner came later) or "matched" (one was waiting); a match's newcomer has both.
    const matchedAnswers = answers.flatMap((answer, index) => (answer.state === "matched" ? [[index, answer.match.id] as const] : []));
    expect(matchedAnswers).toHaveLength(50);
    for (const [index, matchId] of matchedAnswers) expect(events[index]?.[0]?.match.id).toBe(matchId);

    expect(events.every((log) => log.length <= 1)).toBe(true);
    const matchedIds = crowd.filter((_, index) => (events[index]?.length ?? 0) === 1).map((p) => p.id);
    expect(matchedIds).toHaveLength(100);
    const statuses = await Promise.all(crowd.map((p) => ok(p.socket, "match:status", {})));
    expect(statuses.filter((status) => status.state === "queued")).toHaveLength(1);
    // Every match has exactly two sides, one caller and one callee, each seen from its own socket.
    const byMatch = new Map<string, string[]>();
    crowd.forEach((p, index) => {
      const event = events[index]?.[0];
      if (event) byMatch.set(event.match.id, [...(byMatch.get(event.match.id) ?? []), `${p.id}:${event.match.role}`]);
    });
    expect(byMatch.size).toBe(50);
    for (const sides of byMatch.values()) expect(sides.map((side) => side.split(":")[1]).sort()).toEqual(["callee", "caller"]);
    const rows = await db.all<{ userAId: string; userBId: string }>(`SELECT "userAId", "userBId" FROM "Match" WHERE "language" = 'it'`);
    expect(rows).toHaveLength(50);
    expect(new Set(rows.flatMap((row) => [row.userAId, row.userBId])).size).toBe(100);
    const leftOver = crowd.find((_, index) => (events[index]?.length ?? 0) === 0);
    expect(await ok(leftOver?.socket as AppClientSocket, "match:status", {})).toMatchObject({ state: "queued", position: 1, waiting: 1 });
  });

  it("leave and skip: skip ends the call for both and puts the skipper back with the same preferences, not with the same person", async () => {
    const [ana, ben, cleo] = await Promise.all([person(server, "Ana"), person(server, "Ben"), person(server, "Cleo")]);
    expect(await ok(ana.socket, "match:leave", {})).toEqual({ state: "idle" });
    expect(await ok(ana.socket, "match:status", {})).toEqual({ state: "idle" });
    await join(ana.socket, "thoughtful", "pl", "Books");
    const benFound = found(ben.socket);
    const anaFound = found(ana.socket);
    await join(ben.socket, "thoughtful", "pl");
    const [anaView, benView] = await Promise.all([anaFound, benFound]);

    const benHears = ended(ben.socket, benView.call.id);
    const anaHears = ended(ana.socket, anaView.call.id);
    const skipped = queued(await ok(ana.socket, "match:skip", { matchId: anaView.match.id }));
    expect(skipped).toMatchObject({ position: 1, preferences: { mood: "thoughtful", language: "pl", topic: "Books" } });
    expect((await benHears).call).toMatchObject({ outcome: "completed", endReason: "hangup", caller: { id: MATCH_PEER_ID } });
    await anaHears;
    // Ben looks again at once: not the person who just skipped him.
    expect(queued(await join(ben.socket, "thoughtful", "pl"))).toMatchObject({ position: 2 });
    // A newcomer gets the longest wait: Ana.
    const anaAgain = found(ana.socket);
    const cleoAnswer = await join(cleo.socket, "thoughtful", "pl");
    expect(cleoAnswer).toMatchObject({ state: "matched", match: { role: "callee", peer: { topic: "Books" } } });
    expect((await anaAgain).match.role).toBe("caller");
    // Skipping someone else's match is not possible; skipping an ended one just joins again.
    expect(await failure(cleo.socket, "match:skip", { matchId: anaView.match.id })).toBe("NOT_FOUND");
  });

  it("joining in a call or a live match is CONFLICT; starting or accepting a regular call takes people out of the queue", async () => {
    const [alice, bob, carol, dan] = await Promise.all([person(server, "Alice"), person(server, "Bob"), person(server, "Carol"), person(server, "Dan")]);
    const befriend = async (a: Person, b: Person) => {
      const request = await ok(a.socket, "contacts:request", { userId: b.id });
      await ok(b.socket, "contacts:respond", { requestId: request.id, accept: true });
    };
    await befriend(alice, bob);
    await befriend(dan, bob);

    // Alice waits; Bob rings her. Ringing, she is skipped by pairing but keeps her place.
    await join(alice.socket, "chill", "nl");
    const incoming = nextMatching(alice.socket, "call:incoming");
    const call = await ok(bob.socket, "call:start", { calleeId: alice.id, kind: "audio" });
    await incoming;
    expect(await failure(bob.socket, "match:join", { mood: "chill", language: "nl" })).toBe("CONFLICT");
    expect(queued(await join(carol.socket, "chill", "nl")).position).toBe(2);
    // She answers: out of the queue, and Carol moves up.
    const aliceLeft = nextMatching(alice.socket, "match:left");
    const carolMoved = nextMatching(carol.socket, "match:queue");
    await ok(alice.socket, "call:accept", { callId: call.id, withVideo: false });
    expect(await aliceLeft).toEqual({ reason: "call-started" });
    expect(await carolMoved).toMatchObject({ position: 1 });
    expect(await failure(alice.socket, "match:join", { mood: "chill", language: "nl" })).toBe("CONFLICT");
    await ok(bob.socket, "call:hangup", { callId: call.id });

    // Now free, Alice gets Carol; a live match is CONFLICT for joining and for calling.
    const carolFound = found(carol.socket);
    expect(await join(alice.socket, "chill", "nl")).toMatchObject({ state: "matched", match: { role: "callee" } });
    const { call: matchCall } = await carolFound;
    expect(await failure(alice.socket, "match:join", { mood: "chill", language: "nl" })).toBe("CONFLICT");
    expect(await failure(carol.socket, "match:join", { mood: "happy", language: "nl" })).toBe("CONFLICT");
    expect(await failure(alice.socket, "call:start", { calleeId: bob.id, kind: "audio" })).toBe("CONFLICT");
    expect(await ok(bob.socket, "call:start", { calleeId: alice.id, kind: "audio" })).toMatchObject({ outcome: "busy" });
    // A match call never rings: accept and decline are not for it.
    expect(await failure(alice.socket, "call:accept", { callId: matchCall.id, withVideo: false })).toBe("CONFLICT");
    expect(await failure(carol.socket, "call:decline", { callId: matchCall.id })).toBe("FORBIDDEN");
    await ok(alice.socket, "call:hangup", { callId: matchCall.id });

    // Dan waits and starts a call himself: out of the queue.
    await join(dan.socket, "venting", "nl");
    const danLeft = nextMatching(dan.socket, "match:left");
    const danCall = await ok(dan.socket, "call:start", { calleeId: bob.id, kind: "audio" });
    expect(await danLeft).toEqual({ reason: "call-started" });
    expect(await ok(dan.socket, "match:status", {})).toEqual({ state: "idle" });
    await ok(dan.socket, "call:hangup", { callId: danCall.id });
  });
});

describe("after the call: rate, report, block", () => {
  it("checks everything: live calls, scores, lengths, strangers' and unknown ids; stores what each side did", async () => {
    const [ana, ben, mallory] = await Promise.all([person(server, "Ana"), person(server, "Ben"), person(server, "Mallory")]);
    const [anaView, benView] = await matchUp(ana, ben, "tr");
    const matchId = anaView.match.id;

    expect(await failure(ana.socket, "match:rate", { matchId, score: 5 })).toBe("CONFLICT");
    for (const bad of [{ matchId, score: 0 }, { matchId, score: 6 }, { matchId, score: 2.5 }, { matchId, score: 3, feedback: "x".repeat(501) }, { matchId, score: 3, extra: 1 }]) {
      expect(await failure(ana.socket, "match:rate", bad)).toBe("INVALID_PAYLOAD");
    }
    expect(await failure(ana.socket, "match:report", { matchId, reason: "rude" })).toBe("INVALID_PAYLOAD");
    expect(await failure(ana.socket, "match:report", { matchId, reason: "spam", details: "x".repeat(1_001) })).toBe("INVALID_PAYLOAD");

    // Someone else's match looks exactly like one that does not exist.
    for (const id of [matchId, "no-such-match"]) {
      expect(await failure(mallory.socket, "match:rate", { matchId: id, score: 1 })).toBe("NOT_FOUND");
      expect(await failure(mallory.socket, "match:report", { matchId: id, reason: "spam" })).toBe("NOT_FOUND");
      expect(await failure(mallory.socket, "match:block", { matchId: id })).toBe("NOT_FOUND");
      expect(await failure(mallory.socket, "match:skip", { matchId: id })).toBe("NOT_FOUND");
    }
    expect(await failure(mallory.socket, "call:hangup", { callId: anaView.call.id })).toBe("NOT_FOUND");
    expect(await db.count(`SELECT COUNT(*) AS n FROM "MatchBlock" WHERE "blockerId" = ?`, mallory.id)).toBe(0);

    // A report during the call; the call goes on. A second one replaces it.
    expect(await ok(ana.socket, "match:report", { matchId, reason: "spam", details: "  ads  " })).toMatchObject({ id: matchId, reported: true, endedAt: null });
    await ok(ana.socket, "match:report", { matchId, reason: "harassment", details: null });
    expect(await db.all(`SELECT "reporterId", "reportedId", "reason", "details" FROM "MatchReport" WHERE "matchId" = ?`, matchId)).toEqual([
      { reporterId: ana.id, reportedId: ben.id, reason: "harassment", details: null },
    ]);

    // Ben blocks: the call ends as a hang-up for both, and the block is his.
    const anaHears = ended(ana.socket, anaView.call.id);
    const blocked = await ok(ben.socket, "match:block", { matchId });
    expect(blocked).toMatchObject({ id: matchId, blocked: true, reported: false, endedAt: expect.any(String) });
    expect((await anaHears).call).toMatchObject({ outcome: "completed", endReason: "hangup" });
    expect(await db.all(`SELECT "blockerId", "blockedId", "matchId" FROM "MatchBlock" WHERE "matchId" = ?`, matchId)).toEqual([{ blockerId: ben.id, blockedId: ana.id, matchId }]);
    expect(await ok(ben.socket, "match:block", { matchId })).toMatchObject({ blocked: true });

    // Rating once it is over; rating again replaces it; feedback is trimmed, blank is none.
    expect(await ok(ana.socket, "match:rate", { matchId, score: 5, feedback: "  lovely chat " })).toMatchObject({ myRating: { score: 5, feedback: "lovely chat" }, reported: true, blocked: false });
    expect(await ok(ana.socket, "match:rate", { matchId, score: 2, feedback: "   " })).toMatchObject({ myRating: { score: 2, feedback: null } });
    expect(await ok(ben.socket, "match:rate", { matchId, score: 1 })).toMatchObject({ myRating: { score: 1, feedback: null }, blocked: true });
    expect(await db.count(`SELECT COUNT(*) AS n FROM "MatchRating" WHERE "matchId" = ?`, matchId)).toBe(2);
    expect(benView.match.id).toBe(matchId);
  });

  it("people blocked from a match are never matched again; a third person pairs with one of them", async () => {
    const [ana, ben, cleo] = await Promise.all([person(server, "Ana"), person(server, "Ben"), person(server, "Cleo")]);
    const [anaView] = await matchUp(ana, ben, "ru");
    await ok(ana.socket, "match:block", { matchId: anaView.match.id });
    expect(queued(await join(ana.socket, "chill", "ru")).position).toBe(1);
    expect(queued(await join(ben.socket, "chill", "ru")).position).toBe(2);
    const anaFound = found(ana.socket);
    expect(await join(cleo.socket, "chill", "ru")).toMatchObject({ state: "matched", match: { role: "callee" } });
    await anaFound;
    expect(await ok(ben.socket, "match:status", {})).toMatchObject({ state: "queued", position: 1 });
  });

  it("the app's blocks count too, whoever blocked whom", async () => {
    const [dora, emil, finn] = await Promise.all([person(server, "Dora"), person(server, "Emil"), person(server, "Finn")]);
    await ok(emil.socket, "contacts:block", { userId: dora.id });
    expect(queued(await join(dora.socket, "curious", "uk")).position).toBe(1);
    expect(queued(await join(emil.socket, "curious", "uk")).position).toBe(2);
    const doraFound = found(dora.socket);
    expect(await join(finn.socket, "curious", "uk")).toMatchObject({ state: "matched" });
    await doraFound;
    expect(await ok(emil.socket, "match:status", {})).toMatchObject({ state: "queued", position: 1 });
  });
});

describe("reports for administrators", () => {
  it("only administrators list them, newest first, with both accounts, keyset paged", async () => {
    const [ana, ben, cleo, dan] = await Promise.all([person(server, "Ana"), person(server, "Ben"), person(server, "Cleo"), person(server, "Dan")]);
    const adminSocket = await admin.connect(); // sockets close after every test
    const [first] = await matchUp(ana, ben, "ar");
    await ok(ana.socket, "match:report", { matchId: first.match.id, reason: "hate", details: "slurs" });
    const [second] = await matchUp(cleo, dan, "ar");
    await ok(cleo.socket, "match:report", { matchId: second.match.id, reason: "spam" });

    expect(await failure(ana.socket, "match:reports", {})).toBe("FORBIDDEN");
    expect(await failure(adminSocket, "match:reports", { before: "not-a-cursor" })).toBe("INVALID_PAYLOAD");
    const page = await ok(adminSocket, "match:reports", {});
    expect(page.items.length).toBeLessThanOrEqual(MATCH_REPORTS_PAGE_SIZE);
    const ours = page.items.filter((item) => [first.match.id, second.match.id].includes(item.matchId));
    expect(ours.map((item) => item.matchId)).toEqual([second.match.id, first.match.id]);
    expect(ours[1]).toMatchObject({
      reason: "hate",
      details: "slurs",
      reporter: { id: ana.id, name: "Ana", email: ana.email },
      reported: { id: ben.id, name: "Ben", email: ben.email },
    });
    const after = await ok(adminSocket, "match:reports", { before: ours[0]?.cursor ?? null });
    expect(after.items[0]?.matchId).toBe(first.match.id);
    expect(after.items.some((item) => item.matchId === second.match.id)).toBe(false);
  });
});

describe("ICE configuration", () => {
  it("takes { match } and stays 'all' without MATCH_RELAY_ONLY", async () => {
    const ana = await person(server, "Ana");
    expect(await ok(ana.socket, "call:ice-config", { match: true })).toEqual({ iceServers: [], iceTransportPolicy: "all" });
    expect(await ok(ana.socket, "call:ice-config", {})).toEqual({ iceServers: [], iceTransportPolicy: "all" });
    expect(await failure(ana.socket, "call:ice-config", { match: "yes" })).toBe("INVALID_PAYLOAD");
  });
});

describe("relaxation (MATCH_RELAX_AFTER_MS = 1000)", () => {
  const RELAX_MS = 1_000;
  let relaxServer: TestServer;

  beforeAll(async () => {
    relaxServer = await startServer({ env: { ...CHAT_SERVER_ENV, MATCH_RELAX_AFTER_MS: String(RELAX_MS) } });
  });

  afterAll(async () => {
    await relaxServer?.stop();
  });

  it("after the wait any mood pairs (the language still has to match), and a lone waiter hears it relaxed, once", async () => {
    const [venting, happy, lone] = await Promise.all([person(relaxServer, "Venting"), person(relaxServer, "Happy"), person(relaxServer, "Lone")]);
    const loneStatuses = record(lone.socket, "match:queue");
    const loneRelaxed = nextMatching(lone.socket, "match:queue", (status) => status.relaxed);
    expect(queued(await join(lone.socket, "venting", "ko")).relaxed).toBe(false);

    const ventingFound = found(venting.socket);
    const happyFound = found(happy.socket);
    expect(queued(await join(venting.socket, "venting", "ja")).relaxed).toBe(false);
    expect(queued(await join(happy.socket, "happy", "ja")).position).toBe(2);
    const [ventingView, happyView] = await Promise.all([ventingFound, happyFound]);
    expect(ventingView.match).toMatchObject({ role: "caller", self: { mood: "venting" }, peer: { mood: "happy" }, language: "ja" });
    expect(happyView.match.id).toBe(ventingView.match.id);

    const relaxed = await loneRelaxed;
    expect(relaxed).toMatchObject({ position: 1, waiting: 1, relaxed: true });
    await new Promise((resolve) => setTimeout(resolve, RELAX_MS));
    await barrier(lone.socket);
    expect(loneStatuses).toHaveLength(1);
    expect(await ok(lone.socket, "match:status", {})).toMatchObject({ state: "queued", relaxed: true });
  });

  it("an app block made while both wait keeps them apart after the wait relaxes", async () => {
    const [gus, emil] = await Promise.all([person(relaxServer, "Gus"), person(relaxServer, "Emil")]);
    const relaxedOf = (p: Person) => nextMatching(p.socket, "match:queue", (status) => status.relaxed);
    // Moods that do not pair before relaxing; the block comes while both already wait.
    await join(emil.socket, "venting", "zh");
    await join(gus.socket, "happy", "zh");
    await ok(gus.socket, "contacts:block", { userId: emil.id });
    const logs = [emil, gus].map((p) => record(p.socket, "match:found"));
    // Each relaxed push comes from the sweep right after it tried to pair that person.
    await Promise.all([relaxedOf(emil), relaxedOf(gus)]);
    await Promise.all([emil, gus].map((p) => barrier(p.socket)));
    expect(logs.map((log) => log.length)).toEqual([0, 0]);
    for (const p of [emil, gus]) expect(await ok(p.socket, "match:status", {})).toMatchObject({ state: "queued", relaxed: true });
  });
});

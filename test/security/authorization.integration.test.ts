// Security: the object-level authorization sweep. Every client event and every HTTP route that
// takes an id (or a cursor that carries one) is tried by three attackers (a stranger, a user B has
// blocked, a former member of A's group) against the owners' real objects (conversations,
// messages, attachments, calls, a match, contact requests, notifications, a report) and against an
// id of the same shape that names nothing. For each pair: refused, the same answer for both (so
// "forbidden" and "not found" cannot be told apart), and the database and the upload directory
// exactly as they were. What legitimately succeeds for anyone is listed in ALLOWED_BY_DESIGN with
// its reason, and its documented outcome is asserted. Meanwhile every event the attackers' sockets
// receive is recorded: nothing about the owners, even while the owners keep chatting and calling.
// The people and objects: test/security/authorization-cases.ts.
import { randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Ack, ClientEventName, ClientToServerEvents, ContactsDto, ConversationDto, FriendRequestDto } from "@/lib/realtime/protocol";
import { ask, barrier, CHAT_SERVER_ENV, nextMatching, ok, openDb } from "@/lib/realtime/server/handlers/chat-test-support";
import type { AppClientSocket } from "@/test/support/clients";
import type { TestDb } from "@/test/support/database";
import { REPO_ROOT, startServer, type TestServer } from "@/test/support/server";
import {
  ATTACKERS,
  type Attacker,
  buildFixture,
  carrying,
  databaseFingerprint,
  type Fixture,
  fingerprintDiff,
  type HttpAnswer,
  quiesce,
  SETTLED_MS,
  type Received,
  recordEverything,
  type Target,
  type TargetKind,
  uploadPng,
  VOLATILE_EVENTS,
} from "./authorization-cases";

type InputOf<E extends ClientEventName> = Parameters<ClientToServerEvents[E]>[0];
/** The attacker's side of a request: who they are and their own group. */
type Own = { attackerId: string; ownGroupId: string };
/** One id-carrying field of an event: which kind of object it names, and a well-formed request naming `id`. */
type IdCase<E extends ClientEventName> = { field: string; kind: TargetKind; input: (id: string, own: Own) => InputOf<E> };
type EventEntry<E extends ClientEventName> = { ids: IdCase<E>[] } | { noId: string };

const OFFER = { type: "offer", sdp: "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\n" } as const;
const probe = () => ({ clientMessageId: randomUUID(), body: "probe" });

/**
 * Every client event: what in it names an object, or why nothing does. A new event is a type error
 * here until it is listed.
 */
const EVENTS: { [E in ClientEventName]: EventEntry<E> } = {
  "admin:stats": { noId: "administrators only, no input" },
  "call:accept": { ids: [{ field: "callId", kind: "call", input: (id) => ({ callId: id, withVideo: false }) }] },
  "call:current": { noId: "the caller's own live call, no input" },
  "call:decline": { ids: [{ field: "callId", kind: "call", input: (id) => ({ callId: id }) }] },
  "call:hangup": { ids: [{ field: "callId", kind: "call", input: (id) => ({ callId: id }) }] },
  "call:history": {
    ids: [
      { field: "withUserId", kind: "user", input: (id) => ({ withUserId: id }) },
      { field: "before", kind: "callCursor", input: (cursor) => ({ before: cursor }) },
    ],
  },
  "call:ice-config": { noId: "ICE servers and the caller's own TURN credentials" },
  "call:media-state": { ids: [{ field: "callId", kind: "call", input: (id) => ({ callId: id, audioMuted: true, videoOff: true }) }] },
  "call:signal": { ids: [{ field: "callId", kind: "call", input: (id) => ({ callId: id, signal: OFFER }) }] },
  "call:start": { ids: [{ field: "calleeId", kind: "user", input: (id) => ({ calleeId: id, kind: "audio" }) }] },
  "chat:around": { ids: [{ field: "conversationId", kind: "conversation", input: (id) => ({ conversationId: id, seq: 1 }) }] },
  "chat:delete": { ids: [{ field: "messageId", kind: "message", input: (id) => ({ messageId: id }) }] },
  "chat:edit": { ids: [{ field: "messageId", kind: "message", input: (id) => ({ messageId: id, body: "pwned" }) }] },
  "chat:history": { ids: [{ field: "conversationId", kind: "conversation", input: (id) => ({ conversationId: id }) }] },
  "chat:mark-read": { ids: [{ field: "conversationId", kind: "conversation", input: (id) => ({ conversationId: id, seq: 1 }) }] },
  "chat:react": { ids: [{ field: "messageId", kind: "message", input: (id) => ({ messageId: id, emoji: "👍", isOn: true }) }] },
  "chat:search": {
    ids: [
      { field: "conversationId", kind: "conversation", input: (id) => ({ query: "secret", conversationId: id }) },
      { field: "cursor", kind: "messageCursor", input: (cursor) => ({ query: "secret", cursor }) },
    ],
  },
  "chat:send": {
    ids: [
      { field: "conversationId", kind: "conversation", input: (id) => ({ conversationId: id, ...probe() }) },
      // From the attacker's own group: quoting someone else's message, sending someone else's upload.
      { field: "replyToId", kind: "message", input: (id, own) => ({ conversationId: own.ownGroupId, ...probe(), replyToId: id }) },
      { field: "attachmentIds", kind: "attachment", input: (id, own) => ({ conversationId: own.ownGroupId, ...probe(), attachmentIds: [id] }) },
    ],
  },
  "chat:sync": { ids: [{ field: "conversations[].conversationId", kind: "conversation", input: (id) => ({ conversations: [{ conversationId: id, afterVersion: 0 }] }) }] },
  "chat:typing": { ids: [{ field: "conversationId", kind: "conversation", input: (id) => ({ conversationId: id, isTyping: true }) }] },
  "contacts:block": { ids: [{ field: "userId", kind: "user", input: (id) => ({ userId: id }) }] },
  "contacts:cancel": { ids: [{ field: "requestId", kind: "request", input: (id) => ({ requestId: id }) }] },
  "contacts:list": { noId: "the caller's own contacts, no input" },
  "contacts:request": { ids: [{ field: "userId", kind: "user", input: (id) => ({ userId: id }) }] },
  "contacts:respond": { ids: [{ field: "requestId", kind: "request", input: (id) => ({ requestId: id, accept: true }) }] },
  "contacts:search": { noId: "finds people by name or exact email (public by design); the cursor is a (name, id) position in that public list" },
  "contacts:unblock": { ids: [{ field: "userId", kind: "user", input: (id) => ({ userId: id }) }] },
  "conversation:add-members": {
    ids: [
      { field: "conversationId", kind: "conversation", input: (id, own) => ({ conversationId: id, userIds: [own.attackerId] }) },
      { field: "userIds", kind: "user", input: (id, own) => ({ conversationId: own.ownGroupId, userIds: [id] }) },
    ],
  },
  "conversation:create-group": { ids: [{ field: "memberIds", kind: "user", input: (id) => ({ name: "Probe", memberIds: [id] }) }] },
  "conversation:leave": { ids: [{ field: "conversationId", kind: "conversation", input: (id) => ({ conversationId: id }) }] },
  "conversation:list": { noId: "the caller's own conversations, no input" },
  "conversation:mute": { ids: [{ field: "conversationId", kind: "conversation", input: (id) => ({ conversationId: id, duration: "forever" }) }] },
  "conversation:open-direct": { ids: [{ field: "userId", kind: "user", input: (id) => ({ userId: id }) }] },
  "conversation:remove-member": {
    ids: [
      { field: "conversationId", kind: "conversation", input: (id, own) => ({ conversationId: id, userId: own.attackerId }) },
      { field: "userId", kind: "user", input: (id, own) => ({ conversationId: own.ownGroupId, userId: id }) },
    ],
  },
  "conversation:rename": { ids: [{ field: "conversationId", kind: "conversation", input: (id) => ({ conversationId: id, name: "pwned" }) }] },
  "match:block": { ids: [{ field: "matchId", kind: "match", input: (id) => ({ matchId: id }) }] },
  "match:join": { noId: "the caller's own place in the queue (mood, language, topic)" },
  "match:leave": { noId: "the caller's own place in the queue, no input" },
  "match:rate": { ids: [{ field: "matchId", kind: "match", input: (id) => ({ matchId: id, score: 1 }) }] },
  "match:report": { ids: [{ field: "matchId", kind: "match", input: (id) => ({ matchId: id, reason: "spam" }) }] },
  "match:reports": { ids: [{ field: "before", kind: "reportCursor", input: (cursor) => ({ before: cursor }) }] },
  "match:skip": { ids: [{ field: "matchId", kind: "match", input: (id) => ({ matchId: id }) }] },
  "match:status": { noId: "the caller's own queue place or match, no input" },
  "notifications:announce": { noId: "administrators only; a text to everyone" },
  "notifications:clear": { noId: "the caller's own notifications, no input" },
  "notifications:delete": { ids: [{ field: "ids", kind: "notification", input: (id) => ({ ids: [id] }) }] },
  "notifications:get-preferences": { noId: "the caller's own preferences, no input" },
  "notifications:list": { ids: [{ field: "before", kind: "notificationCursor", input: (cursor) => ({ before: cursor }) }] },
  "notifications:mark-all-read": { noId: "the caller's own notifications, no input" },
  "notifications:mark-read": { ids: [{ field: "ids", kind: "notification", input: (id) => ({ ids: [id] }) }] },
  "notifications:set-preferences": { noId: "the caller's own preferences (notification kinds)" },
  "notifications:viewing": { ids: [{ field: "conversationId", kind: "conversation", input: (id) => ({ conversationId: id }) }] },
  "presence:activity": { noId: "the caller's own tab state (idle, hidden)" },
  "presence:set-status": { noId: "the caller's own status" },
  "session:whoami": { noId: "the caller's own session, no input" },
  "system:echo": { noId: "a nonce echoed to the caller's own tabs" },
  "system:ping": { noId: "a clock" },
};

/**
 * What legitimately succeeds, for whom, and why. "same answer": answered (or, volatile, accepted)
 * with exactly the answer an id of nothing gets and nothing changed. "acts": the existing id does
 * what the event is for (asserted below by `effect`); an id of nothing is NOT_FOUND.
 */
type Allowance = {
  attackers: readonly Attacker[];
  outcome: "same answer" | "acts";
  reason: string;
  /** "acts": what the answer must show, for the attacker and the target user. */
  effect?: (data: unknown, attackerId: string, targetId: string) => boolean;
};
const EVERYONE = ATTACKERS;
const NOT_BLOCKED: readonly Attacker[] = ["stranger", "former"];
const ALLOWED_BY_DESIGN: Record<string, Allowance> = {
  "chat:sync conversations[].conversationId": {
    attackers: EVERYONE,
    outcome: "same answer",
    reason: "a sync answers for the caller's own conversations and leaves every other id out: { updates: [] }, as for an id of nothing",
  },
  "chat:search cursor": {
    attackers: EVERYONE,
    outcome: "same answer",
    reason: "the cursor only positions a search over the caller's own conversations; a message elsewhere counts as no message",
  },
  "call:history withUserId": {
    attackers: EVERYONE,
    outcome: "same answer",
    reason: "filters the caller's own calls by the other person: none with a stranger, as with nobody",
  },
  "call:history before": {
    attackers: EVERYONE,
    outcome: "same answer",
    reason: "the cursor (time, id) only positions the caller's own history",
  },
  "notifications:list before": {
    attackers: EVERYONE,
    outcome: "same answer",
    reason: "the cursor (time, id) only positions the caller's own notifications",
  },
  "notifications:mark-read ids": {
    attackers: EVERYONE,
    outcome: "same answer",
    reason: "ids that are not the caller's are ignored on purpose (a stale device never errs): the answer is the caller's own unread count",
  },
  "notifications:delete ids": {
    attackers: EVERYONE,
    outcome: "same answer",
    reason: "ids that are not the caller's are ignored on purpose: the answer is the caller's own unread count",
  },
  "notifications:viewing conversationId": {
    attackers: EVERYONE,
    outcome: "same answer",
    reason: "volatile, never answered: records what the caller's tab shows, which only silences the caller's own notifications",
  },
  "contacts:unblock userId": {
    attackers: EVERYONE,
    outcome: "same answer",
    reason: "removes the caller's own block if there is one: a no-op here, answered with the caller's own contacts",
  },
  "contacts:request userId": {
    attackers: NOT_BLOCKED,
    outcome: "acts",
    reason: "anyone may ask anyone they can find (search lists people by name) to be a contact; only a block hides a person, so the blocked user is refused like an unknown id",
    effect: (data, attackerId, targetId) => {
      const request = data as FriendRequestDto;
      return request.status === "pending" && request.from.id === attackerId && request.to.id === targetId;
    },
  },
  "conversation:open-direct userId": {
    attackers: NOT_BLOCKED,
    outcome: "acts",
    reason: "anyone may start a direct chat with anyone not blocked either way; it starts empty (nothing of the target's other chats)",
    effect: (data, attackerId, targetId) => {
      const conversation = data as ConversationDto;
      const members = conversation.members.map((member) => member.id).sort();
      return conversation.kind === "direct" && conversation.lastSeq === 0 && JSON.stringify(members) === JSON.stringify([attackerId, targetId].sort());
    },
  },
  "conversation:create-group memberIds": {
    attackers: NOT_BLOCKED,
    outcome: "acts",
    reason: "a group's creator adds people they can find (no invitation step); someone who blocked the creator is refused like an unknown id",
    effect: (data, attackerId, targetId) => {
      const conversation = data as ConversationDto;
      return conversation.kind === "group" && conversation.myRole === "admin" && conversation.lastSeq === 0 && conversation.members.some((member) => member.id === targetId);
    },
  },
  "conversation:add-members userIds": {
    attackers: NOT_BLOCKED,
    outcome: "acts",
    reason: "the same, into the attacker's own group (the conversation id is probed separately, against the owners' group)",
    effect: (data, _attackerId, targetId) => (data as ConversationDto).members.some((member) => member.id === targetId),
  },
  "contacts:block userId": {
    attackers: EVERYONE,
    outcome: "acts",
    reason: "anyone may block any person, someone who blocked them included: protection needs no relation, and it only writes the caller's own block list",
    effect: (data, _attackerId, targetId) => (data as ContactsDto).blocked.some((user) => user.id === targetId),
  },
};
const USER_NOT_FOUND = { ok: false, error: { code: "NOT_FOUND", message: "That person was not found." } };

// ── HTTP routes ──────────────────────────────────────────────────────────────
type HttpCase = { method: "GET" | "HEAD" | "POST"; kind: TargetKind; request: (server: TestServer, cookie: string, id: string) => Promise<HttpAnswer> };

async function fetchAnswer(url: string, init: RequestInit): Promise<HttpAnswer> {
  const response = await fetch(url, init);
  return { status: response.status, contentType: response.headers.get("content-type"), body: await response.text() };
}
const attachmentUrl = (server: TestServer, id: string) => `${server.url}/api/attachments/${encodeURIComponent(id)}`;

/** Every route file under app/api (a new one fails the test until it is listed). */
const ROUTES: Record<string, HttpCase[] | { noId: string }> = {
  "app/api/attachments/[attachmentId]/route.ts": [
    { method: "GET", kind: "attachment", request: (server, cookie, id) => fetchAnswer(attachmentUrl(server, id), { headers: { cookie } }) },
    { method: "HEAD", kind: "attachment", request: (server, cookie, id) => fetchAnswer(attachmentUrl(server, id), { method: "HEAD", headers: { cookie } }) },
  ],
  // A real, acceptable PNG: refused only because of whose conversation it is.
  "app/api/conversations/[conversationId]/attachments/route.ts": [{ method: "POST", kind: "conversation", request: (server, cookie, id) => uploadPng(server, cookie, id) }],
  "app/api/auth/[...nextauth]/route.ts": { noId: "next-auth's own actions (csrf, session, sign-in and sign-out callbacks): the segment names an action, not an object" },
  "app/api/health/route.ts": { noId: "liveness" },
  "app/api/ready/route.ts": { noId: "readiness" },
  "app/api/register/route.ts": { noId: "creates an account" },
  "app/api/socket-token/route.ts": { noId: "the caller's own socket token" },
};

function routeFiles(): string[] {
  const root = path.join(REPO_ROOT, "app/api");
  return readdirSync(root, { recursive: true })
    .map(String)
    .filter((file) => path.basename(file) === "route.ts")
    .map((file) => path.posix.join("app/api", file.split(path.sep).join("/")))
    .sort();
}

// ── The sweep ────────────────────────────────────────────────────────────────
let server: TestServer;
let db: TestDb;
let fx: Fixture;
let setupSeconds = "";

beforeAll(async () => {
  // Nobody is rate-limited by the sweep's pace. The live call is answered, so no ring timeout ends it.
  server = await startServer({ env: { ...CHAT_SERVER_ENV, RATE_LIMIT_PER_SECOND: "10000" } });
  db = openDb(server);
  const setupStartedAt = Date.now();
  fx = await buildFixture(server);
  setupSeconds = ((Date.now() - setupStartedAt) / 1000).toFixed(1);
}, 120_000);

afterAll(async () => {
  await db?.close();
  await server?.stop();
});

type Answer = Ack<unknown> | { volatile: "sent" };

async function attempt(socket: AppClientSocket, event: ClientEventName, input: unknown): Promise<Answer> {
  if (!VOLATILE_EVENTS.has(event)) return ask(socket, event as "system:ping", input as Record<string, unknown>);
  (socket as unknown as { emit: (event: string, input: unknown) => void }).emit(event, input);
  await barrier(socket); // handled (and anything it relayed sent) before the ping's answer
  return { volatile: "sent" };
}

/**
 * Typing is relayed volatile (dropped when the receiver's transport is busy): `from` types in the
 * conversation until `to` hears it. "Stopped typing" is never throttled, so it can be repeated.
 */
async function typingReaches(from: AppClientSocket, to: AppClientSocket, conversationId: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const heard = nextMatching(to, "chat:typing-changed", (typing) => typing.conversationId === conversationId, 500).then(() => true, () => false);
    from.emit("chat:typing", { conversationId, isTyping: false });
    if (await heard) return;
  }
  throw new Error("typing never reached the other member");
}

const isOk = (answer: Answer): boolean => "ok" in answer && answer.ok;
const codeOf = (answer: Answer): string => ("volatile" in answer ? "dropped (volatile)" : answer.ok ? "ok" : answer.error.code);
/** Refusals that say nothing about the object: a malformed probe, or a server that did not really answer. */
const NOT_A_REFUSAL = new Set(["INVALID_PAYLOAD", "RATE_LIMITED", "TIMEOUT", "UNAVAILABLE", "INTERNAL", "UNAUTHORIZED"]);
const targetsFor = (kind: TargetKind, attacker: Attacker): Target[] => (kind === "user" ? [fx.userTarget[attacker]] : fx.targets[kind]);

describe("object-level authorization: every id-taking event and route × stranger, blocked user, former member × existing and non-existing ids", () => {
  it("0 succeed, forbidden and not found answer alike, nothing changes, nothing leaks; what is allowed is listed and does what it says", async () => {
    const startedAt = Date.now();
    const problems: string[] = [];
    const tally = { requests: 0, refused: 0, refusedPairs: 0, identicalRefusals: 0, sameAnswerPairs: 0, actingPairs: 0 };
    /** Answers to the existing ids of refused pairs, by code. */
    const refusals = new Map<string, number>();
    const own = (attacker: Attacker): Own => ({ attackerId: fx.attackers[attacker].id, ownGroupId: fx.ownGroup[attacker] });
    const acts: { event: ClientEventName; idCase: IdCase<ClientEventName>; attacker: Attacker; target: Target; allowance: Allowance }[] = [];

    expect(routeFiles()).toEqual(Object.keys(ROUTES).sort());
    for (const key of Object.keys(ALLOWED_BY_DESIGN)) {
      const [event, field] = key.split(" ") as [ClientEventName, string];
      const entry = EVENTS[event];
      expect("ids" in entry && entry.ids.some((idCase) => idCase.field === field), `${key} is not a case`).toBe(true);
    }

    let baseline = await quiesce(db, server.dataDir);
    const unchanged = async (label: string) => {
      const now = await databaseFingerprint(db, server.dataDir);
      if (now !== baseline) {
        problems.push(`${label} changed the database:\n${fingerprintDiff(baseline, now)}`);
        baseline = now;
      }
    };
    const attackerLogs = Object.fromEntries(ATTACKERS.map((attacker) => [attacker, recordEverything(fx.attackers[attacker].socket)])) as Record<Attacker, Received[]>;
    const ownerLogs = Object.values(fx.owners).map((owner) => ({ name: owner.name, log: recordEverything(owner.socket) }));

    // ── 1. Sockets: refused (or answered like nothing) and unchanged ─────────────
    let idEvents = 0;
    for (const [event, entry] of Object.entries(EVENTS) as [ClientEventName, EventEntry<ClientEventName>][]) {
      if ("noId" in entry) continue;
      idEvents += 1;
      for (const idCase of entry.ids) {
        const key = `${event} ${idCase.field}`;
        const allowance = ALLOWED_BY_DESIGN[key];
        for (const attacker of ATTACKERS) {
          const allowed = allowance?.attackers.includes(attacker) ? allowance : undefined;
          for (const target of targetsFor(idCase.kind, attacker)) {
            const label = `${key} by the ${attacker} on ${target.label}`;
            if (allowed?.outcome === "acts") {
              acts.push({ event, idCase, attacker, target, allowance: allowed });
              continue;
            }
            const socket = fx.attackers[attacker].socket;
            const existing = await attempt(socket, event, idCase.input(target.existing, own(attacker)));
            const missing = await attempt(socket, event, idCase.input(target.missing, own(attacker)));
            tally.requests += 2;
            const same = JSON.stringify(existing) === JSON.stringify(missing);
            if (allowed) {
              tally.sameAnswerPairs += 1;
              const answered = "volatile" in existing || isOk(existing);
              if (!answered || !same) problems.push(`${label} (allowed by design: same answer) got ${JSON.stringify(existing)} vs ${JSON.stringify(missing)}`);
            } else {
              tally.refusedPairs += 1;
              const refused = [existing, missing].filter((answer) => !isOk(answer)).length;
              tally.refused += refused;
              const code = codeOf(existing);
              refusals.set(code, (refusals.get(code) ?? 0) + 1);
              if (NOT_A_REFUSAL.has(code)) problems.push(`${label}: ${code} is no answer about the object (the probe must be well-formed and answered): ${JSON.stringify(existing)}`);
              if (refused < 2) problems.push(`${label} SUCCEEDED: ${JSON.stringify(existing).slice(0, 300)} / ${JSON.stringify(missing).slice(0, 300)}`);
              else if (!same) problems.push(`${label}: existing and non-existing answer differently: ${JSON.stringify(existing)} vs ${JSON.stringify(missing)}`);
              else tally.identicalRefusals += 1;
            }
            await unchanged(label);
          }
        }
      }
    }

    // ── 2. HTTP routes ───────────────────────────────────────────────────────────
    let idRoutes = 0;
    for (const [file, cases] of Object.entries(ROUTES)) {
      if (!Array.isArray(cases)) continue;
      idRoutes += 1;
      for (const httpCase of cases) {
        for (const attacker of ATTACKERS) {
          for (const target of targetsFor(httpCase.kind, attacker)) {
            const label = `${httpCase.method} ${file} by the ${attacker} on ${target.label}`;
            const cookie = fx.attackers[attacker].cookie;
            const existing = await httpCase.request(server, cookie, target.existing);
            const missing = await httpCase.request(server, cookie, target.missing);
            tally.requests += 2;
            tally.refusedPairs += 1;
            const refused = [existing, missing].filter((answer) => answer.status >= 400).length;
            tally.refused += refused;
            refusals.set(`HTTP ${existing.status}`, (refusals.get(`HTTP ${existing.status}`) ?? 0) + 1);
            if (existing.status !== 404) problems.push(`${label}: HTTP ${existing.status} is not the answer an unknown id gets (404): ${existing.body.slice(0, 200)}`);
            if (refused < 2) problems.push(`${label} SUCCEEDED: ${existing.status} / ${missing.status}`);
            else if (JSON.stringify(existing) !== JSON.stringify(missing)) problems.push(`${label}: ${JSON.stringify(existing)} vs ${JSON.stringify(missing)}`);
            else tally.identicalRefusals += 1;
            await unchanged(label);
          }
        }
      }
    }

    // ── 3. Nothing reached the owners; then the owners talk and call, and the attackers hear none of it ──
    for (const { name, log } of ownerLogs) {
      if (log.length > 0) problems.push(`${name} received ${log.length} events from the attackers' requests: ${JSON.stringify(log).slice(0, 400)}`);
    }
    const { a, b } = fx.owners;
    const [direct, group] = fx.targets.conversation.map((target) => target.existing) as [string, string];
    const later = { group: `secret later in G ${randomUUID()}`, direct: `secret later in the direct chat ${randomUUID()}`, name: `secret new name ${randomUUID()}`, status: `secret status ${randomUUID()}` };
    const bHearsGroup = nextMatching(b.socket, "chat:message-created", (message) => message.body === later.group);
    const bHearsDirect = nextMatching(b.socket, "chat:message-created", (message) => message.body === later.direct);
    const bHearsSignal = nextMatching(b.socket, "call:signal", (event) => event.callId === fx.liveCall.id);
    await ok(a.socket, "chat:send", { conversationId: group, clientMessageId: randomUUID(), body: later.group });
    await ok(a.socket, "chat:send", { conversationId: direct, clientMessageId: randomUUID(), body: later.direct });
    await ok(b.socket, "chat:react", { messageId: fx.targets.message[0]?.existing ?? "", emoji: "🎉", isOn: true });
    await ok(a.socket, "conversation:rename", { conversationId: group, name: later.name });
    await typingReaches(a.socket, b.socket, group);
    await ok(b.socket, "presence:set-status", { status: "dnd", customText: later.status });
    await ok(a.socket, "presence:set-status", { status: "dnd" });
    await ok(a.socket, "call:signal", { callId: fx.liveCall.id, signal: OFFER });
    await ok(a.socket, "call:media-state", { callId: fx.liveCall.id, audioMuted: true, videoOff: true });
    await Promise.all([bHearsGroup, bHearsDirect, bHearsSignal]);
    // Notifications are stored and sent after the answers, at the end of their burst.
    await new Promise((resolve) => setTimeout(resolve, SETTLED_MS));
    await Promise.all(ATTACKERS.map((attacker) => barrier(fx.attackers[attacker].socket)));
    // The fingerprint sees writes at all (else "unchanged" above would prove nothing).
    expect(await databaseFingerprint(db, server.dataDir)).not.toBe(baseline);
    const needles = [...fx.privateSecrets, ...fx.ownerIds, ...Object.values(later)];
    const received = new Map<string, number>();
    for (const attacker of ATTACKERS) {
      for (const { event } of attackerLogs[attacker]) received.set(event, (received.get(event) ?? 0) + 1);
      for (const leak of carrying(attackerLogs[attacker], needles)) problems.push(`the ${attacker} received: ${leak}`);
      // What the attacker can list of their own shows none of it either.
      const socket = fx.attackers[attacker].socket;
      const lists = await Promise.all([ok(socket, "conversation:list", {}), ok(socket, "call:history", {}), ok(socket, "contacts:list", {}), ok(socket, "match:status", {})]);
      for (const leak of carrying([{ event: "session:ready", payload: lists }], needles)) problems.push(`the ${attacker}'s own lists show: ${leak}`);
    }

    // ── 4. Allowed by design, acting: what it does, for the existing id only ───────
    // Blocks last: a block would refuse the rest.
    acts.sort((x, y) => Number(x.event === "contacts:block") - Number(y.event === "contacts:block"));
    for (const { event, idCase, attacker, target, allowance } of acts) {
      const label = `${event} ${idCase.field} by the ${attacker} on ${target.label} (allowed by design)`;
      const socket = fx.attackers[attacker].socket;
      const existing = await attempt(socket, event, idCase.input(target.existing, own(attacker)));
      const missing = await attempt(socket, event, idCase.input(target.missing, own(attacker)));
      tally.requests += 2;
      tally.actingPairs += 1;
      if (!("ok" in existing) || !existing.ok || !allowance.effect?.(existing.data, fx.attackers[attacker].id, target.existing)) {
        problems.push(`${label}: expected it to act, got ${JSON.stringify(existing).slice(0, 300)}`);
      } else {
        for (const leak of carrying([{ event: "session:ready", payload: [existing.data] }], fx.privateSecrets)) problems.push(`${label} answered with: ${leak}`);
      }
      if (JSON.stringify(missing) !== JSON.stringify(USER_NOT_FOUND)) problems.push(`${label}: an id of nobody got ${JSON.stringify(missing)}`);
    }

    const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
    console.info(
      `authorization: ${idEvents} of ${Object.keys(EVENTS).length} client events and ${idRoutes} of ${Object.keys(ROUTES).length} routes take an id; ` +
        `${ATTACKERS.length} attackers × existing and non-existing ids: ${tally.requests} (event/route × attacker × id kind) requests, ${tally.refused} refused; ` +
        `${tally.identicalRefusals} of ${tally.refusedPairs} existing/non-existing pairs refused identically (forbidden = not found; ${[...refusals].map(([code, n]) => `${code} ×${n}`).join(", ")}); ` +
        `allowed by design (${Object.keys(ALLOWED_BY_DESIGN).length} listed cases): ${tally.sameAnswerPairs + tally.actingPairs} pairs ` +
        `(${tally.sameAnswerPairs} answered as for nothing, ${tally.actingPairs} acting on the existing id only); ` +
        `attackers received ${[...received.values()].reduce((sum, n) => sum + n, 0)} events during the sweep and the owners' activity ` +
        `(${[...received].map(([event, n]) => `${event} ×${n}`).join(", ") || "none"}), none about the owners; ${problems.length} problems; objects set up in ${setupSeconds} s, swept in ${seconds} s`,
    );
    expect(problems).toEqual([]);
    expect(server.process.exitCode).toBeNull();
  }, 180_000);
});

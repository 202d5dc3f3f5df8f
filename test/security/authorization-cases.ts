/**
 * Support for the object-level authorization sweep (authorization.integration.test.ts): the owners'
 * real objects and the attackers, look-alike ids of objects that do not exist, a fingerprint of the
 * whole database (and the upload directory), and recorders of everything a socket receives.
 * Test-only.
 *
 * The people:
 * - Owners: A and B are contacts with a direct chat; A's group G has B and C. A has a pending
 *   contact request to C. Messages in both conversations (B reacted to A's group message and
 *   replied to it), attachments (one sent with A's group message, one uploaded to the direct chat
 *   and never sent), an ended call, a live (answered) call and an anonymous match between A and B
 *   that A reported, notifications for B.
 * - Attackers (ordinary users, never administrators):
 *   - stranger: no relation to anyone;
 *   - blocked: was B's contact, then B blocked them (the blocked side is the one who must not learn
 *     anything: a block looks like an unknown person to them);
 *   - former: was in G (sent a message there with an attachment of their own), then A removed them.
 *   Each attacker also has a group of their own (alone in it), the legitimate place from which to
 *   reply to someone else's message or send someone else's attachment.
 */
import { randomInt, randomUUID } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";

import type { CallDto, ClientEventName, ServerEventName } from "@/lib/realtime/protocol";
import type { AppClientSocket } from "@/test/support/clients";
import type { TestDb } from "@/test/support/database";
import { samplePng } from "@/test/support/sample-files";
import { MESSAGE_BURST_MAX_MS } from "@/lib/realtime/server/notifications/burst-window";
import type { TestServer } from "@/test/support/server";
import { nextMatching, ok, type Person, person } from "@/lib/realtime/server/handlers/chat-test-support";

export const ATTACKERS = ["stranger", "blocked", "former"] as const;
export type Attacker = (typeof ATTACKERS)[number];

/** What an id (or a cursor carrying one) names. */
export type TargetKind =
  | "user"
  | "conversation"
  | "message"
  | "messageCursor"
  | "attachment"
  | "call"
  | "callCursor"
  | "match"
  | "request"
  | "notification"
  | "notificationCursor"
  | "reportCursor";

/** One of the owners' objects: its id (or cursor) and one of the same shape that names nothing. */
export type Target = { label: string; existing: string; missing: string };

export type Fixture = {
  root: Person;
  owners: { a: Person; b: Person; c: Person };
  attackers: Record<Attacker, Person>;
  /** The attacker's own group (alone in it). */
  ownGroup: Record<Attacker, string>;
  /** The owners' objects by kind; "user" is per attacker (`userTarget`). */
  targets: Record<Exclude<TargetKind, "user">, Target[]>;
  /** The person each attacker aims at: A for the stranger and the former member, B (who blocked them) for the blocked one. */
  userTarget: Record<Attacker, Target>;
  /** Ids and texts of the owners' private objects: no attacker may ever receive one. */
  privateSecrets: string[];
  /** The owners' and C's user ids: nothing in the sweep may tell an attacker about them either. */
  ownerIds: string[];
  liveCall: CallDto;
};

// ── Ids of nothing ───────────────────────────────────────────────────────────
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const UPPER = LOWER.toUpperCase();
const DIGITS = "0123456789";
const pickFrom = (alphabet: string): string => alphabet.charAt(randomInt(alphabet.length));

/**
 * An id of the same length and shape (letters stay letters of the same case, digits digits, the
 * rest as it is) that names nothing: a cuid stays cuid-like, a base64url call id base64url-like.
 */
export function lookalike(id: string): string {
  for (;;) {
    const out = Array.from(id, (char) => {
      if (LOWER.includes(char)) return pickFrom(LOWER);
      if (UPPER.includes(char)) return pickFrom(UPPER);
      if (DIGITS.includes(char)) return pickFrom(DIGITS);
      return char;
    }).join("");
    if (out !== id) return out;
  }
}

/** The server's opaque cursors: base64url JSON arrays of strings (lib/services/chat-dto.ts). */
export const cursorOf = (parts: string[]): string => Buffer.from(JSON.stringify(parts)).toString("base64url");
const partsOf = (cursor: string): string[] => JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as string[];

/** The same cursor with its last part (the id) replaced by a look-alike: same position, no object. */
export function cursorLookalike(cursor: string): string {
  const parts = partsOf(cursor);
  const id = parts.at(-1) ?? "";
  return cursorOf([...parts.slice(0, -1), lookalike(id)]);
}

const target = (label: string, id: string): Target => ({ label, existing: id, missing: lookalike(id) });
const cursorTarget = (label: string, cursor: string): Target => ({ label, existing: cursor, missing: cursorLookalike(cursor) });

// ── Uploads ──────────────────────────────────────────────────────────────────
export type HttpAnswer = { status: number; contentType: string | null; body: string };

export async function uploadPng(server: TestServer, cookie: string, conversationId: string, name = "probe.png"): Promise<HttpAnswer> {
  const form = new FormData();
  form.append("file", new File([new Uint8Array(samplePng(4, 4))], name, { type: "image/png" }));
  const response = await fetch(`${server.url}/api/conversations/${encodeURIComponent(conversationId)}/attachments`, {
    method: "POST",
    body: form,
    headers: { cookie },
  });
  return { status: response.status, contentType: response.headers.get("content-type"), body: await response.text() };
}

async function uploaded(server: TestServer, cookie: string, conversationId: string, name: string): Promise<string> {
  const answer = await uploadPng(server, cookie, conversationId, name);
  if (answer.status !== 201) throw new Error(`upload failed: ${answer.status} ${answer.body}`);
  return (JSON.parse(answer.body) as { id: string }).id;
}

// ── Building the objects ─────────────────────────────────────────────────────
const secret = (label: string): string => `secret ${label} ${randomUUID()}`;

async function poll<T>(what: string, read: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export async function buildFixture(server: TestServer): Promise<Fixture> {
  const root = await person(server, "Root"); // the first account administers the instance; nobody below does
  const [a, b, c, stranger, blocked, former] = await Promise.all([
    person(server, "Owner A"),
    person(server, "Member B"),
    person(server, "Member C"),
    person(server, "Stranger S"),
    person(server, "Blocked K"),
    person(server, "Former F"),
  ]);

  // Contacts: A–B; the blocked attacker was B's contact until B blocked them; A asked C (pending).
  const acceptedRequest = await ok(a.socket, "contacts:request", { userId: b.id });
  await ok(b.socket, "contacts:respond", { requestId: acceptedRequest.id, accept: true });
  const blockedRequest = await ok(blocked.socket, "contacts:request", { userId: b.id });
  await ok(b.socket, "contacts:respond", { requestId: blockedRequest.id, accept: true });
  await ok(b.socket, "contacts:block", { userId: blocked.id });
  const pendingRequest = await ok(a.socket, "contacts:request", { userId: c.id });

  // Conversations and messages.
  const groupName = secret("group name");
  const direct = await ok(a.socket, "conversation:open-direct", { userId: b.id });
  const group = await ok(a.socket, "conversation:create-group", { name: groupName, memberIds: [b.id, c.id, former.id] });
  const formerUpload = await uploaded(server, former.cookie, group.id, "former.png");
  const formerBody = secret("former member's message");
  const formerMessage = await ok(former.socket, "chat:send", { conversationId: group.id, clientMessageId: randomUUID(), body: formerBody, attachmentIds: [formerUpload] });
  const groupUpload = await uploaded(server, a.cookie, group.id, "group.png");
  const groupBody = secret("group message");
  const groupMessage = await ok(a.socket, "chat:send", { conversationId: group.id, clientMessageId: randomUUID(), body: groupBody, attachmentIds: [groupUpload] });
  await ok(b.socket, "chat:react", { messageId: groupMessage.id, emoji: "👍", isOn: true });
  const replyBody = secret("reply");
  const reply = await ok(b.socket, "chat:send", { conversationId: group.id, clientMessageId: randomUUID(), body: replyBody, replyToId: groupMessage.id });
  const directBody = secret("direct message");
  const directMessage = await ok(a.socket, "chat:send", { conversationId: direct.id, clientMessageId: randomUUID(), body: directBody });
  const unsentUpload = await uploaded(server, a.cookie, direct.id, "unsent.png");
  await ok(a.socket, "conversation:remove-member", { conversationId: group.id, userId: former.id });

  // An anonymous match between A and B (A waited longer: side A, the caller), reported by A, over.
  const aFound = nextMatching(a.socket, "match:found");
  const bFound = nextMatching(b.socket, "match:found");
  await ok(a.socket, "match:join", { mood: "chill", language: "sv" });
  await ok(b.socket, "match:join", { mood: "chill", language: "sv" });
  const { match, call: matchCall } = await aFound;
  await bFound;
  await ok(a.socket, "match:report", { matchId: match.id, reason: "spam", details: secret("report details") });
  const matchOver = nextMatching(b.socket, "call:ended", (event) => event.call.id === matchCall.id);
  await ok(a.socket, "call:hangup", { callId: matchCall.id });
  await matchOver;

  // A call B declined (its chat line lands after the answer), then one B answered, live during the sweep.
  let ringing = nextMatching(b.socket, "call:incoming");
  const endedCall = await ok(a.socket, "call:start", { calleeId: b.id, kind: "audio" });
  await ringing;
  const callLine = nextMatching(a.socket, "chat:message-created", (message) => message.conversationId === direct.id && message.kind === "system");
  await ok(b.socket, "call:decline", { callId: endedCall.id });
  await callLine;
  ringing = nextMatching(b.socket, "call:incoming");
  const liveCall = await ok(a.socket, "call:start", { calleeId: b.id, kind: "audio" });
  await ringing;
  const accepted = nextMatching(a.socket, "call:accepted", (event) => event.call.id === liveCall.id);
  await ok(b.socket, "call:accept", { callId: liveCall.id, withVideo: false });
  await accepted;

  const ownGroup = {} as Record<Attacker, string>;
  const attackers: Record<Attacker, Person> = { stranger, blocked, former };
  for (const name of ATTACKERS) ownGroup[name] = (await ok(attackers[name].socket, "conversation:create-group", { name: `${name}'s own`, memberIds: [] })).id;

  // Cursors as the server hands them out (to the owners, and to the administrator for reports).
  const callCursor = (await ok(a.socket, "call:history", {})).items.find((item) => item.id === endedCall.id)?.cursor;
  const reportCursor = (await ok(root.socket, "match:reports", {})).items.find((item) => item.matchId === match.id)?.cursor;
  if (!callCursor || !reportCursor) throw new Error("cursor missing");
  // B's notifications are written after the answers: wait for the two the sweep aims at.
  const [directNotification, addedNotification] = await poll("B's notifications", async () => {
    const { items } = await ok(b.socket, "notifications:list", {});
    const inDirect = items.find((item) => item.kind === "message" && item.conversationId === direct.id);
    const added = items.find((item) => item.kind === "added_to_group" && item.conversationId === group.id);
    return inDirect && added ? ([inDirect, added] as const) : undefined;
  });

  const targets: Fixture["targets"] = {
    conversation: [target("A–B direct chat", direct.id), target("group G", group.id)],
    message: [
      target("A's message in the direct chat", directMessage.id),
      target("A's message in G (with a reaction)", groupMessage.id),
      target("B's reply in G", reply.id),
      target("the former member's own message in G", formerMessage.id),
    ],
    messageCursor: [cursorTarget("after A's message in the direct chat", cursorOf([directMessage.id])), cursorTarget("after A's message in G", cursorOf([groupMessage.id]))],
    attachment: [
      target("A's attachment sent in G", groupUpload),
      target("the former member's own attachment in G", formerUpload),
      target("A's unsent upload in the direct chat", unsentUpload),
    ],
    call: [target("the live A–B call", liveCall.id), target("the ended A–B call", endedCall.id), target("the A–B match call", matchCall.id)],
    callCursor: [cursorTarget("after the ended A–B call", callCursor)],
    match: [target("the A–B match", match.id)],
    request: [target("A's pending request to C", pendingRequest.id), target("A's accepted request to B", acceptedRequest.id)],
    notification: [target("B's message notification", directNotification.id), target("B's added-to-group notification", addedNotification.id)],
    notificationCursor: [cursorTarget("after B's message notification", directNotification.cursor)],
    reportCursor: [cursorTarget("after A's report of the match", reportCursor)],
  };
  const userTarget: Record<Attacker, Target> = {
    stranger: target("A (a stranger to them)", a.id),
    blocked: target("B (who blocked them)", b.id),
    former: target("A (who removed them)", a.id),
  };
  const privateSecrets = [
    groupName,
    formerBody,
    groupBody,
    replyBody,
    directBody,
    ...Object.values(targets).flatMap((list) => list.filter((item) => !item.label.startsWith("after")).map((item) => item.existing)),
    blockedRequest.id,
  ];
  return { root, owners: { a, b, c }, attackers, ownGroup, targets, userTarget, privateSecrets, ownerIds: [a.id, b.id, c.id], liveCall };
}

// ── Nothing changed ──────────────────────────────────────────────────────────
/** Every table of the schema (prisma/schema.prisma); the test fails if one is missing from the database. */
export const TABLES = [
  "User",
  "RevokedSession",
  "FriendRequest",
  "Contact",
  "Block",
  "Conversation",
  "Membership",
  "Message",
  "Reaction",
  "Attachment",
  "Notification",
  "Call",
  "Match",
  "MatchRating",
  "MatchReport",
  "MatchBlock",
] as const;
/** Written by presence on its own (a socket's last disconnect), not by any request. */
const IGNORED_COLUMNS: Partial<Record<(typeof TABLES)[number], string[]>> = { User: ["lastSeenAt", "updatedAt"] };

const stable = (row: Record<string, unknown>, ignored: string[] = []): string =>
  JSON.stringify(Object.keys(row).filter((key) => !ignored.includes(key)).sort().map((key) => [key, row[key] instanceof Date ? (row[key] as Date).toISOString() : row[key]]));

/** Every row of every table (a few volatile columns aside) and every stored upload file, as one string. */
export async function databaseFingerprint(db: TestDb, dataDir: string): Promise<string> {
  const tables = await Promise.all(
    TABLES.map(async (table) => {
      const rows = await db.all<Record<string, unknown>>(`SELECT * FROM "${table}"`);
      return `${table}:${rows.map((row) => stable(row, IGNORED_COLUMNS[table])).sort().join("\n")}`;
    }),
  );
  let files: string[] = [];
  try {
    files = readdirSync(path.join(dataDir, "uploads"), { recursive: true }).map(String).sort();
  } catch {
    // no upload yet
  }
  return [...tables, `uploads:${files.join(",")}`].join("\n\n");
}

/** Longer than any notification burst waits, with room for its write and delivery. */
export const SETTLED_MS = MESSAGE_BURST_MAX_MS + 500;

/** The first lines where two fingerprints differ, for a readable failure. */
export function fingerprintDiff(before: string, after: string): string {
  const old = new Set(before.split("\n"));
  const now = new Set(after.split("\n"));
  const gone = [...old].filter((line) => !now.has(line)).map((line) => `- ${line}`);
  const added = [...now].filter((line) => !old.has(line)).map((line) => `+ ${line}`);
  return [...gone, ...added].slice(0, 10).join("\n").slice(0, 2_000);
}

/**
 * Waits until the database stops changing (notifications and chat lines are written after the
 * answers). Quiet for longer than a notification burst can wait: bursts opened by the last writes
 * end anywhere within that window, so a shorter quiet spell could fall between two of them.
 */
export async function quiesce(db: TestDb, dataDir: string, quietMs = SETTLED_MS, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = await databaseFingerprint(db, dataDir);
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const now = await databaseFingerprint(db, dataDir);
    if (now === last) return now;
    if (Date.now() > deadline) throw new Error(`the database kept changing:\n${fingerprintDiff(last, now)}`);
    last = now;
  }
}

// ── What sockets receive ─────────────────────────────────────────────────────
export type Received = { event: ServerEventName; payload: unknown[] };

/** Every event `socket` receives from now on (acks are answers, not events: they are not in here). */
export function recordEverything(socket: AppClientSocket): Received[] {
  const log: Received[] = [];
  socket.onAny((event: ServerEventName, ...payload: unknown[]) => log.push({ event, payload }));
  return log;
}

/** The received events that carry any of `needles`, with the needle found. */
export function carrying(log: readonly Received[], needles: readonly string[]): string[] {
  return log.flatMap(({ event, payload }) => {
    const text = JSON.stringify(payload);
    const found = needles.find((needle) => text.includes(needle));
    return found ? [`${event} carried ${found.slice(0, 60)}: ${text.slice(0, 300)}`] : [];
  });
}

/** Client events without an ack (no answer by design). */
export const VOLATILE_EVENTS: ReadonlySet<ClientEventName> = new Set(["chat:typing", "notifications:viewing", "presence:activity"]);

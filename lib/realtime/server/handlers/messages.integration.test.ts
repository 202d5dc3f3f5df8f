// Messages against the real server: send (ack, broadcast, idempotency, ordering under concurrency),
// replies and mentions, edit/delete/react rights with live updates, history pages, read pointers,
// unread counts on connect and typing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { HISTORY_PAGE_SIZE, MESSAGE_MAX_LENGTH } from "@/lib/realtime/protocol";
import { startServer, type TestServer } from "@/test/support/server";
import {
  barrier,
  CHAT_SERVER_ENV,
  chatSnapshot,
  failure,
  newId,
  nextMatching,
  ok,
  openDb,
  type Person,
  person,
  record,
} from "./chat-test-support";

let server: TestServer;
let db: ReturnType<typeof openDb>;

beforeAll(async () => {
  server = await startServer({ env: CHAT_SERVER_ENV });
  db = openDb(server);
});

afterAll(async () => {
  await db?.close();
  await server?.stop();
});

const send = (who: Person, conversationId: string, body: string, extra: { replyToId?: string } = {}) =>
  ok(who.socket, "chat:send", { conversationId, clientMessageId: newId(), body, ...extra });

async function pair(): Promise<{ alice: Person; bob: Person; conversationId: string }> {
  const alice = await person(server);
  const bob = await person(server);
  const { id } = await ok(alice.socket, "conversation:open-direct", { userId: bob.id });
  return { alice, bob, conversationId: id };
}

describe("chat:send", () => {
  it("acks the stored message and broadcasts it once to the other member and the sender's other tab", async () => {
    const { alice, bob, conversationId } = await pair();
    const aliceTab2 = await alice.connect();
    const outsider = await person(server);
    const bobLog = record(bob.socket, "chat:message-created");
    const tabLog = record(aliceTab2, "chat:message-created");
    const outsiderLog = record(outsider.socket, "chat:message-created");

    const clientMessageId = newId();
    const message = await ok(alice.socket, "chat:send", { conversationId, clientMessageId, body: "hello bob" });
    expect(message).toMatchObject({
      clientMessageId,
      conversationId,
      seq: 1,
      version: 1,
      authorId: alice.id,
      kind: "text",
      body: "hello bob",
      mentions: [],
      replyTo: null,
      reactions: [],
      attachments: [],
      editedAt: null,
      deletedAt: null,
    });
    expect(Date.parse(message.createdAt)).not.toBeNaN();
    await barrier(bob.socket);
    await barrier(aliceTab2);
    await barrier(outsider.socket);
    expect(bobLog).toEqual([message]);
    expect(tabLog).toEqual([message]);
    expect(outsiderLog).toEqual([]);
    // Own messages are read: Bob has one unread, Alice none.
    expect((await db.get<{ readSeq: number }>(`SELECT "readSeq" FROM "Membership" WHERE "conversationId" = ? AND "userId" = ?`, conversationId, alice.id)).readSeq).toBe(1);
    expect((await ok(bob.socket, "conversation:list", {}))[0]).toMatchObject({ id: conversationId, unreadCount: 1 });
  });

  it("is idempotent on clientMessageId: retries, even concurrent ones, return the same message once", async () => {
    const { alice, bob, conversationId } = await pair();
    const bobLog = record(bob.socket, "chat:message-created");
    const input = { conversationId, clientMessageId: newId(), body: "only once" };
    const first = await ok(alice.socket, "chat:send", input);
    const retry = await ok(alice.socket, "chat:send", input);
    expect(retry).toEqual(first);

    const concurrent = { conversationId, clientMessageId: newId(), body: "racing" };
    const aliceTab2 = await alice.connect();
    const results = await Promise.all([ok(alice.socket, "chat:send", concurrent), ok(aliceTab2, "chat:send", concurrent), ok(alice.socket, "chat:send", concurrent)]);
    expect(new Set(results.map((result) => result.id)).size).toBe(1);
    expect(new Set(results.map((result) => result.seq)).size).toBe(1);

    expect(await db.count(`SELECT COUNT(*) AS n FROM "Message" WHERE "authorId" = ? AND "clientMessageId" = ?`, alice.id, input.clientMessageId)).toBe(1);
    expect(await db.count(`SELECT COUNT(*) AS n FROM "Message" WHERE "conversationId" = ?`, conversationId)).toBe(2);
    expect((await db.get<{ lastSeq: number }>(`SELECT "lastSeq" FROM "Conversation" WHERE "id" = ?`, conversationId)).lastSeq).toBe(2);
    await barrier(bob.socket);
    // A retry is announced again (the first broadcast may have died with its process): the same
    // message, which clients merge by id; never a second message.
    expect([...new Set(bobLog.map((message) => message.seq))]).toEqual([1, 2]);
    expect(bobLog.filter((message) => message.seq === 1).every((message) => message.id === first.id)).toBe(true);
  });

  it("3 senders × 30 concurrent messages: seqs 1..90 without gaps, each sender's order kept, everyone sees all", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const carol = await person(server);
    const { id: conversationId } = await ok(alice.socket, "conversation:create-group", { name: "Burst", memberIds: [bob.id, carol.id] });
    const watcher = await alice.connect();
    const seen = record(watcher, "chat:message-created");
    const senders = [alice, bob, carol];
    const acks = await Promise.all(
      senders.flatMap((sender) =>
        Array.from({ length: 30 }, (_, index) => ok(sender.socket, "chat:send", { conversationId, clientMessageId: newId(), body: `${sender.id}#${index}` })),
      ),
    );
    expect(acks.map((message) => message.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 90 }, (_, index) => index + 1));
    for (const sender of senders) {
      const own = acks.filter((message) => message.authorId === sender.id).sort((a, b) => a.seq - b.seq);
      expect(own.map((message) => message.body)).toEqual(Array.from({ length: 30 }, (_, index) => `${sender.id}#${index}`));
    }
    await barrier(watcher);
    expect(seen.map((message) => message.seq)).toEqual(Array.from({ length: 90 }, (_, index) => index + 1));
    expect(await db.get<{ lastSeq: number; lastVersion: number }>(`SELECT "lastSeq", "lastVersion" FROM "Conversation" WHERE "id" = ?`, conversationId)).toEqual({
      lastSeq: 90,
      lastVersion: 90,
    });
  });

  it("validates the payload and refuses conversations that are not yours, writing nothing", async () => {
    const { alice, bob, conversationId } = await pair();
    const outsider = await person(server);
    const before = await chatSnapshot(db);
    const base = { conversationId, clientMessageId: newId() };
    expect(await failure(alice.socket, "chat:send", { ...base, body: "x".repeat(MESSAGE_MAX_LENGTH + 1) })).toBe("INVALID_PAYLOAD");
    expect(await failure(alice.socket, "chat:send", { ...base, body: "" })).toBe("INVALID_PAYLOAD");
    expect(await failure(alice.socket, "chat:send", { ...base, body: " \n\t " })).toBe("INVALID_PAYLOAD");
    expect(await failure(alice.socket, "chat:send", { ...base, body: 42 })).toBe("INVALID_PAYLOAD");
    expect(await failure(alice.socket, "chat:send", { ...base, body: "hi", authorId: bob.id })).toBe("INVALID_PAYLOAD");
    expect(await failure(alice.socket, "chat:send", { ...base, clientMessageId: "not-a-uuid", body: "hi" })).toBe("INVALID_PAYLOAD");
    expect(await failure(outsider.socket, "chat:send", { ...base, body: "let me in" })).toBe("NOT_FOUND");
    expect(await failure(outsider.socket, "chat:send", { ...base, conversationId: "no-such-conversation", body: "hi" })).toBe("NOT_FOUND");
    expect(await failure(alice.socket, "chat:send", { ...base, body: "hi", replyToId: "no-such-message" })).toBe("NOT_FOUND");
    expect(await failure(alice.socket, "chat:send", { ...base, body: "hi", attachmentIds: ["no-such-attachment"] })).toBe("NOT_FOUND");
    expect(await chatSnapshot(db)).toBe(before);
    const longest = await ok(alice.socket, "chat:send", { ...base, body: "y".repeat(MESSAGE_MAX_LENGTH) });
    expect(longest.body).toHaveLength(MESSAGE_MAX_LENGTH);
  });

  it("replies carry a preview; a reply to another conversation's message is NOT_FOUND", async () => {
    const { alice, bob, conversationId } = await pair();
    const other = await pair();
    const foreign = await send(other.alice, other.conversationId, "elsewhere");
    const original = await send(bob, conversationId, "original");
    const reply = await send(alice, conversationId, "answer", { replyToId: original.id });
    expect(reply.replyTo).toEqual({ id: original.id, seq: original.seq, authorId: bob.id, body: "original", isDeleted: false });
    const before = await chatSnapshot(db);
    expect(await failure(alice.socket, "chat:send", { conversationId, clientMessageId: newId(), body: "x", replyToId: foreign.id })).toBe("NOT_FOUND");
    expect(await chatSnapshot(db)).toBe(before);
    await ok(bob.socket, "chat:delete", { messageId: original.id });
    const history = await ok(alice.socket, "chat:history", { conversationId });
    expect(history.messages.find((message) => message.id === reply.id)?.replyTo).toEqual({ id: original.id, seq: 1, authorId: bob.id, body: "", isDeleted: true });
  });

  it("mentions list members only and notify the mentioned member", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const carol = await person(server);
    const outsider = await person(server);
    const { id: conversationId } = await ok(alice.socket, "conversation:create-group", { name: "Mentions", memberIds: [bob.id, carol.id] });
    const bobMentioned = nextMatching(bob.socket, "chat:mentioned");
    const carolMentions = record(carol.socket, "chat:mentioned");
    const outsiderMentions = record(outsider.socket, "chat:mentioned");
    const message = await send(alice, conversationId, `hey <@${bob.id}> and <@${outsider.id}> and <@${bob.id}>`);
    expect(message.mentions).toEqual([bob.id]);
    expect(await bobMentioned).toEqual({ conversationId, messageId: message.id, seq: message.seq, byUserId: alice.id });
    await barrier(carol.socket);
    await barrier(outsider.socket);
    expect(carolMentions).toEqual([]);
    expect(outsiderMentions).toEqual([]);
    expect((await ok(carol.socket, "conversation:list", {}))[0]?.lastMessagePreview).toBe(`hey @${bob.name} and @someone and @${bob.name}`);
  });
});

describe("edit, delete, react", () => {
  it("edit: author only, live to the room with a new version and editedAt", async () => {
    const { alice, bob, conversationId } = await pair();
    const outsider = await person(server);
    const message = await send(alice, conversationId, "typo");
    const before = await chatSnapshot(db);
    expect(await failure(bob.socket, "chat:edit", { messageId: message.id, body: "hijack" })).toBe("FORBIDDEN");
    expect(await failure(outsider.socket, "chat:edit", { messageId: message.id, body: "hijack" })).toBe("NOT_FOUND");
    expect(await failure(alice.socket, "chat:edit", { messageId: "no-such-message", body: "x" })).toBe("NOT_FOUND");
    expect(await failure(alice.socket, "chat:edit", { messageId: message.id, body: "  " })).toBe("INVALID_PAYLOAD");
    expect(await chatSnapshot(db)).toBe(before);

    const bobHears = nextMatching(bob.socket, "chat:message-updated");
    const edited = await ok(alice.socket, "chat:edit", { messageId: message.id, body: "fixed" });
    expect(edited).toMatchObject({ id: message.id, seq: message.seq, body: "fixed", version: message.version + 1 });
    expect(edited.editedAt).not.toBeNull();
    expect(await bobHears).toEqual(edited);
    expect((await ok(bob.socket, "conversation:list", {}))[0]?.lastMessagePreview).toBe("fixed");
  });

  it("delete: author only; the content, reactions and attachments are gone for everyone", async () => {
    const { alice, bob, conversationId } = await pair();
    const message = await send(alice, conversationId, "regret");
    await ok(bob.socket, "chat:react", { messageId: message.id, emoji: "😂", isOn: true });
    expect(await failure(bob.socket, "chat:delete", { messageId: message.id })).toBe("FORBIDDEN");

    const bobHears = nextMatching(bob.socket, "chat:message-updated");
    const deleted = await ok(alice.socket, "chat:delete", { messageId: message.id });
    expect(deleted).toMatchObject({ id: message.id, body: "", reactions: [], attachments: [], mentions: [] });
    expect(deleted.deletedAt).not.toBeNull();
    expect(await bobHears).toEqual(deleted);
    expect((await db.get<{ body: string }>(`SELECT "body" FROM "Message" WHERE "id" = ?`, message.id)).body).toBe("");
    expect(await db.count(`SELECT COUNT(*) AS n FROM "Reaction" WHERE "messageId" = ?`, message.id)).toBe(0);
    const history = await ok(bob.socket, "chat:history", { conversationId });
    expect(history.messages[0]).toEqual(deleted);
    expect((await ok(bob.socket, "conversation:list", {}))[0]?.lastMessagePreview).toBe("Message deleted");

    const before = await chatSnapshot(db);
    expect(await failure(alice.socket, "chat:edit", { messageId: message.id, body: "undo" })).toBe("FORBIDDEN");
    expect(await failure(bob.socket, "chat:react", { messageId: message.id, emoji: "👍", isOn: true })).toBe("FORBIDDEN");
    expect(await ok(alice.socket, "chat:delete", { messageId: message.id })).toEqual(deleted);
    expect(await chatSnapshot(db)).toBe(before);
  });

  it("react: any member toggles; live to the room; non-members get NOT_FOUND", async () => {
    const { alice, bob, conversationId } = await pair();
    const outsider = await person(server);
    const message = await send(alice, conversationId, "react to me");
    const aliceUpdates = record(alice.socket, "chat:message-updated");

    const on = await ok(bob.socket, "chat:react", { messageId: message.id, emoji: "👍", isOn: true });
    expect(on.reactions).toEqual([{ emoji: "👍", userIds: [bob.id] }]);
    const both = await ok(alice.socket, "chat:react", { messageId: message.id, emoji: "👍", isOn: true });
    expect(both.reactions).toEqual([{ emoji: "👍", userIds: [bob.id, alice.id] }]);
    const again = await ok(bob.socket, "chat:react", { messageId: message.id, emoji: "👍", isOn: true });
    expect(again.version).toBe(both.version); // already on: nothing changes
    const off = await ok(bob.socket, "chat:react", { messageId: message.id, emoji: "👍", isOn: false });
    expect(off.reactions).toEqual([{ emoji: "👍", userIds: [alice.id] }]);
    expect(off.version).toBeGreaterThan(both.version);
    await barrier(alice.socket);
    expect(aliceUpdates.map((update) => update.version)).toEqual([on.version, both.version, off.version]);

    const before = await chatSnapshot(db);
    expect(await failure(outsider.socket, "chat:react", { messageId: message.id, emoji: "👍", isOn: true })).toBe("NOT_FOUND");
    expect(await failure(bob.socket, "chat:react", { messageId: message.id, emoji: "abc", isOn: true })).toBe("INVALID_PAYLOAD");
    expect(await failure(bob.socket, "chat:react", { messageId: "no-such-message", emoji: "👍", isOn: true })).toBe("NOT_FOUND");
    expect(await chatSnapshot(db)).toBe(before);
  });
});

describe("history", () => {
  async function fill(sender: Person, conversationId: string, count: number) {
    for (let index = 1; index <= count; index += 1) await send(sender, conversationId, `m${index}`);
  }

  it(`exactly ${HISTORY_PAGE_SIZE} messages: one page, no more`, async () => {
    const { alice, conversationId } = await pair();
    await fill(alice, conversationId, HISTORY_PAGE_SIZE);
    const page = await ok(alice.socket, "chat:history", { conversationId });
    expect(page.messages.map((message) => message.seq)).toEqual(Array.from({ length: HISTORY_PAGE_SIZE }, (_, index) => index + 1));
    expect(page.hasMore).toBe(false);
  });

  it(`${HISTORY_PAGE_SIZE + 1} messages: newest page first (oldest→newest), then the rest by beforeSeq (exclusive)`, async () => {
    const { alice, bob, conversationId } = await pair();
    await fill(alice, conversationId, HISTORY_PAGE_SIZE + 1);
    const newest = await ok(bob.socket, "chat:history", { conversationId });
    expect(newest.messages.map((message) => message.seq)).toEqual(Array.from({ length: HISTORY_PAGE_SIZE }, (_, index) => index + 2));
    expect(newest.hasMore).toBe(true);
    const older = await ok(bob.socket, "chat:history", { conversationId, beforeSeq: newest.messages[0]!.seq });
    expect(older).toEqual({ conversationId, messages: [expect.objectContaining({ seq: 1, body: "m1" })], hasMore: false });
    const small = await ok(bob.socket, "chat:history", { conversationId, beforeSeq: 10, limit: 3 });
    expect(small.messages.map((message) => message.seq)).toEqual([7, 8, 9]);
    expect(small.hasMore).toBe(true);
    expect((await ok(bob.socket, "chat:history", { conversationId, beforeSeq: 1 })).messages).toEqual([]);
    expect(await failure(bob.socket, "chat:history", { conversationId, limit: 101 })).toBe("INVALID_PAYLOAD");
    expect(await failure(bob.socket, "chat:history", { conversationId, beforeSeq: 0 })).toBe("INVALID_PAYLOAD");
  });

  it("chat:around centres the page on a seq far from both ends", async () => {
    const { alice, bob, conversationId } = await pair();
    await fill(alice, conversationId, 2 * HISTORY_PAGE_SIZE);
    const page = await ok(bob.socket, "chat:around", { conversationId, seq: HISTORY_PAGE_SIZE });
    const seqs = page.messages.map((message) => message.seq);
    expect(seqs).toEqual(Array.from({ length: HISTORY_PAGE_SIZE }, (_, index) => index + HISTORY_PAGE_SIZE / 2));
    expect(seqs.indexOf(HISTORY_PAGE_SIZE)).toBe(HISTORY_PAGE_SIZE / 2);
    expect(page.hasMore).toBe(true);

    // Near the end the page is filled from older messages, so it joins up with the newest.
    const nearEnd = await ok(bob.socket, "chat:around", { conversationId, seq: 2 * HISTORY_PAGE_SIZE - 5 });
    expect(nearEnd.messages.map((message) => message.seq)).toEqual(Array.from({ length: HISTORY_PAGE_SIZE }, (_, index) => index + HISTORY_PAGE_SIZE + 1));
    expect(nearEnd.hasMore).toBe(true);
    const nearStart = await ok(bob.socket, "chat:around", { conversationId, seq: 3 });
    expect(nearStart.messages.map((message) => message.seq)).toEqual(Array.from({ length: 2 + HISTORY_PAGE_SIZE / 2 }, (_, index) => index + 1));
    expect(nearStart.hasMore).toBe(false);
    expect(await failure(bob.socket, "chat:around", { conversationId, seq: 0 })).toBe("INVALID_PAYLOAD");
  });
});

describe("read pointers", () => {
  it("mark-read moves forward only, clamps to the last message and reaches the reader's other tab and the peer", async () => {
    const { alice, bob, conversationId } = await pair();
    for (const body of ["a", "b", "c"]) await send(alice, conversationId, body);
    const bobTab2 = await bob.connect();
    const tabHears = nextMatching(bobTab2, "chat:read-updated");
    const aliceHears = nextMatching(alice.socket, "chat:read-updated");

    expect(await ok(bob.socket, "chat:mark-read", { conversationId, seq: 2 })).toEqual({ conversationId, userId: bob.id, readSeq: 2 });
    expect(await tabHears).toEqual({ conversationId, userId: bob.id, readSeq: 2 });
    expect(await aliceHears).toEqual({ conversationId, userId: bob.id, readSeq: 2 });

    const updates = record(bobTab2, "chat:read-updated");
    expect(await ok(bob.socket, "chat:mark-read", { conversationId, seq: 1 })).toMatchObject({ readSeq: 2 });
    expect(await ok(bob.socket, "chat:mark-read", { conversationId, seq: 999 })).toMatchObject({ readSeq: 3 });
    await barrier(bobTab2);
    expect(updates).toEqual([{ conversationId, userId: bob.id, readSeq: 3 }]);
    expect((await ok(bob.socket, "conversation:list", {}))[0]?.unreadCount).toBe(0);
    expect(await failure(bob.socket, "chat:mark-read", { conversationId, seq: -1 })).toBe("INVALID_PAYLOAD");
  });

  it("a connecting socket gets the authoritative unread counts", async () => {
    const { alice, bob, conversationId } = await pair();
    const team = await ok(alice.socket, "conversation:create-group", { name: "Counts", memberIds: [bob.id] });
    for (const body of ["1", "2", "3"]) await send(alice, conversationId, body);
    await send(alice, team.id, "group");
    await send(bob, team.id, "mine");
    await ok(bob.socket, "chat:mark-read", { conversationId, seq: 1 });
    bob.socket.disconnect();

    const socket = await bob.unconnected();
    const arrived = nextMatching(socket, "chat:unread-counts");
    socket.connect();
    const counts = await arrived;
    const byId = Object.fromEntries(counts.counts.map((count) => [count.conversationId, count]));
    expect(byId[conversationId]).toEqual({ conversationId, unreadCount: 2, readSeq: 1 });
    expect(byId[team.id]).toEqual({ conversationId: team.id, unreadCount: 0, readSeq: 2 });
    expect(counts.counts).toHaveLength(2);
  });
});

describe("typing", () => {
  it("relays to the other member only, throttles isTyping=true and always relays isTyping=false", async () => {
    const { alice, bob, conversationId } = await pair();
    const aliceTab2 = await alice.connect();
    const outsider = await person(server);
    const bobTyping = record(bob.socket, "chat:typing-changed");
    const tabTyping = record(aliceTab2, "chat:typing-changed");
    const outsiderTyping = record(outsider.socket, "chat:typing-changed");

    const started = nextMatching(bob.socket, "chat:typing-changed");
    alice.socket.emit("chat:typing", { conversationId, isTyping: true });
    await started;
    // Within the throttle window: none of these is relayed. (Relayed ones would reach Bob before
    // the barriers: the server handles a socket's packets in order and Bob's link is idle.)
    for (let index = 0; index < 3; index += 1) alice.socket.emit("chat:typing", { conversationId, isTyping: true });
    // Invalid or foreign typing is dropped without an answer.
    (alice.socket as unknown as { emit: (event: string, payload: unknown) => void }).emit("chat:typing", { conversationId, isTyping: "yes" });
    outsider.socket.emit("chat:typing", { conversationId, isTyping: true });
    await barrier(alice.socket);
    await barrier(outsider.socket);
    await barrier(bob.socket);
    const stopped = nextMatching(bob.socket, "chat:typing-changed", (event) => !event.isTyping);
    alice.socket.emit("chat:typing", { conversationId, isTyping: false });
    await stopped;
    await barrier(aliceTab2);
    expect(bobTyping).toEqual([
      { conversationId, userId: alice.id, isTyping: true },
      { conversationId, userId: alice.id, isTyping: false },
    ]);
    expect(tabTyping).toEqual([]);
    expect(outsiderTyping).toEqual([]);
    expect(await db.count(`SELECT COUNT(*) AS n FROM "Message" WHERE "conversationId" = ?`, conversationId)).toBe(0);
  });
});

// Contacts against the real server: user search, friend requests with live events on both sides,
// blocks and what they stop. Real HTTP sessions, real sockets, the real database.
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { USER_SEARCH_PAGE_SIZE } from "@/lib/realtime/protocol";
import { startServer, type TestServer } from "@/test/support/server";
import {
  account,
  barrier,
  CHAT_SERVER_ENV,
  chatSnapshot,
  expectNoEmails,
  failure,
  newId,
  nextMatching,
  ok,
  openDb,
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

const tag = () => randomUUID().slice(0, 8);

describe("contacts:search", () => {
  it("finds a user by exact email in any case, without ever returning an email", async () => {
    const alice = await person(server);
    const bob = await person(server, `Bob ${tag()}`);
    const page = await ok(alice.socket, "contacts:search", { query: bob.email.toUpperCase() });
    expect(page.users).toEqual([{ id: bob.id, name: bob.name, avatarColor: expect.stringMatching(/^#[0-9a-f]{6}$/), relation: "none" }]);
    expect(page.nextCursor).toBeNull();
    expectNoEmails(page, [bob.email, alice.email]);
    // A part of an email finds nobody: only exact addresses are looked up.
    const partial = await ok(alice.socket, "contacts:search", { query: bob.email.slice(0, -3) });
    expect(partial.users.map((user) => user.id)).not.toContain(bob.id);
  });

  it("matches a name prefix in any case, marks the caller as self, and colors are stable", async () => {
    const prefix = `Quill${tag()}`;
    const alice = await person(server, `${prefix} Alice`);
    const other = await account(server, `${prefix.toLowerCase()} other`);
    const page = await ok(alice.socket, "contacts:search", { query: prefix.toUpperCase() });
    expect(page.users.map((user) => user.id).sort()).toEqual([alice.id, other.id].sort());
    expect(page.users.find((user) => user.id === alice.id)?.relation).toBe("self");
    const again = await ok(alice.socket, "contacts:search", { query: prefix });
    expect(again.users).toEqual(page.users);
    expectNoEmails(page, [other.email]);
  });

  it(`pages by ${USER_SEARCH_PAGE_SIZE}: exactly ${USER_SEARCH_PAGE_SIZE} has no next page, one more has`, async () => {
    const prefix = `Page${tag()}`;
    const searcher = await person(server);
    const accounts = [];
    for (let index = 0; index < USER_SEARCH_PAGE_SIZE; index += 1) {
      accounts.push(await account(server, `${prefix} 0${String(index).padStart(2, "0")}`));
    }
    accounts.push(await account(server, `${prefix} 1xx`));

    const exact = await ok(searcher.socket, "contacts:search", { query: `${prefix} 0` });
    expect(exact.users).toHaveLength(USER_SEARCH_PAGE_SIZE);
    expect(exact.nextCursor).toBeNull();

    const first = await ok(searcher.socket, "contacts:search", { query: prefix });
    expect(first.users).toHaveLength(USER_SEARCH_PAGE_SIZE);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await ok(searcher.socket, "contacts:search", { query: prefix, cursor: first.nextCursor! });
    expect(second.users).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
    const seen = [...first.users, ...second.users].map((user) => user.id);
    expect(new Set(seen).size).toBe(accounts.length);
    expect(seen.sort()).toEqual(accounts.map((item) => item.id).sort());
    expectNoEmails([first, second], accounts.map((item) => item.email));

    expect(await failure(searcher.socket, "contacts:search", { query: prefix, cursor: "not-a-cursor" })).toBe("INVALID_PAYLOAD");
  });

  it("treats % and _ literally", async () => {
    const searcher = await person(server);
    const all = await ok(searcher.socket, "contacts:search", { query: "%" });
    expect(all.users).toEqual([]);
    const underscore = await ok(searcher.socket, "contacts:search", { query: "_" });
    expect(underscore.users).toEqual([]);
  });

  it("leaves out people who blocked the caller and marks people the caller blocked", async () => {
    const alice = await person(server);
    const bob = await person(server, `Blocker ${tag()}`);
    await ok(bob.socket, "contacts:block", { userId: alice.id });
    expect((await ok(alice.socket, "contacts:search", { query: bob.email })).users).toEqual([]);
    expect((await ok(alice.socket, "contacts:search", { query: bob.name })).users).toEqual([]);
    const fromBob = await ok(bob.socket, "contacts:search", { query: alice.email });
    expect(fromBob.users).toEqual([expect.objectContaining({ id: alice.id, relation: "blocked" })]);
  });

  it("rejects malformed searches", async () => {
    const alice = await person(server);
    expect(await failure(alice.socket, "contacts:search", { query: "" })).toBe("INVALID_PAYLOAD");
    expect(await failure(alice.socket, "contacts:search", { query: "a", extra: 1 })).toBe("INVALID_PAYLOAD");
    expect(await failure(alice.socket, "contacts:search", { query: 7 })).toBe("INVALID_PAYLOAD");
  });
});

describe("friend requests", () => {
  it("request → both sides hear it live → accept writes contacts both ways", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const aliceTab2 = await alice.connect();
    const bobHears = nextMatching(bob.socket, "contacts:request-changed", (request) => request.status === "pending");
    const aliceTabHears = nextMatching(aliceTab2, "contacts:request-changed", (request) => request.status === "pending");

    const request = await ok(alice.socket, "contacts:request", { userId: bob.id });
    expect(request).toMatchObject({ from: { id: alice.id, name: alice.name }, to: { id: bob.id, name: bob.name }, status: "pending" });
    expect(await bobHears).toEqual(request);
    expect(await aliceTabHears).toEqual(request);
    expectNoEmails(request, [alice.email, bob.email]);
    expect((await ok(bob.socket, "contacts:search", { query: alice.email })).users[0]?.relation).toBe("incoming");
    expect((await ok(alice.socket, "contacts:search", { query: bob.email })).users[0]?.relation).toBe("outgoing");

    const bobList = await ok(bob.socket, "contacts:list", {});
    expect(bobList.incoming.map((item) => item.id)).toEqual([request.id]);
    expectNoEmails(bobList, [alice.email]);

    const aliceHearsAccept = nextMatching(alice.socket, "contacts:request-changed", (item) => item.status === "accepted");
    const accepted = await ok(bob.socket, "contacts:respond", { requestId: request.id, accept: true });
    expect(accepted).toMatchObject({ id: request.id, status: "accepted" });
    expect(await aliceHearsAccept).toEqual(accepted);

    expect((await ok(alice.socket, "contacts:list", {})).contacts.map((user) => user.id)).toEqual([bob.id]);
    expect((await ok(bob.socket, "contacts:list", {})).contacts.map((user) => user.id)).toEqual([alice.id]);
    expect(await db.count(`SELECT COUNT(*) AS n FROM "Contact" WHERE ("ownerId" = ? AND "contactId" = ?) OR ("ownerId" = ? AND "contactId" = ?)`, alice.id, bob.id, bob.id, alice.id)).toBe(2);
    expect((await ok(alice.socket, "contacts:search", { query: bob.email })).users[0]?.relation).toBe("contact");

    expect(await failure(alice.socket, "contacts:request", { userId: bob.id })).toBe("CONFLICT");
    expect(await failure(bob.socket, "contacts:respond", { requestId: request.id, accept: false })).toBe("CONFLICT");
  });

  it("decline: the sender hears it, nobody becomes a contact", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const request = await ok(alice.socket, "contacts:request", { userId: bob.id });
    const aliceHears = nextMatching(alice.socket, "contacts:request-changed", (item) => item.status === "declined");
    const declined = await ok(bob.socket, "contacts:respond", { requestId: request.id, accept: false });
    expect(declined.status).toBe("declined");
    expect(await aliceHears).toEqual(declined);
    expect((await ok(alice.socket, "contacts:list", {})).contacts).toEqual([]);
    expect(await db.count(`SELECT COUNT(*) AS n FROM "Contact" WHERE "ownerId" IN (?, ?)`, alice.id, bob.id)).toBe(0);
    // Asking again reopens the same row.
    const again = await ok(alice.socket, "contacts:request", { userId: bob.id });
    expect(again).toMatchObject({ id: request.id, status: "pending" });
  });

  it("cancel: only the sender, only while pending; others get NOT_FOUND and nothing changes", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const mallory = await person(server);
    const request = await ok(alice.socket, "contacts:request", { userId: bob.id });

    const before = await chatSnapshot(db);
    expect(await failure(bob.socket, "contacts:cancel", { requestId: request.id })).toBe("NOT_FOUND");
    expect(await failure(mallory.socket, "contacts:cancel", { requestId: request.id })).toBe("NOT_FOUND");
    expect(await failure(mallory.socket, "contacts:respond", { requestId: request.id, accept: true })).toBe("NOT_FOUND");
    expect(await failure(alice.socket, "contacts:respond", { requestId: request.id, accept: true })).toBe("NOT_FOUND");
    expect(await failure(mallory.socket, "contacts:respond", { requestId: "no-such-request", accept: true })).toBe("NOT_FOUND");
    expect(await chatSnapshot(db)).toBe(before);

    const bobHears = nextMatching(bob.socket, "contacts:request-changed", (item) => item.status === "cancelled");
    const cancelled = await ok(alice.socket, "contacts:cancel", { requestId: request.id });
    expect(cancelled.status).toBe("cancelled");
    expect(await bobHears).toEqual(cancelled);
    expect((await ok(bob.socket, "contacts:list", {})).incoming).toEqual([]);
    expect(await failure(alice.socket, "contacts:cancel", { requestId: request.id })).toBe("CONFLICT");
    expect(await failure(bob.socket, "contacts:respond", { requestId: request.id, accept: true })).toBe("CONFLICT");
  });

  it("a request crossing an opposite pending one accepts it", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const fromAlice = await ok(alice.socket, "contacts:request", { userId: bob.id });
    const aliceHears = nextMatching(alice.socket, "contacts:request-changed", (item) => item.status === "accepted");
    const crossing = await ok(bob.socket, "contacts:request", { userId: alice.id });
    expect(crossing).toMatchObject({ id: fromAlice.id, status: "accepted", from: { id: alice.id }, to: { id: bob.id } });
    expect(await aliceHears).toEqual(crossing);
    expect((await ok(bob.socket, "contacts:list", {})).contacts.map((user) => user.id)).toEqual([alice.id]);
  });

  it("refuses yourself, unknown people and malformed targets without writing anything", async () => {
    const alice = await person(server);
    const before = await chatSnapshot(db);
    expect(await failure(alice.socket, "contacts:request", { userId: alice.id })).toBe("FORBIDDEN");
    expect(await failure(alice.socket, "contacts:request", { userId: "no-such-user" })).toBe("NOT_FOUND");
    expect(await failure(alice.socket, "contacts:request", { userId: "" })).toBe("INVALID_PAYLOAD");
    expect(await failure(alice.socket, "contacts:request", { userId: alice.id, note: "hi" })).toBe("INVALID_PAYLOAD");
    expect(await failure(alice.socket, "contacts:block", { userId: "no-such-user" })).toBe("NOT_FOUND");
    expect(await failure(alice.socket, "contacts:block", { userId: alice.id })).toBe("FORBIDDEN");
    expect(await chatSnapshot(db)).toBe(before);
  });
});

describe("blocks", () => {
  it("ends the contact both ways, cancels pending requests and tells only the blocker's tabs", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const carol = await person(server);
    const request = await ok(alice.socket, "contacts:request", { userId: bob.id });
    await ok(bob.socket, "contacts:respond", { requestId: request.id, accept: true });
    const pending = await ok(carol.socket, "contacts:request", { userId: alice.id });
    const pendingBack = await ok(alice.socket, "contacts:request", { userId: carol.id });
    expect(pendingBack.status).toBe("accepted"); // crossing: they are contacts now
    await ok(alice.socket, "contacts:block", { userId: carol.id });
    expect(pending.id).toBe(pendingBack.id);

    const aliceTab2 = await alice.connect();
    const bobEvents = record(bob.socket, "contacts:changed");
    const bobRequests = record(bob.socket, "contacts:request-changed");
    expect(await failure(bob.socket, "contacts:request", { userId: alice.id })).toBe("CONFLICT"); // already contacts

    const tabHears = nextMatching(aliceTab2, "contacts:changed");
    const contacts = await ok(alice.socket, "contacts:block", { userId: bob.id });
    expect(contacts.contacts).toEqual([]);
    expect(contacts.blocked.map((user) => user.id).sort()).toEqual([bob.id, carol.id].sort());
    expect(await tabHears).toEqual(contacts);
    expectNoEmails(contacts, [bob.email, carol.email]);
    expect(await db.count(`SELECT COUNT(*) AS n FROM "Contact" WHERE "ownerId" IN (?, ?) AND "contactId" IN (?, ?)`, alice.id, bob.id, alice.id, bob.id)).toBe(0);
    expect((await ok(bob.socket, "contacts:list", {})).contacts).toEqual([]);
    await barrier(bob.socket);
    expect(bobEvents).toEqual([]);
    expect(bobRequests).toEqual([]);
  });

  it("cancels a pending request between the two", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const request = await ok(bob.socket, "contacts:request", { userId: alice.id });
    await ok(alice.socket, "contacts:block", { userId: bob.id });
    expect((await db.get<{ status: string }>(`SELECT "status" FROM "FriendRequest" WHERE "id" = ?`, request.id)).status).toBe("cancelled");
    expect((await ok(alice.socket, "contacts:list", {})).incoming).toEqual([]);
    expect((await ok(bob.socket, "contacts:list", {})).outgoing).toEqual([]);
  });

  it("stops requests, new direct chats and messages in either direction; unblock restores only the ability", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const direct = await ok(bob.socket, "conversation:open-direct", { userId: alice.id });
    await ok(bob.socket, "chat:send", { conversationId: direct.id, clientMessageId: newId(), body: "before the block" });

    await ok(alice.socket, "contacts:block", { userId: bob.id });
    const before = await chatSnapshot(db);
    expect(await failure(bob.socket, "contacts:request", { userId: alice.id })).toBe("NOT_FOUND");
    expect(await failure(alice.socket, "contacts:request", { userId: bob.id })).toBe("NOT_FOUND");
    expect(await failure(bob.socket, "conversation:open-direct", { userId: alice.id })).toBe("NOT_FOUND");
    expect(await failure(alice.socket, "conversation:open-direct", { userId: bob.id })).toBe("NOT_FOUND");
    const blockedSend = await ok(bob.socket, "chat:send", { conversationId: direct.id, clientMessageId: newId(), body: "after" }).catch(
      (error: Error) => error.message,
    );
    expect(blockedSend).toMatch(/FORBIDDEN.*blocked/);
    expect(await failure(alice.socket, "chat:send", { conversationId: direct.id, clientMessageId: newId(), body: "mine either" })).toBe("FORBIDDEN");
    expect(await failure(bob.socket, "conversation:create-group", { name: "Sneaky", memberIds: [alice.id] })).toBe("NOT_FOUND");
    expect(await chatSnapshot(db)).toBe(before);
    // History stays readable.
    expect((await ok(bob.socket, "chat:history", { conversationId: direct.id })).messages.map((message) => message.body)).toEqual(["before the block"]);

    const unblocked = await ok(alice.socket, "contacts:unblock", { userId: bob.id });
    expect(unblocked.blocked).toEqual([]);
    expect(unblocked.contacts).toEqual([]);
    const sent = await ok(bob.socket, "chat:send", { conversationId: direct.id, clientMessageId: newId(), body: "after unblock" });
    expect(sent.seq).toBe(2);
    expect((await ok(bob.socket, "conversation:open-direct", { userId: alice.id })).id).toBe(direct.id);
    expect((await ok(bob.socket, "contacts:request", { userId: alice.id })).status).toBe("pending");
  });
});

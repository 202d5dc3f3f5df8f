// Conversations against the real server: direct chats, groups and their membership changes with
// live events, rooms joined and left without reconnecting, admin rights, and what a former member
// can no longer do.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startServer, type TestServer } from "@/test/support/server";
import {
  barrier,
  CHAT_SERVER_ENV,
  chatSnapshot,
  expectNoEmails,
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

const send = (who: Person, conversationId: string, body: string) =>
  ok(who.socket, "chat:send", { conversationId, clientMessageId: newId(), body });

describe("direct chats", () => {
  it("one per pair, created on first use, announced live to the other person, titled by the other's name", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const bobHears = nextMatching(bob.socket, "conversation:upserted");
    const opened = await ok(alice.socket, "conversation:open-direct", { userId: bob.id });
    expect(opened).toMatchObject({ kind: "direct", title: bob.name, lastSeq: 0, unreadCount: 0, myRole: "member" });
    expect(opened.members.map((member) => member.id).sort()).toEqual([alice.id, bob.id].sort());
    const event = await bobHears;
    expect(event.addedBy).toMatchObject({ id: alice.id, name: alice.name });
    expect(event.conversation).toMatchObject({ id: opened.id, title: alice.name });
    expectNoEmails([opened, event], [alice.email, bob.email]);

    expect((await ok(alice.socket, "conversation:open-direct", { userId: bob.id })).id).toBe(opened.id);
    expect((await ok(bob.socket, "conversation:open-direct", { userId: alice.id })).id).toBe(opened.id);
    const [first, second] = await Promise.all([
      ok(bob.socket, "conversation:open-direct", { userId: alice.id }),
      ok(alice.socket, "conversation:open-direct", { userId: bob.id }),
    ]);
    expect([first.id, second.id]).toEqual([opened.id, opened.id]);
    expect(await db.count(`SELECT COUNT(*) AS n FROM "Conversation" WHERE "directKey" = ?`, [alice.id, bob.id].sort().join(":"))).toBe(1);

    // Both sockets joined the new room at once: a message reaches the other side without reconnecting.
    const delivered = nextMatching(bob.socket, "chat:message-created");
    const message = await send(alice, opened.id, "hi bob");
    expect(await delivered).toEqual(message);
  });

  it("two people opening the same chat at once get one conversation", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const [a, b] = await Promise.all([
      ok(alice.socket, "conversation:open-direct", { userId: bob.id }),
      ok(bob.socket, "conversation:open-direct", { userId: alice.id }),
    ]);
    expect(a.id).toBe(b.id);
    expect(await db.count(`SELECT COUNT(*) AS n FROM "Membership" WHERE "conversationId" = ?`, a.id)).toBe(2);
  });

  it("refuses yourself and unknown people; direct chats cannot be left, renamed or extended", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const direct = await ok(alice.socket, "conversation:open-direct", { userId: bob.id });
    const carol = await person(server);
    const before = await chatSnapshot(db);
    expect(await failure(alice.socket, "conversation:open-direct", { userId: alice.id })).toBe("FORBIDDEN");
    expect(await failure(alice.socket, "conversation:open-direct", { userId: "no-such-user" })).toBe("NOT_FOUND");
    expect(await failure(alice.socket, "conversation:leave", { conversationId: direct.id })).toBe("FORBIDDEN");
    expect(await failure(alice.socket, "conversation:rename", { conversationId: direct.id, name: "Ours" })).toBe("FORBIDDEN");
    expect(await failure(alice.socket, "conversation:add-members", { conversationId: direct.id, userIds: [carol.id] })).toBe("FORBIDDEN");
    expect(await failure(carol.socket, "conversation:add-members", { conversationId: direct.id, userIds: [carol.id] })).toBe("NOT_FOUND");
    expect(await chatSnapshot(db)).toBe(before);
  });
});

describe("groups", () => {
  async function group(admin: Person, members: Person[], name = "Team") {
    return ok(admin.socket, "conversation:create-group", { name, memberIds: members.map((member) => member.id) });
  }

  it("create: the creator is admin, members hear it live with addedBy and get messages at once", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const carol = await person(server);
    const bobHears = nextMatching(bob.socket, "conversation:upserted");
    const created = await ok(alice.socket, "conversation:create-group", { name: "  Launch  ", memberIds: [bob.id, carol.id, bob.id, alice.id] });
    expect(created).toMatchObject({ kind: "group", title: "Launch", myRole: "admin", lastSeq: 0 });
    const roles = Object.fromEntries(created.members.map((member) => [member.id, member.role]));
    expect(roles).toEqual({ [alice.id]: "admin", [bob.id]: "member", [carol.id]: "member" });
    const event = await bobHears;
    expect(event.addedBy?.id).toBe(alice.id);
    expect(event.conversation).toMatchObject({ id: created.id, myRole: "member", title: "Launch" });

    const carolGets = nextMatching(carol.socket, "chat:message-created");
    const message = await send(bob, created.id, "hello team");
    expect(await carolGets).toEqual(message);
    expect(await failure(alice.socket, "conversation:create-group", { name: "Ghosts", memberIds: ["no-such-user"] })).toBe("NOT_FOUND");
    expect(await failure(alice.socket, "conversation:create-group", { name: "   ", memberIds: [] })).toBe("INVALID_PAYLOAD");
  });

  it("add: admins only; the added person hears it live and then receives the room's messages without reconnecting", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const dave = await person(server);
    const erin = await person(server);
    const team = await group(alice, [bob]);
    await send(alice, team.id, "before dave");

    const before = await chatSnapshot(db);
    expect(await failure(bob.socket, "conversation:add-members", { conversationId: team.id, userIds: [dave.id] })).toBe("FORBIDDEN");
    expect(await failure(dave.socket, "conversation:add-members", { conversationId: team.id, userIds: [dave.id] })).toBe("NOT_FOUND");
    expect(await failure(alice.socket, "conversation:add-members", { conversationId: team.id, userIds: [dave.id, "no-such-user"] })).toBe("NOT_FOUND");
    expect(await failure(alice.socket, "conversation:add-members", { conversationId: "no-such-conversation", userIds: [dave.id] })).toBe("NOT_FOUND");
    expect(await failure(alice.socket, "conversation:add-members", { conversationId: team.id, userIds: [] })).toBe("INVALID_PAYLOAD");
    await ok(erin.socket, "contacts:block", { userId: alice.id });
    expect(await failure(alice.socket, "conversation:add-members", { conversationId: team.id, userIds: [erin.id] })).toBe("NOT_FOUND");
    expect((await chatSnapshot(db)).replace(/Block=\d+/, "")).toBe(before.replace(/Block=\d+/, ""));

    const daveAdded = nextMatching(dave.socket, "conversation:upserted");
    const daveSystem = nextMatching(dave.socket, "chat:message-created");
    const bobSystem = nextMatching(bob.socket, "chat:message-created", (message) => message.kind === "system");
    const updated = await ok(alice.socket, "conversation:add-members", { conversationId: team.id, userIds: [dave.id, bob.id] });
    expect(updated.members.map((member) => member.id)).toContain(dave.id);
    const added = await daveAdded;
    expect(added.addedBy?.id).toBe(alice.id);
    // Earlier history is not unread for a newcomer; the "added" line is.
    expect(added.conversation).toMatchObject({ id: team.id, myRole: "member", unreadCount: 1, lastSeq: 2 });
    const system = await daveSystem;
    expect(system).toMatchObject({ kind: "system", seq: 2, body: `${alice.name} added ${dave.name}`, authorId: alice.id });
    expect(await bobSystem).toEqual(system);

    const daveGets = nextMatching(dave.socket, "chat:message-created");
    const message = await send(bob, team.id, "welcome dave");
    expect(await daveGets).toEqual(message);
    const history = await ok(dave.socket, "chat:history", { conversationId: team.id });
    expect(history.messages.map((item) => item.body)).toEqual(["before dave", system.body, "welcome dave"]);

    // Adding someone already in the group changes nothing.
    const snapshot = await chatSnapshot(db);
    await ok(alice.socket, "conversation:add-members", { conversationId: team.id, userIds: [dave.id] });
    expect(await chatSnapshot(db)).toBe(snapshot);
  });

  it("remove: admins only; the removed person leaves the room live and can no longer read, send, react, sync or type", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const carol = await person(server);
    const team = await group(alice, [bob, carol]);
    const old = await send(bob, team.id, "bob was here");

    const before = await chatSnapshot(db);
    expect(await failure(carol.socket, "conversation:remove-member", { conversationId: team.id, userId: bob.id })).toBe("FORBIDDEN");
    expect(await failure(alice.socket, "conversation:remove-member", { conversationId: team.id, userId: "no-such-user" })).toBe("NOT_FOUND");
    expect(await chatSnapshot(db)).toBe(before);

    const bobTab2 = await bob.connect();
    const bobRemoved = nextMatching(bob.socket, "conversation:removed");
    const tabRemoved = nextMatching(bobTab2, "conversation:removed");
    const carolUpdated = nextMatching(carol.socket, "conversation:upserted", (event) => event.conversation.members.length === 2);
    const carolSystem = nextMatching(carol.socket, "chat:message-created", (message) => message.kind === "system");
    const bobMessages = record(bob.socket, "chat:message-created");
    const after = await ok(alice.socket, "conversation:remove-member", { conversationId: team.id, userId: bob.id });
    expect(after.members.map((member) => member.id)).not.toContain(bob.id);
    expect(await bobRemoved).toEqual({ conversationId: team.id });
    expect(await tabRemoved).toEqual({ conversationId: team.id });
    expect((await carolUpdated).conversation.members.map((member) => member.id)).not.toContain(bob.id);
    expect((await carolSystem).body).toBe(`${alice.name} removed ${bob.name}`);

    const bobTyping = record(carol.socket, "chat:typing-changed");
    await send(carol, team.id, "bob is gone");
    bob.socket.emit("chat:typing", { conversationId: team.id, isTyping: true });
    const snapshot = await chatSnapshot(db);
    expect(await failure(bob.socket, "chat:history", { conversationId: team.id })).toBe("NOT_FOUND");
    expect(await failure(bob.socket, "chat:around", { conversationId: team.id, seq: 1 })).toBe("NOT_FOUND");
    expect(await failure(bob.socket, "chat:send", { conversationId: team.id, clientMessageId: newId(), body: "let me in" })).toBe("NOT_FOUND");
    expect(await failure(bob.socket, "chat:react", { messageId: old.id, emoji: "👍", isOn: true })).toBe("NOT_FOUND");
    expect(await failure(bob.socket, "chat:edit", { messageId: old.id, body: "edited" })).toBe("NOT_FOUND");
    expect(await failure(bob.socket, "chat:delete", { messageId: old.id })).toBe("NOT_FOUND");
    expect(await failure(bob.socket, "chat:mark-read", { conversationId: team.id, seq: 1 })).toBe("NOT_FOUND");
    expect(await failure(bob.socket, "chat:search", { query: "bob", conversationId: team.id })).toBe("NOT_FOUND");
    expect(await failure(bob.socket, "conversation:leave", { conversationId: team.id })).toBe("NOT_FOUND");
    expect((await ok(bob.socket, "chat:search", { query: "bob was here" })).hits).toEqual([]);
    expect((await ok(bob.socket, "chat:sync", { conversations: [{ conversationId: team.id, afterVersion: 0 }] })).updates).toEqual([]);
    expect((await ok(bob.socket, "conversation:list", {})).map((conversation) => conversation.id)).not.toContain(team.id);
    expect(await chatSnapshot(db)).toBe(snapshot);
    await barrier(bob.socket);
    await barrier(carol.socket);
    expect(bobMessages).toEqual([]);
    expect(bobTyping).toEqual([]);
  });

  it("leave: anyone may; when the last admin leaves the oldest member is promoted", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const carol = await person(server);
    const team = await group(alice, [bob]);
    await ok(alice.socket, "conversation:add-members", { conversationId: team.id, userIds: [carol.id] });

    // Earlier events (created, carol added) may still be on their way: wait for the one after the leave.
    const bobPromoted = nextMatching(bob.socket, "conversation:upserted", (event) => !event.conversation.members.some((member) => member.id === alice.id));
    const aliceRemoved = nextMatching(alice.socket, "conversation:removed");
    expect(await ok(alice.socket, "conversation:leave", { conversationId: team.id })).toEqual({ conversationId: team.id });
    expect(await aliceRemoved).toEqual({ conversationId: team.id });
    const promoted = await bobPromoted;
    expect(promoted.conversation.myRole).toBe("admin");
    expect(promoted.conversation.members.map((member) => [member.id, member.role])).toEqual([
      [bob.id, "admin"],
      [carol.id, "member"],
    ]);
    const history = await ok(bob.socket, "chat:history", { conversationId: team.id });
    expect(history.messages.at(-1)).toMatchObject({ kind: "system", body: `${alice.name} left` });

    // The new admin has the rights now; the former one has none.
    await ok(bob.socket, "conversation:rename", { conversationId: team.id, name: "Bob's team" });
    expect(await failure(alice.socket, "conversation:rename", { conversationId: team.id, name: "Mine again" })).toBe("NOT_FOUND");
    // Removing oneself is leaving.
    const carolLeaves = nextMatching(carol.socket, "conversation:removed");
    await ok(carol.socket, "conversation:remove-member", { conversationId: team.id, userId: carol.id });
    expect(await carolLeaves).toEqual({ conversationId: team.id });
  });

  it("rename: admins only; every member hears the new title and history records it", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const team = await group(alice, [bob]);
    const before = await chatSnapshot(db);
    expect(await failure(bob.socket, "conversation:rename", { conversationId: team.id, name: "Bob rules" })).toBe("FORBIDDEN");
    expect(await failure(alice.socket, "conversation:rename", { conversationId: team.id, name: "x".repeat(81) })).toBe("INVALID_PAYLOAD");
    expect(await chatSnapshot(db)).toBe(before);

    const bobHears = nextMatching(bob.socket, "conversation:upserted", (event) => event.conversation.title === "Renamed");
    const bobSystem = nextMatching(bob.socket, "chat:message-created", (message) => message.kind === "system");
    const renamed = await ok(alice.socket, "conversation:rename", { conversationId: team.id, name: "Renamed" });
    expect(renamed.title).toBe("Renamed");
    expect((await bobHears).conversation).toMatchObject({ title: "Renamed", myRole: "member", lastSeq: 1 });
    expect(await bobSystem).toMatchObject({ kind: "system", body: `${alice.name} renamed the group to "Renamed"` });
  });
});

describe("conversation:list", () => {
  it("the caller's conversations by last activity, with titles, previews, roles and unread counts", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const carol = await person(server);
    const direct = await ok(alice.socket, "conversation:open-direct", { userId: bob.id });
    const team = await ok(carol.socket, "conversation:create-group", { name: "Carol's", memberIds: [alice.id] });
    const elsewhere = await ok(bob.socket, "conversation:create-group", { name: "Not Alice's", memberIds: [carol.id] });

    await send(bob, direct.id, "one");
    await send(bob, direct.id, `two <@${alice.id}>`);
    await send(carol, team.id, "newest");
    await send(alice, team.id, "my own does not count");

    const list = await ok(alice.socket, "conversation:list", {});
    expect(list.map((conversation) => conversation.id)).toEqual([team.id, direct.id]);
    expect(list.map((conversation) => conversation.id)).not.toContain(elsewhere.id);
    const [first, second] = list;
    expect(first).toMatchObject({ title: "Carol's", myRole: "member", unreadCount: 0, lastSeq: 2, lastMessagePreview: "my own does not count", lastMessageAuthorId: alice.id });
    expect(second).toMatchObject({ title: bob.name, myRole: "member", unreadCount: 2, lastSeq: 2, lastMessagePreview: `two @${alice.name}` });
    expectNoEmails(list, [alice.email, bob.email, carol.email]);

    await send(bob, direct.id, "bump");
    expect((await ok(alice.socket, "conversation:list", {})).map((conversation) => conversation.id)).toEqual([direct.id, team.id]);
  });
});

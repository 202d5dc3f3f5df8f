// Notifications against the real server: every source makes exactly one notification for each
// right recipient (none for the actor, a muted conversation, a switched-off kind, a blocked actor,
// or someone looking at the conversation), coalescing, unread counts equal on every device, and
// authorization. Real HTTP sessions, real sockets, the real database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { NOTIFICATION_PAGE_SIZE, type NotificationDto, type NotificationKind } from "@/lib/realtime/protocol";
import { type AppClientSocket, connectSocket, fetchSocketToken, type RegisteredUser, registerUser, uniqueEmail } from "@/test/support/clients";
import { startServer, type TestServer } from "@/test/support/server";
import { DELIVERY_CHUNK } from "../notifications/notifier";
import { barrier, CHAT_SERVER_ENV, failure, newId, nextMatching, ok, openDb, type Person, person, record } from "./chat-test-support";

const ADMIN_EMAIL = uniqueEmail("ops");

let server: TestServer;
let db: ReturnType<typeof openDb>;
/** The first account registered: an administrator by that alone. */
let firstUser: RegisteredUser;

beforeAll(async () => {
  server = await startServer({ env: { ...CHAT_SERVER_ENV, ADMIN_EMAILS: ` Someone@Example.com, ${ADMIN_EMAIL.toUpperCase()} ` } });
  db = openDb(server);
  firstUser = await registerUser(server, { name: "First" });
});

afterAll(async () => {
  await db?.close();
  await server?.stop();
});

type Row = { id: string; kind: string; count: number; readAt: unknown; coalesceKey: string | null; conversationId: string | null; actorId: string | null; preview: string | null };

const rowsOf = (userId: string): Promise<Row[]> =>
  db.all<Row>(`SELECT "id", "kind", "count", "readAt", "coalesceKey", "conversationId", "actorId", "preview" FROM "Notification" WHERE "userId" = ? ORDER BY "createdAt", "id"`, userId);

const kindsOf = async (userId: string): Promise<string[]> => (await rowsOf(userId)).map((row) => row.kind);

/** The next notification of `kind` pushed to `socket`. */
const upserted = (socket: AppClientSocket, kind: NotificationKind, predicate: (notification: NotificationDto) => boolean = () => true) =>
  nextMatching(socket, "notification:upserted", (event) => event.notification.kind === kind && predicate(event.notification));

const send = (who: Person, conversationId: string, body: string, extra: { replyToId?: string } = {}) =>
  ok(who.socket, "chat:send", { conversationId, clientMessageId: newId(), body, ...extra });

/** A group whose members start with no notifications: their "added to group" ones arrived and were cleared. */
async function group(owner: Person, members: Person[], name = "Crew"): Promise<string> {
  const added = members.map((member) => upserted(member.socket, "added_to_group", (notification) => notification.title === name));
  const conversation = await ok(owner.socket, "conversation:create-group", { name, memberIds: members.map((member) => member.id) });
  await Promise.all(added);
  await Promise.all(members.map((member) => ok(member.socket, "notifications:clear", {})));
  return conversation.id;
}

/** A fresh socket of someone registered without one (sockets are closed after each test). */
const socketOf = async (user: RegisteredUser): Promise<AppClientSocket> => connectSocket(server, (await fetchSocketToken(server, user.cookie)).token);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function people(count: number): Promise<Person[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => person(server, `P${index}`)));
}

describe("message notifications", () => {
  it("one per other member, none for the sender; a mention or a reply replaces it for that person", async () => {
    const [alice, bob, carol] = await people(3) as [Person, Person, Person];
    const conversationId = await group(alice, [bob, carol]);
    const bobGets = upserted(bob.socket, "message");
    const carolGets = upserted(carol.socket, "message");
    const message = await send(alice, conversationId, "hello crew");
    const [toBob, toCarol] = await Promise.all([bobGets, carolGets]);
    expect(toBob.notification).toMatchObject({ conversationId, messageId: message.id, seq: message.seq, title: "Crew", preview: "hello crew", count: 1, readAt: null });
    expect(toBob.notification.actor).toMatchObject({ id: alice.id, name: alice.name });
    expect(toBob.unreadCount).toBe(1);
    expect(toCarol.unreadCount).toBe(1);
    expect(await kindsOf(alice.id)).toEqual([]);

    // A mention of Bob: Bob gets a mention (not a grown message notification), Carol's message notification grows.
    const mention = upserted(bob.socket, "mention");
    const carolGrows = upserted(carol.socket, "message", (notification) => notification.count === 2);
    await send(alice, conversationId, `look <@${bob.id}>`);
    expect((await mention).notification).toMatchObject({ conversationId, preview: `look @${bob.name}`, count: 1 });
    await carolGrows;
    expect(await kindsOf(bob.id)).toEqual(["message", "mention"]);
    expect((await rowsOf(bob.id)).find((row) => row.kind === "message")?.count).toBe(1);

    // A reply to Carol's message: Carol gets a reply, Alice (the other member) a message.
    const carolsMessage = await send(carol, conversationId, "my idea");
    const reply = upserted(carol.socket, "reply");
    const aliceGets = upserted(alice.socket, "message", (notification) => notification.preview === "nice");
    await send(bob, conversationId, "nice", { replyToId: carolsMessage.id });
    expect((await reply).notification).toMatchObject({ conversationId, actor: expect.objectContaining({ id: bob.id }) });
    await aliceGets;
    expect(await kindsOf(carol.id)).toEqual(["message", "reply"]);
  });

  it("none for who muted the conversation, switched messages off, blocked the sender, or is looking at it", async () => {
    const [alice, muted, disabled, blocker, viewer, control] = await people(6) as [Person, Person, Person, Person, Person, Person];
    const conversationId = await group(alice, [muted, disabled, blocker, viewer, control]);
    await ok(muted.socket, "conversation:mute", { conversationId, duration: "forever" });
    await ok(disabled.socket, "notifications:set-preferences", { kinds: { message: false } });
    await ok(blocker.socket, "contacts:block", { userId: alice.id });
    viewer.socket.emit("notifications:viewing", { conversationId });
    viewer.socket.emit("notifications:viewing", { conversationId: 42 } as never); // invalid: dropped, the valid state stays
    await barrier(viewer.socket);
    const events = [muted, disabled, blocker, viewer].map((who) => record(who.socket, "notification:upserted"));

    const controlGets = upserted(control.socket, "message");
    await send(alice, conversationId, "anyone?");
    await controlGets; // the whole message's batch is stored and emitted by now
    for (const who of [muted, disabled, blocker, viewer]) await barrier(who.socket);
    for (const log of events) expect(log).toEqual([]);
    for (const who of [alice, muted, disabled, blocker, viewer]) expect(await kindsOf(who.id)).toEqual([]);
    expect(await kindsOf(control.id)).toEqual(["message"]);

    // The viewer looks away (tab hidden): the next message notifies; unmuting restores the muted one.
    viewer.socket.emit("notifications:viewing", { conversationId: null });
    await ok(muted.socket, "conversation:mute", { conversationId, duration: "off" });
    await barrier(viewer.socket);
    const viewerGets = upserted(viewer.socket, "message");
    const mutedGets = upserted(muted.socket, "message");
    await send(alice, conversationId, "now?");
    await Promise.all([viewerGets, mutedGets]);
    // A mention does not get through a switched-off message kind unless mentions are on: they are, so it does.
    const disabledGets = upserted(disabled.socket, "mention");
    await send(alice, conversationId, `hey <@${disabled.id}>`);
    await disabledGets;
    expect(await kindsOf(disabled.id)).toEqual(["mention"]);
  });

  it("one burst with several authors: blocks apply per author, a mention and a message row for the same person", async () => {
    const [alice, bob, carol, dave] = await people(4) as [Person, Person, Person, Person];
    const conversationId = await group(alice, [bob, carol, dave]);
    await ok(carol.socket, "contacts:block", { userId: bob.id });
    // Within one burst window (250 ms): all of it is stored by one statement.
    await Promise.all([send(alice, conversationId, "one"), send(bob, conversationId, "two"), send(alice, conversationId, `three <@${carol.id}>`)]);
    const daveGets = upserted(dave.socket, "message", (notification) => notification.count === 3);
    await daveGets;
    await barrier(carol.socket);
    // Carol blocked Bob: Alice's plain message counts, Bob's does not; the mention is a row of its own.
    const carolRows = await rowsOf(carol.id);
    expect(carolRows.map((row) => [row.kind, row.count, row.actorId]).sort()).toEqual([["mention", 1, alice.id], ["message", 1, alice.id]].sort());
    expect(carolRows.find((row) => row.kind === "message")?.preview).toBe("one");
    // Bob's row shows the latest message of the others (Alice's mention of Carol, as text).
    const bobRows = await rowsOf(bob.id);
    expect(bobRows.map((row) => [row.kind, row.count, row.actorId])).toEqual([["message", 2, alice.id]]);
    expect(bobRows[0]?.preview).toBe(`three @${carol.name}`);
  });

  it(`a group larger than one delivery chunk (${DELIVERY_CHUNK}): every member gets exactly one notification with the right count`, async () => {
    const [alice, ...members] = await people(DELIVERY_CHUNK + 6);
    const conversationId = await group(alice!, members, "Town hall");
    const mentioned = members[members.length - 1]!;
    const events = members.map((member) => record(member.socket, "notification:upserted"));
    const arrived = members.map((member) => upserted(member.socket, member === mentioned ? "mention" : "message"));
    // Two messages in one burst: the plain notification counts both; the mention is its own row.
    await send(alice!, conversationId, "first");
    await send(alice!, conversationId, `second <@${mentioned.id}>`);
    const received = await Promise.all(arrived);
    await pause(300);
    members.forEach((member, index) => {
      const expected = member === mentioned ? ["mention", "message"] : ["message"];
      expect(events[index]!.map((event) => event.notification.kind).sort()).toEqual(expected);
      if (member !== mentioned) expect(received[index]!.notification.count).toBe(2);
    });
    for (const member of members) {
      const rows = await rowsOf(member.id);
      expect(rows.map((row) => row.kind).sort()).toEqual(member === mentioned ? ["mention", "message"] : ["message"]);
      expect(rows.find((row) => row.kind === "message")?.count).toBe(member === mentioned ? 1 : 2);
    }
    expect(events.at(-1)!.at(-1)!.unreadCount).toBe(2);
  });

  it("a socket that closes stops counting as looking", async () => {
    const [alice, bob] = await people(2) as [Person, Person];
    const conversationId = await group(alice, [bob]);
    const tab = await bob.connect();
    tab.emit("notifications:viewing", { conversationId });
    await barrier(tab);
    tab.disconnect();
    await pause(300); // the server handles the close on its own schedule
    await barrier(bob.socket);
    const bobGets = upserted(bob.socket, "message");
    await send(alice, conversationId, "still there?");
    await bobGets;
  });
});

describe("coalescing", () => {
  it("20 messages make one notification with count 20; after it is read, the next message starts a new one", async () => {
    const [alice, bob] = await people(2) as [Person, Person];
    const conversationId = await group(alice, [bob]);
    const twentieth = upserted(bob.socket, "message", (notification) => notification.count === 20);
    for (let index = 1; index <= 20; index += 1) await send(alice, conversationId, `message ${index}`);
    const { notification, unreadCount } = await twentieth;
    expect(notification.preview).toBe("message 20");
    expect(unreadCount).toBe(1);
    expect(await rowsOf(bob.id)).toEqual([expect.objectContaining({ kind: "message", count: 20, coalesceKey: `message:${conversationId}` })]);

    expect(await ok(bob.socket, "notifications:mark-read", { ids: [notification.id] })).toEqual({ unreadCount: 0 });
    expect((await rowsOf(bob.id))[0]?.coalesceKey).toBeNull();
    const fresh = upserted(bob.socket, "message");
    await send(alice, conversationId, "one more");
    const next = await fresh;
    expect(next.notification.id).not.toBe(notification.id);
    expect(next.notification.count).toBe(1);
    expect(next.unreadCount).toBe(1);
    expect((await rowsOf(bob.id)).map((row) => row.count)).toEqual([20, 1]);
  });

  it("reactions to one message coalesce for its author; none for reacting to one's own message", async () => {
    const [alice, bob, carol] = await people(3) as [Person, Person, Person];
    const conversationId = await group(alice, [bob, carol]);
    await ok(bob.socket, "notifications:set-preferences", { kinds: { message: false } });
    const message = await send(bob, conversationId, "react to me");
    await ok(bob.socket, "chat:react", { messageId: message.id, emoji: "👍", isOn: true });
    const first = upserted(bob.socket, "reaction");
    await ok(alice.socket, "chat:react", { messageId: message.id, emoji: "🎉", isOn: true });
    expect((await first).notification).toMatchObject({ messageId: message.id, preview: "🎉", count: 1, actor: expect.objectContaining({ id: alice.id }) });
    const second = upserted(bob.socket, "reaction", (notification) => notification.count === 2);
    await ok(carol.socket, "chat:react", { messageId: message.id, emoji: "❤️", isOn: true });
    expect((await second).notification).toMatchObject({ preview: "❤️", actor: expect.objectContaining({ id: carol.id }) });
    await ok(carol.socket, "chat:react", { messageId: message.id, emoji: "❤️", isOn: false }); // taking it back notifies nobody
    await barrier(bob.socket);
    expect(await rowsOf(bob.id)).toEqual([expect.objectContaining({ kind: "reaction", count: 2, coalesceKey: `reaction:${message.id}` })]);
  });
});

describe("contacts and groups", () => {
  it("a request notifies its recipient once, an acceptance the requester; never the one who acted", async () => {
    const [alice, bob] = await people(2) as [Person, Person];
    const request = upserted(bob.socket, "friend_request");
    const sent = await ok(alice.socket, "contacts:request", { userId: bob.id });
    expect((await request).notification.actor).toMatchObject({ id: alice.id });
    await ok(alice.socket, "contacts:request", { userId: bob.id }); // asking twice changes nothing
    const accepted = upserted(alice.socket, "friend_accepted");
    await ok(bob.socket, "contacts:respond", { requestId: sent.id, accept: true });
    expect((await accepted).notification.actor).toMatchObject({ id: bob.id });
    await barrier(bob.socket);
    expect(await kindsOf(bob.id)).toEqual(["friend_request"]);
    expect(await kindsOf(alice.id)).toEqual(["friend_accepted"]);
  });

  it("being added to a group notifies the added people, not the one who added them", async () => {
    const [alice, bob, carol, dave] = await people(4) as [Person, Person, Person, Person];
    const bobGets = upserted(bob.socket, "added_to_group");
    const carolGets = upserted(carol.socket, "added_to_group");
    const { id: conversationId } = await ok(alice.socket, "conversation:create-group", { name: "Band", memberIds: [bob.id, carol.id] });
    expect((await bobGets).notification).toMatchObject({ conversationId, title: "Band", actor: expect.objectContaining({ id: alice.id }) });
    await carolGets;
    const daveGets = upserted(dave.socket, "added_to_group");
    await ok(alice.socket, "conversation:add-members", { conversationId, userIds: [dave.id] });
    await daveGets;
    await barrier(bob.socket);
    expect(await kindsOf(alice.id)).toEqual([]);
    expect(await kindsOf(bob.id)).toEqual(["added_to_group"]);
    expect(await kindsOf(dave.id)).toEqual(["added_to_group"]);
  });
});

describe("read state on every device", () => {
  it("marking read, all read, deleting and clearing on one device reaches the others with the new count", async () => {
    const [alice, bob] = await people(2) as [Person, Person];
    const first = await group(alice, [bob]);
    const second = await group(alice, [bob], "Other");
    const phone = await bob.connect();
    const both = nextMatching(phone, "notification:upserted", (event) => event.unreadCount === 2);
    await send(alice, first, "one");
    await send(alice, second, "two");
    await both;
    const idIn = async (conversationId: string) => (await rowsOf(bob.id)).find((row) => row.conversationId === conversationId && row.readAt === null)?.id ?? "";
    const [one, two] = [await idIn(first), await idIn(second)];

    const read = nextMatching(phone, "notification:read");
    expect(await ok(bob.socket, "notifications:mark-read", { ids: [one, one] })).toEqual({ unreadCount: 1 });
    expect(await read).toEqual({ ids: [one], unreadCount: 1 });

    const deleted = nextMatching(phone, "notification:deleted");
    expect(await ok(bob.socket, "notifications:delete", { ids: [two] })).toEqual({ unreadCount: 0 });
    expect(await deleted).toEqual({ ids: [two], unreadCount: 0 });

    const third = upserted(phone, "message");
    await send(alice, second, "three");
    expect((await third).unreadCount).toBe(1);
    const allRead = nextMatching(phone, "notification:read");
    expect(await ok(bob.socket, "notifications:mark-all-read", {})).toEqual({ unreadCount: 0 });
    expect(await allRead).toEqual({ ids: null, unreadCount: 0 });
    const page = await ok(phone, "notifications:list", {});
    expect(page).toMatchObject({ unreadCount: 0, hasMore: false });
    expect(page.items.map((item) => item.preview)).toEqual(["three", "one"]);
    expect(page.items.every((item) => item.readAt !== null)).toBe(true);

    const cleared = nextMatching(phone, "notification:deleted");
    expect(await ok(bob.socket, "notifications:clear", {})).toEqual({ unreadCount: 0 });
    expect(await cleared).toEqual({ ids: null, unreadCount: 0 });
    expect(await rowsOf(bob.id)).toEqual([]);
  });

  it("reading the conversation reads its message notifications on every device; a new socket gets the count", async () => {
    const [alice, bob] = await people(2) as [Person, Person];
    const conversationId = await group(alice, [bob]);
    const phone = await bob.connect();
    const two = nextMatching(phone, "notification:upserted", (event) => event.unreadCount === 2);
    await send(alice, conversationId, "first");
    const last = await send(alice, conversationId, `second <@${bob.id}>`);
    await two;
    expect((await kindsOf(bob.id)).sort()).toEqual(["mention", "message"]);

    const tab = await bob.unconnected();
    const count = nextMatching(tab, "notification:count");
    tab.connect();
    expect(await count).toEqual({ unreadCount: 2 });

    const read = nextMatching(phone, "notification:read");
    await ok(bob.socket, "chat:mark-read", { conversationId, seq: last.seq });
    const event = await read;
    expect(event.unreadCount).toBe(0);
    expect(event.ids).toHaveLength(2);
    expect((await rowsOf(bob.id)).every((row) => row.readAt !== null && row.coalesceKey === null)).toBe(true);
  });
});

describe("paging", () => {
  it("is newest first, keyset-paged, with an opaque cursor", async () => {
    const [alice, bob] = await people(2) as [Person, Person];
    const ids: string[] = [];
    const total = NOTIFICATION_PAGE_SIZE + 4;
    const everyOne = nextMatching(bob.socket, "notification:upserted", (event) => event.unreadCount === total);
    for (let index = 0; index < total; index += 1) {
      ids.push((await ok(alice.socket, "conversation:create-group", { name: `G${index}`, memberIds: [bob.id] })).id);
      await pause(2); // distinct timestamps, so the expected order is the creation order
    }
    await everyOne;
    const first = await ok(bob.socket, "notifications:list", {});
    expect(first.items).toHaveLength(NOTIFICATION_PAGE_SIZE);
    expect(first.hasMore).toBe(true);
    expect(first.unreadCount).toBe(total);
    expect(first.items.every((item) => item.actor?.id === alice.id && item.actor.name === alice.name)).toBe(true);
    // First pages asked for at once are read together (SQLite): each holds only its owner's.
    const [bobsAgain, alices] = await Promise.all([ok(bob.socket, "notifications:list", {}), ok(alice.socket, "notifications:list", {})]);
    expect(bobsAgain).toEqual(first);
    expect(alices).toMatchObject({ items: [], hasMore: false, unreadCount: 0 });
    const second = await ok(bob.socket, "notifications:list", { before: first.items[first.items.length - 1]?.cursor ?? null });
    expect(second.hasMore).toBe(false);
    const all = [...first.items, ...second.items];
    expect(all.map((item) => item.conversationId)).toEqual([...ids].reverse());
    expect(await failure(bob.socket, "notifications:list", { before: "not-a-cursor" })).toBe("INVALID_PAYLOAD");
  });
});

describe("authorization and limits", () => {
  it("someone else's ids change nothing; 10,000 ids are refused", async () => {
    const [alice, bob, mallory] = await people(3) as [Person, Person, Person];
    const added = upserted(bob.socket, "added_to_group");
    await ok(alice.socket, "conversation:create-group", { name: "Mine", memberIds: [bob.id] });
    await added;
    const [bobs] = await rowsOf(bob.id);
    const bobEvents = record(bob.socket, "notification:read");
    const bobDeletes = record(bob.socket, "notification:deleted");
    expect(await ok(mallory.socket, "notifications:mark-read", { ids: [bobs!.id] })).toEqual({ unreadCount: 0 });
    expect(await ok(mallory.socket, "notifications:delete", { ids: [bobs!.id] })).toEqual({ unreadCount: 0 });
    await barrier(bob.socket);
    expect(bobEvents).toEqual([]);
    expect(bobDeletes).toEqual([]);
    expect(await rowsOf(bob.id)).toEqual([expect.objectContaining({ id: bobs!.id, readAt: null })]);

    // Short ids: 10,000 real ones would not even fit in one frame (MAX_FRAME_BYTES closes that socket).
    const many = Array.from({ length: 10_000 }, () => "x");
    expect(await failure(bob.socket, "notifications:mark-read", { ids: many })).toBe("INVALID_PAYLOAD");
    expect(await failure(bob.socket, "notifications:delete", { ids: [] })).toBe("INVALID_PAYLOAD");
    expect((await rowsOf(bob.id))[0]?.readAt).toBeNull();
  });

  it("muting a conversation one is not in is FORBIDDEN; a member's mute reaches all their devices", async () => {
    const [alice, bob, eve] = await people(3) as [Person, Person, Person];
    const conversationId = await group(alice, [bob]);
    expect(await failure(eve.socket, "conversation:mute", { conversationId, duration: "8h" })).toBe("FORBIDDEN");
    expect(await failure(eve.socket, "conversation:mute", { conversationId: "nope", duration: "8h" })).toBe("FORBIDDEN");
    const phone = await bob.connect();
    const muted = nextMatching(phone, "conversation:muted");
    const result = await ok(bob.socket, "conversation:mute", { conversationId, duration: "1h" });
    expect(await muted).toEqual(result);
    expect(Date.parse(result.mutedUntil ?? "") - Date.now()).toBeGreaterThan(59 * 60_000);
    const list = await ok(bob.socket, "conversation:list", {});
    expect(list.find((conversation) => conversation.id === conversationId)?.mutedUntil).toBe(result.mutedUntil);
  });

  it("preferences: partial updates keep the rest", async () => {
    const [alice] = await people(1) as [Person];
    const defaults = await ok(alice.socket, "notifications:get-preferences", {});
    expect(Object.values(defaults.kinds).every(Boolean)).toBe(true);
    await ok(alice.socket, "notifications:set-preferences", { kinds: { reaction: false } });
    const next = await ok(alice.socket, "notifications:set-preferences", { kinds: { message: false } });
    expect(next.kinds).toMatchObject({ reaction: false, message: false, mention: true });
    expect(await ok(alice.socket, "notifications:get-preferences", {})).toEqual(next);
    expect(await failure(alice.socket, "notifications:set-preferences", { kinds: { bogus: false } })).toBe("INVALID_PAYLOAD");
  });
});

describe("announcements", () => {
  it("are admin-only and length-limited; reach connected users live and offline users on their next list", async () => {
    const [user, offline] = await people(2) as [Person, Person];
    const admin = await socketOf(firstUser);
    expect((await ok(admin, "session:whoami", {})).role).toBe("admin");
    expect(await failure(user.socket, "notifications:announce", { body: "I am not an admin" })).toBe("FORBIDDEN");
    expect(await failure(admin, "notifications:announce", { body: "x".repeat(1_001) })).toBe("INVALID_PAYLOAD");
    expect(await failure(admin, "notifications:announce", { body: "   " })).toBe("INVALID_PAYLOAD");
    offline.socket.disconnect();

    const live = upserted(user.socket, "announcement");
    const { delivered } = await ok(admin, "notifications:announce", { body: "Maintenance at 10:00" });
    expect(delivered).toBeGreaterThanOrEqual(2);
    expect((await live).notification).toMatchObject({ title: "Announcement", preview: "Maintenance at 10:00", actor: null });
    expect(await kindsOf(firstUser.id)).not.toContain("announcement");

    const page = await ok(await socketOf(offline), "notifications:list", {});
    expect(page.items.filter((item) => item.kind === "announcement").map((item) => item.preview)).toEqual(["Maintenance at 10:00"]);
  });

  it("ADMIN_EMAILS makes an account an administrator too", async () => {
    const ops = await socketOf(await registerUser(server, { name: "Ops", email: ADMIN_EMAIL }));
    expect((await ok(ops, "session:whoami", {})).role).toBe("admin");
    const admin = await socketOf(firstUser);
    const live = upserted(admin, "announcement");
    await ok(ops, "notifications:announce", { body: "Hello from ops" });
    expect((await live).notification.preview).toBe("Hello from ops");
  });
});

// Catching up and finding things, against the real server: chat:sync after a disconnect returns
// exactly what was missed (new and changed, no gaps, no doubles), pages by version, never answers
// for other people's conversations; chat:search is scoped to your conversations and paged.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type MessageDto, SEARCH_PAGE_SIZE } from "@/lib/realtime/protocol";
import { startServer, type TestServer } from "@/test/support/server";
import {
  CHAT_SERVER_ENV,
  chatSnapshot,
  failure,
  newId,
  ok,
  openDb,
  type Person,
  person,
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

const send = (who: Person, conversationId: string, body: string) => ok(who.socket, "chat:send", { conversationId, clientMessageId: newId(), body });

/** What a client holds: by id, the highest version wins (the chat store's rule). */
function apply(model: Map<string, MessageDto>, messages: MessageDto[]): void {
  for (const message of messages) {
    const current = model.get(message.id);
    if (!current || current.version < message.version) model.set(message.id, message);
  }
}

const maxVersion = (messages: Iterable<MessageDto>) => Math.max(0, ...[...messages].map((message) => message.version));

describe("chat:sync", () => {
  it("after a disconnect returns exactly the missed messages and changes: no gaps, no doubles", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const { id: conversationId } = await ok(alice.socket, "conversation:open-direct", { userId: bob.id });
    const first = await send(alice, conversationId, "one");
    const second = await send(bob, conversationId, "two");
    const model = new Map<string, MessageDto>();
    apply(model, (await ok(bob.socket, "chat:history", { conversationId })).messages);
    expect([...model.values()].map((message) => message.id)).toEqual([first.id, second.id]);
    const seenVersion = maxVersion(model.values());

    bob.socket.disconnect();
    const missed: MessageDto[] = [];
    for (const body of ["three", "four", "five"]) missed.push(await send(alice, conversationId, body));
    const edited = await ok(alice.socket, "chat:edit", { messageId: first.id, body: "one (edited)" });
    const reacted = await ok(alice.socket, "chat:react", { messageId: second.id, emoji: "🎉", isOn: true });
    const deleted = await ok(alice.socket, "chat:delete", { messageId: missed[1]!.id });

    const socket = await bob.connect();
    const result = await ok(socket, "chat:sync", { conversations: [{ conversationId, afterVersion: seenVersion }] });
    expect(result.updates).toHaveLength(1);
    const [update] = result.updates;
    expect(update!.hasMore).toBe(false);
    expect(update!.lastVersion).toBe(deleted.version);
    // Ordered by seq; every missed message and change exactly once, in its latest version.
    expect(update!.messages.map((message) => message.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(update!.messages.map((message) => message.id)).toEqual([first.id, second.id, ...missed.map((message) => message.id)]);
    expect(update!.messages.find((message) => message.id === first.id)).toEqual(edited);
    expect(update!.messages.find((message) => message.id === second.id)).toEqual(reacted);
    // Sent and deleted while away: it arrives once, already deleted (the client keeps seq continuity).
    expect(update!.messages.find((message) => message.id === missed[1]!.id)).toEqual(deleted);
    expect(deleted).toMatchObject({ body: "", deletedAt: expect.any(String) });
    apply(model, update!.messages);
    const history = await ok(socket, "chat:history", { conversationId });
    expect(history.messages).toEqual([...model.values()].sort((a, b) => a.seq - b.seq));
    // Caught up: nothing more.
    const again = await ok(socket, "chat:sync", { conversations: [{ conversationId, afterVersion: update!.lastVersion }] });
    expect(again.updates).toEqual([{ conversationId, messages: [], lastVersion: update!.lastVersion, hasMore: false }]);
  });

  it("pages by version (200 per conversation) so applying each page never skips a change", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const { id: conversationId } = await ok(alice.socket, "conversation:create-group", { name: "Busy", memberIds: [bob.id] });
    const sent: MessageDto[] = [];
    for (let index = 0; index < 205; index += 1) sent.push(await send(alice, conversationId, `n${index}`));
    // An old message changes last: its new version is the highest.
    await ok(alice.socket, "chat:edit", { messageId: sent[0]!.id, body: "n0 (edited)" });

    const model = new Map<string, MessageDto>();
    let afterVersion = 0;
    const pages: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      const { updates } = await ok(bob.socket, "chat:sync", { conversations: [{ conversationId, afterVersion }] });
      const update = updates[0]!;
      pages.push(update.messages.length);
      const seqs = update.messages.map((message) => message.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      apply(model, update.messages);
      afterVersion = maxVersion(update.messages.length ? update.messages : [{ version: afterVersion } as MessageDto]);
      if (!update.hasMore) break;
    }
    expect(pages).toEqual([200, 5]);
    expect(model.size).toBe(205);
    expect(model.get(sent[0]!.id)?.body).toBe("n0 (edited)");
    expect([...model.values()].map((message) => message.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 205 }, (_, index) => index + 1));
  });

  it("silently leaves out conversations that are not the caller's, and unknown ones", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const mallory = await person(server);
    const { id: conversationId } = await ok(alice.socket, "conversation:open-direct", { userId: bob.id });
    await send(alice, conversationId, "private");
    const { id: own } = await ok(mallory.socket, "conversation:create-group", { name: "Mine", memberIds: [] });
    await send(mallory, own, "hello me");
    const result = await ok(mallory.socket, "chat:sync", {
      conversations: [
        { conversationId, afterVersion: 0 },
        { conversationId: "no-such-conversation", afterVersion: 0 },
        { conversationId: own, afterVersion: 0 },
      ],
    });
    expect(result.updates.map((update) => update.conversationId)).toEqual([own]);
    expect(JSON.stringify(result)).not.toContain("private");
    expect(await failure(mallory.socket, "chat:sync", { conversations: [{ conversationId: own, afterVersion: -1 }] })).toBe("INVALID_PAYLOAD");
    expect(await failure(mallory.socket, "chat:sync", { conversations: [{ conversationId: own, afterVersion: 0, extra: 1 }] })).toBe("INVALID_PAYLOAD");
  });
});

describe("chat:search", () => {
  it("finds text in the caller's conversations only, newest first, case-insensitive, skipping deleted and system messages", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const carol = await person(server);
    const word = `kumquat${newId().slice(0, 6)}`;
    const { id: direct } = await ok(alice.socket, "conversation:open-direct", { userId: bob.id });
    const { id: group } = await ok(alice.socket, "conversation:create-group", { name: `${word} club`, memberIds: [carol.id] });
    const { id: foreign } = await ok(bob.socket, "conversation:open-direct", { userId: carol.id });

    const older = await send(bob, direct, `the ${word.toUpperCase()} is ripe`);
    const newer = await send(carol, group, `more ${word}s please`);
    await send(carol, foreign, `secret ${word}`);
    const gone = await send(alice, direct, `deleted ${word}`);
    await ok(alice.socket, "chat:delete", { messageId: gone.id });
    await ok(alice.socket, "conversation:rename", { conversationId: group, name: `${word} society` }); // a system message containing the word

    const page = await ok(alice.socket, "chat:search", { query: word });
    expect(page.hits.map((hit) => hit.message.id)).toEqual([newer.id, older.id]);
    expect(page.hits.map((hit) => hit.conversationTitle)).toEqual([`${word} society`, bob.name]);
    expect(page.hits[1]).toEqual({ message: older, conversationId: direct, conversationTitle: bob.name });
    expect(page.nextCursor).toBeNull();

    const scoped = await ok(alice.socket, "chat:search", { query: word, conversationId: direct });
    expect(scoped.hits.map((hit) => hit.message.id)).toEqual([older.id]);
    const before = await chatSnapshot(db);
    expect(await failure(alice.socket, "chat:search", { query: word, conversationId: foreign })).toBe("NOT_FOUND");
    expect(await failure(alice.socket, "chat:search", { query: word, conversationId: "no-such-conversation" })).toBe("NOT_FOUND");
    expect(await failure(alice.socket, "chat:search", { query: "x" })).toBe("INVALID_PAYLOAD");
    expect(await failure(alice.socket, "chat:search", { query: word, cursor: "garbage" })).toBe("INVALID_PAYLOAD");
    expect(await chatSnapshot(db)).toBe(before);
  });

  it(`pages by ${SEARCH_PAGE_SIZE} with a keyset cursor: no doubles, no gaps`, async () => {
    const alice = await person(server);
    const bob = await person(server);
    const word = `pomelo${newId().slice(0, 6)}`;
    const { id: conversationId } = await ok(alice.socket, "conversation:open-direct", { userId: bob.id });
    const sent: MessageDto[] = [];
    for (let index = 0; index < SEARCH_PAGE_SIZE + 5; index += 1) sent.push(await send(index % 2 ? alice : bob, conversationId, `${word} ${index}`));
    const first = await ok(alice.socket, "chat:search", { query: word });
    expect(first.hits).toHaveLength(SEARCH_PAGE_SIZE);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await ok(alice.socket, "chat:search", { query: word, cursor: first.nextCursor! });
    expect(second.hits).toHaveLength(5);
    expect(second.nextCursor).toBeNull();
    const ids = [...first.hits, ...second.hits].map((hit) => hit.message.id);
    expect(ids).toEqual(sent.map((message) => message.id).reverse());
  });

  it("treats % and _ in the query literally", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const { id: conversationId } = await ok(alice.socket, "conversation:open-direct", { userId: bob.id });
    const literal = await send(alice, conversationId, "discount 100% off_today");
    await send(alice, conversationId, "discount 1000 offXtoday");
    expect((await ok(bob.socket, "chat:search", { query: "100%" })).hits.map((hit) => hit.message.id)).toEqual([literal.id]);
    expect((await ok(bob.socket, "chat:search", { query: "off_today" })).hits.map((hit) => hit.message.id)).toEqual([literal.id]);
    expect((await ok(bob.socket, "chat:search", { query: "%%" })).hits).toEqual([]);
  });
});

import { beforeEach, describe, expect, it } from "vitest";

import type { ConversationDto, MessageDto } from "@/lib/realtime/protocol";
import { initialChatState, selectConversationList, selectMessages, selectOutbox, selectTotalUnread, selectUnreadCount, useChatStore, type OutboxEntry } from "./chat-store";

const chat = () => useChatStore.getState();

function message(overrides: Partial<MessageDto> & { seq: number }): MessageDto {
  return {
    id: `m${overrides.seq}`,
    clientMessageId: `c${overrides.seq}`,
    conversationId: "c1",
    version: overrides.seq,
    authorId: "bob",
    kind: "text",
    body: `message ${overrides.seq}`,
    mentions: [],
    replyTo: null,
    reactions: [],
    attachments: [],
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, overrides.seq)).toISOString(),
    editedAt: null,
    deletedAt: null,
    ...overrides,
  };
}

function conversation(overrides: Partial<ConversationDto> = {}): ConversationDto {
  return {
    id: "c1",
    kind: "direct",
    title: "Bob",
    members: [
      { id: "alice", name: "Alice", avatarColor: "#000", role: "member", readSeq: 0 },
      { id: "bob", name: "Bob", avatarColor: "#111", role: "member", readSeq: 0 },
    ],
    lastSeq: 0,
    lastVersion: 0,
    lastActivityAt: "2026-01-01T00:00:00.000Z",
    lastMessagePreview: null,
    lastMessageAuthorId: null,
    unreadCount: 0,
    myRole: "member",
    mutedUntil: null,
    ...overrides,
  };
}

function outboxEntry(clientMessageId: string, createdAt: number): OutboxEntry {
  return { clientMessageId, conversationId: "c1", userId: "alice", body: "hi", createdAt, status: "sending", error: null };
}

beforeEach(() => {
  useChatStore.setState(initialChatState);
  chat().setSelf("alice");
});

describe("chat store", () => {
  it("orders by seq and ignores duplicates whatever the arrival order", () => {
    chat().receiveMessages("c1", [message({ seq: 3 }), message({ seq: 1 })]);
    const before = selectMessages("c1")(chat());
    chat().receiveMessages("c1", [message({ seq: 1 })]);
    expect(selectMessages("c1")(chat())).toBe(before);
    chat().receiveMessages("c1", [message({ seq: 2 })]);
    expect(selectMessages("c1")(chat()).map((item) => item.seq)).toEqual([1, 2, 3]);
  });

  it("keeps the newest version of a message and tracks the highest version for sync", () => {
    chat().receiveMessages("c1", [message({ seq: 1, version: 5, body: "edited" })]);
    chat().receiveMessages("c1", [message({ seq: 1, version: 1, body: "original" })]);
    expect(selectMessages("c1")(chat())[0]?.body).toBe("edited");
    expect(chat().versionByConversation.c1).toBe(5);
  });

  it("live messages that arrive after a reconnect, before its sync, do not move the sync cursor past what was missed", () => {
    chat().receiveMessages("c1", [1, 2, 3].map((seq) => message({ seq })), { live: true });
    expect(chat().versionByConversation.c1).toBe(3);
    // Offline for 4..9; the socket rejoins its rooms and 10 arrives live before the resync asks.
    chat().receiveMessages("c1", [message({ seq: 10 })], { live: true });
    expect(chat().versionByConversation.c1).toBe(3);
    expect(chat().aheadByConversation.c1).toEqual([10]);
    // The sync from 3 returns 4..10 and says the conversation is at 10.
    chat().receiveMessages("c1", [4, 5, 6, 7, 8, 9, 10].map((seq) => message({ seq })), { syncedThrough: 10 });
    expect(chat().versionByConversation.c1).toBe(10);
    expect(chat().aheadByConversation.c1).toBeUndefined();
    expect(selectMessages("c1")(chat()).map((item) => item.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it("removes the outbox entry when the server's copy arrives", () => {
    chat().putOutbox(outboxEntry("c7", 1));
    chat().receiveMessages("c1", [message({ seq: 7, clientMessageId: "c7", authorId: "alice" })]);
    expect(chat().outbox).toEqual({});
  });

  it("derives unread counts from lastSeq and the read pointer; own messages are read", () => {
    chat().setConversations([conversation({ lastSeq: 4, unreadCount: 2 })]);
    expect(selectUnreadCount("c1")(chat())).toBe(2);
    chat().receiveMessages("c1", [message({ seq: 5 })]);
    expect(selectUnreadCount("c1")(chat())).toBe(3);
    chat().receiveMessages("c1", [message({ seq: 6, authorId: "alice" })]);
    expect(selectUnreadCount("c1")(chat())).toBe(0);
    chat().receiveMessages("c1", [message({ seq: 7 })]);
    chat().applyReadUpdate({ conversationId: "c1", userId: "alice", readSeq: 7 });
    expect(selectTotalUnread(chat())).toBe(0);
  });

  it("never moves a read pointer backwards and records peers' pointers for receipts", () => {
    chat().setConversations([conversation({ lastSeq: 9, unreadCount: 0 })]);
    chat().applyReadUpdate({ conversationId: "c1", userId: "alice", readSeq: 3 });
    expect(chat().readSeqByConversation.c1).toBe(9);
    chat().applyReadUpdate({ conversationId: "c1", userId: "bob", readSeq: 4 });
    chat().applyReadUpdate({ conversationId: "c1", userId: "bob", readSeq: 2 });
    expect(chat().conversations.c1?.members.find((member) => member.id === "bob")?.readSeq).toBe(4);
  });

  it("updates the list's preview and order with new messages, with a stable list reference otherwise", () => {
    chat().setConversations([conversation(), conversation({ id: "c2", title: "Group", lastActivityAt: "2026-01-02T00:00:00.000Z" })]);
    const first = selectConversationList(chat());
    expect(first.map((item) => item.id)).toEqual(["c2", "c1"]);
    expect(selectConversationList(chat())).toBe(first);
    chat().receiveMessages("c1", [message({ seq: 1, createdAt: "2026-01-03T00:00:00.000Z", body: "newest" })]);
    expect(selectConversationList(chat()).map((item) => item.id)).toEqual(["c1", "c2"]);
    expect(chat().conversations.c1?.lastMessagePreview).toBe("newest");
  });

  it("lists outbox entries per conversation in creation order", () => {
    chat().putOutbox(outboxEntry("b", 2));
    chat().putOutbox(outboxEntry("a", 1));
    expect(selectOutbox("c1")(chat()).map((entry) => entry.clientMessageId)).toEqual(["a", "b"]);
    expect(selectOutbox("other")(chat())).toBe(selectOutbox("other")(chat()));
  });

  it("expires typing only after its deadline", () => {
    chat().setTyping({ conversationId: "c1", userId: "bob", isTyping: true }, 1_000);
    chat().expireTyping("c1", "bob", 2_000);
    expect(chat().typingByConversation.c1).toHaveProperty("bob");
    chat().expireTyping("c1", "bob", 10_000);
    expect(chat().typingByConversation.c1).toEqual({});
  });

  it("forgets a conversation the user left", () => {
    chat().setConversations([conversation()]);
    chat().receiveMessages("c1", [message({ seq: 1 })]);
    chat().removeConversation("c1");
    expect(chat().conversations).toEqual({});
    expect(selectMessages("c1")(chat())).toEqual([]);
  });
});

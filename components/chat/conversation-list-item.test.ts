import { describe, expect, it } from "vitest";

import type { ConversationDto } from "@/lib/realtime/protocol";
import { formatRelativeTime, previewOf } from "./conversation-list-item";

function conversation(overrides: Partial<ConversationDto>): ConversationDto {
  return {
    id: "c1",
    kind: "group",
    title: "Weekend plans",
    members: [
      { id: "me", name: "Mia Self", avatarColor: "#123456", role: "admin", readSeq: 0 },
      { id: "al", name: "Alice Liddell", avatarColor: "#654321", role: "member", readSeq: 0 },
    ],
    lastSeq: 1,
    lastVersion: 1,
    lastActivityAt: "2026-01-01T10:00:00.000Z",
    lastMessagePreview: "hello",
    lastMessageAuthorId: "al",
    unreadCount: 0,
    myRole: "admin",
    mutedUntil: null,
    ...overrides,
  };
}

describe("previewOf", () => {
  it("prefixes own messages with You", () => {
    expect(previewOf(conversation({ lastMessageAuthorId: "me" }), "me")).toBe("You: hello");
  });

  it("names the author in groups and not in direct chats", () => {
    expect(previewOf(conversation({}), "me")).toBe("Alice: hello");
    expect(previewOf(conversation({ kind: "direct" }), "me")).toBe("hello");
  });

  it("shows mentions as @Name and flattens line breaks", () => {
    expect(previewOf(conversation({ kind: "direct", lastMessagePreview: "hey <@me>\nlook" }), "me")).toBe("hey @Mia Self look");
  });

  it("does not prefix lines that already start with the author's name", () => {
    expect(previewOf(conversation({ lastMessageAuthorId: "me", lastMessagePreview: "Mia Self renamed the group" }), "me")).toBe("Mia Self renamed the group");
  });

  it("says so when there is nothing yet", () => {
    expect(previewOf(conversation({ kind: "direct", lastMessagePreview: null }), "me")).toBe("No messages yet");
  });
});

describe("formatRelativeTime", () => {
  const now = new Date(2026, 0, 10, 12, 0, 0).getTime();
  const at = (date: Date) => date.toISOString();

  it("is short for recent activity", () => {
    expect(formatRelativeTime(at(new Date(now - 20_000)), now)).toBe("now");
    expect(formatRelativeTime(at(new Date(now - 5 * 60_000)), now)).toBe("5m");
    expect(formatRelativeTime(at(new Date(2026, 0, 10, 9, 0, 0)), now)).toBe("3h");
  });

  it("says Yesterday for the previous calendar day, however few hours ago", () => {
    expect(formatRelativeTime(at(new Date(2026, 0, 9, 23, 30, 0)), new Date(2026, 0, 10, 0, 30, 0).getTime())).toBe("Yesterday");
  });

  it("returns an empty string for an invalid date", () => {
    expect(formatRelativeTime("not a date", now)).toBe("");
  });
});

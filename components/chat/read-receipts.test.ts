import { describe, expect, it } from "vitest";

import type { ConversationDto, MessageDto } from "@/lib/realtime/protocol";
import { computeReceipt } from "./read-receipts";

const member = (id: string, name: string, readSeq: number) => ({ id, name, avatarColor: "#3b82f6", role: "member" as const, readSeq });

function conversation(kind: ConversationDto["kind"], members: ConversationDto["members"]): ConversationDto {
  return {
    id: "c", kind, title: "t", members, lastSeq: 5, lastVersion: 5, lastActivityAt: "2026-01-01T00:00:00.000Z",
    lastMessagePreview: null, lastMessageAuthorId: null, unreadCount: 0, myRole: "member", mutedUntil: null,
  };
}

const message = (seq: number, authorId: string): MessageDto => ({
  id: `m${seq}`, clientMessageId: `c${seq}`, conversationId: "c", seq, version: seq, authorId, kind: "text", body: "x", mentions: [],
  replyTo: null, reactions: [], attachments: [], createdAt: "2026-01-01T00:00:00.000Z", editedAt: null, deletedAt: null,
});

const messages = [message(1, "me"), message(2, "me"), message(3, "other"), message(4, "me"), message(5, "other")];

describe("computeReceipt", () => {
  it("direct: Seen under the newest own message the other member has read", () => {
    expect(computeReceipt(conversation("direct", [member("me", "Me", 5), member("o", "Olga", 3)]), messages, "me")).toEqual({
      messageId: "m2", label: "Seen", readers: ["Olga"],
    });
    expect(computeReceipt(conversation("direct", [member("me", "Me", 5), member("o", "Olga", 4)]), messages, "me")?.messageId).toBe("m4");
    expect(computeReceipt(conversation("direct", [member("me", "Me", 5), member("o", "Olga", 0)]), messages, "me")).toBeNull();
  });

  it("group: Seen by N under the newest own message, with the readers' names", () => {
    const group = conversation("group", [member("me", "Me", 5), member("a", "Ann", 4), member("b", "Bo", 9), member("c", "Cy", 2)]);
    expect(computeReceipt(group, messages, "me")).toEqual({ messageId: "m4", label: "Seen by 2", readers: ["Ann", "Bo"] });
    const unread = conversation("group", [member("me", "Me", 5), member("a", "Ann", 3)]);
    expect(computeReceipt(unread, messages, "me")).toBeNull();
  });
});

import type { NotificationDto } from "@/lib/realtime/protocol";

/** A notification for unit tests: a message from Ana in her direct conversation, unread. */
export function notificationFixture(overrides: Partial<NotificationDto> = {}): NotificationDto {
  const id = overrides.id ?? "n1";
  const updatedAt = overrides.updatedAt ?? "2030-01-01T10:00:00.000Z";
  return {
    id,
    kind: "message",
    conversationId: "c1",
    messageId: "m1",
    seq: 7,
    actor: { id: "u-ana", name: "Ana", avatarColor: "#123456" },
    title: "Ana",
    preview: "hello",
    count: 1,
    readAt: null,
    createdAt: updatedAt,
    updatedAt,
    cursor: `cursor-${id}`,
    ...overrides,
  };
}

/** A ringing video call from Ana to Ben for unit tests; override what a test is about. */
import type { CallDto } from "@/lib/realtime/protocol";

export function callFixture(overrides: Partial<CallDto> = {}): CallDto {
  return {
    id: "c1",
    kind: "video",
    caller: { id: "u-ana", name: "Ana", avatarColor: "#123456" },
    callee: { id: "u-ben", name: "Ben", avatarColor: "#654321" },
    conversationId: "d1",
    status: "ringing",
    outcome: null,
    endReason: null,
    createdAt: "2030-01-01T00:00:00.000Z",
    answeredAt: null,
    endedAt: null,
    durationSeconds: 0,
    match: null,
    ...overrides,
  };
}

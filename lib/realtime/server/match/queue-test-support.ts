/** A join request for the queue tests (memory and Redis): English, no topic, no exclusions unless given. Test-only. */
import type { MatchMood } from "@/lib/realtime/protocol";
import type { JoinRequest } from "./match-queue";

export const request = (userId: string, mood: MatchMood, extra: Partial<JoinRequest> = {}): JoinRequest => ({
  userId,
  socketId: `socket-${userId}`,
  preferences: { mood, language: "en", topic: null },
  exclusions: [],
  ...extra,
});

/**
 * The match queue behind an interface, like the live call state: memory (one process) or Redis
 * (scale-out, redis-match-queue.ts). Each method must be one atomic check-and-change: both run the
 * same synchronous queue core (queue-core.ts), the memory one in process, the Redis one under a
 * lock, so two people can never both take the same partner, even when a hundred join in the same
 * instant.
 *
 * The queue pairs as part of the change that makes a pair possible (a join, or the sweep once a
 * wait relaxed); whoever gets a pair back starts the match. It reports whose queue status changed
 * (position or "relaxed"), so only they are told.
 */
import { getServerEnv } from "@/lib/env";
import type { MatchQueuedDto } from "@/lib/realtime/protocol";
import { getCallState } from "../calls/call-state";
import { createMemoryMatchQueue } from "./memory-match-queue";
import type { MatchPreferences, Waiting } from "./pairing";

/** Someone waiting, with the one socket that joined (match:queue and match:found go there). */
export type QueueMember = Waiting & { socketId: string };

/** A status to push: `socketId` is the member's queued socket. */
export type QueueNotice = { userId: string; socketId: string; status: MatchQueuedDto };

/** Taken out of the queue together. The caller waited longer. */
export type MatchPair = { caller: QueueMember; callee: QueueMember };

export type JoinRequest = {
  userId: string;
  socketId: string;
  preferences: MatchPreferences;
  /** Merged with what an existing entry already holds (a skip's exclusion survives a preference change). */
  exclusions: Iterable<string>;
  /** Only to put someone back in their old place (a match that could not start); otherwise now. */
  joinedAt?: number;
};

export type QueueChange = {
  /** Members still waiting whose position or "relaxed" changed (never the one who asked). */
  moved: QueueNotice[];
  pairs: MatchPair[];
};

export type JoinResult = QueueChange & {
  /** The joiner's status, or null when the join paired them at once (their pair is in `pairs`). */
  queued: QueueNotice | null;
  /** Another socket of the same user held the place: it is told it was replaced. */
  replacedSocketId: string | null;
};

export type LeaveResult = { left: QueueMember | null; moved: QueueNotice[] };

export interface MatchQueue {
  /**
   * Adds the user, or updates an entry they already have (new preferences and socket, same place:
   * joinedAt is kept), then pairs them if someone eligible waits. The caller has checked that the
   * user is in no call.
   */
  join(request: JoinRequest, now: number): Promise<JoinResult>;
  /** Removes the user's entry; with `socketId`, only if that socket holds it (a tab that closes). */
  leave(userId: string, options: { socketId?: string }, now: number): Promise<LeaveResult>;
  status(userId: string, now: number): Promise<QueueNotice | null>;
  /** A block made while waiting: these two are never paired (for as long as they wait). */
  exclude(userId: string, otherId: string): Promise<void>;
  /**
   * Pairs whoever became pairable as time passed (a wait that relaxed, a candidate no longer busy)
   * and reports who became relaxed. Run periodically while anyone waits.
   */
  sweep(now: number): Promise<QueueChange>;
  size(): Promise<number>;
}

let queue: MatchQueue | null = null;

/** The process-wide queue (memory by default, created on first use with the configured relax time). */
export function getMatchQueue(): MatchQueue {
  queue ??= createMemoryMatchQueue({ relaxAfterMs: getServerEnv().MATCH_RELAX_AFTER_MS, busyAmong: (userIds) => getCallState().busyAmong(userIds) });
  return queue;
}

/** Tests and the shared store (Redis) swap it here. */
export function setMatchQueue(next: MatchQueue): void {
  queue = next;
}

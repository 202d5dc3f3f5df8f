/**
 * The match queue's whole state and its operations, synchronous: every method reads and writes in
 * one turn, which is what makes pairing atomic. The memory queue keeps one core for the process;
 * the Redis queue rebuilds one from its snapshot under a lock for each operation and saves it
 * back, so the pairing rules exist once. Busy users (in a live call) are known from the caller:
 * `isBusy` answers from a set fetched before the turn (the call state may be remote).
 */
import type { MatchLanguage, MatchQueuedDto } from "@/lib/realtime/protocol";
import type { JoinRequest, JoinResult, LeaveResult, MatchPair, QueueChange, QueueMember, QueueNotice } from "./match-queue";
import { choosePartner, isRelaxed, orderPair } from "./pairing";
import { createRecentWaits, type RecentWaitsSnapshot } from "./recent-waits";

type Entry = QueueMember & {
  exclusions: Set<string>;
  /** Arrival order, for ties on joinedAt. */
  seq: number;
  /** "relaxed: true" reached the member (pushed or acked): not pushed again. */
  relaxedSent: boolean;
  /** Pairing was tried since the wait relaxed: the sweep does not repeat it. */
  relaxedTried: boolean;
  /** Skipped as busy (a call ringing): the sweep tries again once that call is over. */
  retry: boolean;
};

/** The whole state, JSON-safe: entries in queue order (exclusions as arrays), the arrival counter, recent waits. */
export type QueueSnapshot = {
  seq: number;
  entries: (Omit<Entry, "exclusions"> & { exclusions: string[] })[];
  waits: RecentWaitsSnapshot;
};

export type IsBusy = (userId: string) => boolean;

export type QueueCore = {
  join(request: JoinRequest, now: number, isBusy: IsBusy): JoinResult;
  leave(userId: string, options: { socketId?: string }, now: number): LeaveResult;
  status(userId: string, now: number): QueueNotice | null;
  exclude(userId: string, otherId: string): void;
  sweep(now: number, isBusy: IsBusy): QueueChange;
  size(): number;
  /** Everyone waiting: whose busy state the next turn may need. */
  waitingIds(): string[];
  snapshot(): QueueSnapshot;
};

export function createQueueCore(relaxAfterMs: number, from?: QueueSnapshot): QueueCore {
  const byUser = new Map<string, Entry>();
  /** Per language, in queue order: (joinedAt, seq). Positions are indexes here. */
  const lanes = new Map<MatchLanguage, Entry[]>();
  const waits = createRecentWaits(undefined, from?.waits);
  let seq = from?.seq ?? 0;

  const laneOf = (language: MatchLanguage): Entry[] => {
    let lane = lanes.get(language);
    if (!lane) {
      lane = [];
      lanes.set(language, lane);
    }
    return lane;
  };
  const before = (a: Entry, b: Entry) => a.joinedAt < b.joinedAt || (a.joinedAt === b.joinedAt && a.seq < b.seq);

  function insert(entry: Entry): void {
    const lane = laneOf(entry.preferences.language);
    let index = lane.length;
    while (index > 0 && before(entry, lane[index - 1] as Entry)) index -= 1;
    lane.splice(index, 0, entry);
    byUser.set(entry.userId, entry);
  }

  function remove(entry: Entry): void {
    const lane = laneOf(entry.preferences.language);
    const index = lane.indexOf(entry);
    if (index >= 0) lane.splice(index, 1);
    if (lane.length === 0) lanes.delete(entry.preferences.language);
    if (byUser.get(entry.userId) === entry) byUser.delete(entry.userId);
  }

  function statusOf(entry: Entry, now: number): MatchQueuedDto {
    const lane = laneOf(entry.preferences.language);
    const relaxed = isRelaxed(entry.joinedAt, now, relaxAfterMs);
    if (relaxed) entry.relaxedSent = true;
    return {
      state: "queued",
      preferences: { ...entry.preferences },
      position: lane.indexOf(entry) + 1,
      waiting: lane.length,
      estimateSeconds: waits.estimateSeconds(entry.preferences.language),
      joinedAt: new Date(entry.joinedAt).toISOString(),
      relaxed,
    };
  }
  const noticeOf = (entry: Entry, now: number): QueueNotice => ({ userId: entry.userId, socketId: entry.socketId, status: statusOf(entry, now) });

  /** Positions per user in the given lanes, to tell afterwards exactly whose position changed. */
  function positions(languages: Iterable<MatchLanguage>): Map<string, number> {
    const map = new Map<string, number>();
    for (const language of new Set(languages)) laneOf(language).forEach((entry, index) => map.set(entry.userId, index + 1));
    return map;
  }

  function movedSince(snapshot: Map<string, number>, languages: Iterable<MatchLanguage>, now: number, except: string | null): QueueNotice[] {
    const moved: QueueNotice[] = [];
    for (const language of new Set(languages)) {
      laneOf(language).forEach((entry, index) => {
        if (entry.userId !== except && snapshot.get(entry.userId) !== index + 1) moved.push(noticeOf(entry, now));
      });
      if (laneOf(language).length === 0) lanes.delete(language);
    }
    return moved;
  }

  /** Pairs `seeker` with its best eligible partner, taking both out; busy candidates wait for the sweep. */
  function pairUp(seeker: Entry, now: number, isBusy: IsBusy): MatchPair | null {
    const candidates = laneOf(seeker.preferences.language).filter((candidate) => {
      if (candidate === seeker) return false;
      if (!isBusy(candidate.userId)) return true;
      candidate.retry = true;
      return false;
    });
    const partner = choosePartner(seeker, candidates, now, relaxAfterMs);
    if (!partner) return null;
    remove(seeker);
    remove(partner);
    for (const entry of [seeker, partner]) waits.record(entry.preferences.language, now - entry.joinedAt);
    const { caller, callee } = orderPair(partner, seeker);
    return { caller: memberOf(caller), callee: memberOf(callee) };
  }

  const memberOf = (entry: Entry): QueueMember => ({
    userId: entry.userId,
    socketId: entry.socketId,
    preferences: { ...entry.preferences },
    joinedAt: entry.joinedAt,
    exclusions: new Set(entry.exclusions),
  });

  for (const entry of from?.entries ?? []) insert({ ...entry, preferences: { ...entry.preferences }, exclusions: new Set(entry.exclusions) });

  return {
    join(request, now, isBusy) {
      const existing = byUser.get(request.userId);
      const languages = [request.preferences.language, ...(existing ? [existing.preferences.language] : [])];
      const snapshot = positions(languages);
      if (existing) remove(existing);
      const entry: Entry = {
        userId: request.userId,
        socketId: request.socketId,
        preferences: { ...request.preferences },
        joinedAt: existing?.joinedAt ?? request.joinedAt ?? now,
        exclusions: new Set([...(existing?.exclusions ?? []), ...request.exclusions]),
        seq: existing?.seq ?? (seq += 1),
        relaxedSent: existing?.relaxedSent ?? false,
        relaxedTried: false,
        retry: false,
      };
      insert(entry);
      const pair = pairUp(entry, now, isBusy);
      if (!pair) entry.relaxedTried = isRelaxed(entry.joinedAt, now, relaxAfterMs);
      const replacedSocketId = existing && existing.socketId !== request.socketId ? existing.socketId : null;
      return {
        moved: movedSince(snapshot, languages, now, request.userId),
        pairs: pair ? [pair] : [],
        queued: pair ? null : noticeOf(entry, now),
        replacedSocketId,
      };
    },

    leave(userId, options, now) {
      const entry = byUser.get(userId);
      if (!entry || (options.socketId !== undefined && entry.socketId !== options.socketId)) return { left: null, moved: [] };
      const languages = [entry.preferences.language];
      const snapshot = positions(languages);
      remove(entry);
      return { left: memberOf(entry), moved: movedSince(snapshot, languages, now, userId) };
    },

    status(userId, now) {
      const entry = byUser.get(userId);
      return entry ? noticeOf(entry, now) : null;
    },

    exclude(userId, otherId) {
      byUser.get(userId)?.exclusions.add(otherId);
      byUser.get(otherId)?.exclusions.add(userId);
    },

    sweep(now, isBusy) {
      const languages = [...lanes.keys()];
      const snapshot = positions(languages);
      const pairs: MatchPair[] = [];
      // Oldest first: whoever waited longest gets the first pick.
      const seekers = [...byUser.values()].sort((a, b) => (before(a, b) ? -1 : 1));
      for (const seeker of seekers) {
        if (byUser.get(seeker.userId) !== seeker) continue; // taken by an earlier seeker
        const newlyRelaxed = !seeker.relaxedTried && isRelaxed(seeker.joinedAt, now, relaxAfterMs);
        if (!newlyRelaxed && !seeker.retry) continue;
        if (isBusy(seeker.userId)) {
          seeker.retry = true;
          continue;
        }
        seeker.retry = false;
        if (newlyRelaxed) seeker.relaxedTried = true;
        const pair = pairUp(seeker, now, isBusy);
        if (pair) pairs.push(pair);
      }
      const moved = movedSince(snapshot, languages, now, null);
      const told = new Set(moved.map((notice) => notice.userId));
      // Relaxed, not yet told, and not already in `moved` (whose status carries it).
      for (const entry of byUser.values()) {
        if (!told.has(entry.userId) && !entry.relaxedSent && isRelaxed(entry.joinedAt, now, relaxAfterMs)) moved.push(noticeOf(entry, now));
      }
      return { moved, pairs };
    },

    size() {
      return byUser.size;
    },

    waitingIds() {
      return [...byUser.keys()];
    },

    snapshot() {
      // Lane order is queue order; restoring re-inserts in it, so positions come back the same.
      const entries = [...lanes.values()].flat().map((entry) => ({ ...entry, preferences: { ...entry.preferences }, exclusions: [...entry.exclusions] }));
      return { seq, entries, waits: waits.snapshot() };
    },
  };
}

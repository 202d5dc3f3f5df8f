/**
 * Who may be matched with whom, and whom a waiting person gets: pure, no clock, no state. The queue
 * (match-queue.ts) calls it inside one synchronous check-and-change, so the rules live here once
 * for every implementation.
 *
 * Rules: the same language, never oneself, never across an exclusion (blocks, in either direction,
 * from either side's set); before the wait relaxes only the same or a companion mood
 * (MATCH_MOOD_COMPANIONS). Among the eligible: the same mood first, then a companion, then any
 * (relaxed); then the same topic (case-insensitive); then first come, first served.
 */
import { MATCH_MOOD_COMPANIONS, type MatchLanguage, type MatchMood } from "@/lib/realtime/protocol";

export type MatchPreferences = { mood: MatchMood; language: MatchLanguage; topic: string | null };

/** What pairing needs to know about someone waiting. */
export type Waiting = {
  userId: string;
  preferences: MatchPreferences;
  /** Epoch ms; the earlier, the longer they waited. */
  joinedAt: number;
  /** People this one must never be matched with (either side's set is enough). */
  exclusions: ReadonlySet<string>;
};

/** How well two moods go together: 2 the same, 1 companions, 0 otherwise (only once relaxed). */
export function moodAffinity(a: MatchMood, b: MatchMood): 0 | 1 | 2 {
  if (a === b) return 2;
  return MATCH_MOOD_COMPANIONS[a].includes(b) ? 1 : 0;
}

/** Waited at least `relaxAfterMs`: any mood is acceptable now (never any language). */
export function isRelaxed(joinedAt: number, now: number, relaxAfterMs: number): boolean {
  return now - joinedAt >= relaxAfterMs;
}

export const sameTopic = (a: string | null, b: string | null): boolean => a !== null && b !== null && a.toLowerCase() === b.toLowerCase();

/** May these two be matched now? Symmetric. */
export function canPair(a: Waiting, b: Waiting, now: number, relaxAfterMs: number): boolean {
  if (a.userId === b.userId) return false;
  if (a.preferences.language !== b.preferences.language) return false;
  if (a.exclusions.has(b.userId) || b.exclusions.has(a.userId)) return false;
  if (moodAffinity(a.preferences.mood, b.preferences.mood) > 0) return true;
  // Either side having waited long enough is enough: the one who waited is the one we must not strand.
  return isRelaxed(a.joinedAt, now, relaxAfterMs) || isRelaxed(b.joinedAt, now, relaxAfterMs);
}

/**
 * The best partner for `seeker` among `candidates`, or null. Ties on mood, topic and waiting time
 * go to the candidate listed first, so a queue that lists in arrival order stays first come, first
 * served even for people who joined in the same millisecond.
 */
export function choosePartner<T extends Waiting>(seeker: Waiting, candidates: Iterable<T>, now: number, relaxAfterMs: number): T | null {
  let best: T | null = null;
  let bestKey: [number, number, number] = [-1, -1, 0];
  for (const candidate of candidates) {
    if (!canPair(seeker, candidate, now, relaxAfterMs)) continue;
    const key: [number, number, number] = [
      moodAffinity(seeker.preferences.mood, candidate.preferences.mood),
      sameTopic(seeker.preferences.topic, candidate.preferences.topic) ? 1 : 0,
      -candidate.joinedAt,
    ];
    if (best === null || isBetter(key, bestKey)) {
      best = candidate;
      bestKey = key;
    }
  }
  return best;
}

/** Lexicographic, strictly greater: an equal key keeps the earlier candidate. */
function isBetter(key: readonly number[], than: readonly number[]): boolean {
  for (let index = 0; index < key.length; index += 1) {
    const a = key[index] ?? 0;
    const b = than[index] ?? 0;
    if (a !== b) return a > b;
  }
  return false;
}

/**
 * Caller and callee of a new pair: the one who waited longer calls (sends the first offer). On a
 * tie the one already waiting (`waiting`) calls, the newcomer answers.
 */
export function orderPair<T extends Waiting>(waiting: T, newcomer: T): { caller: T; callee: T } {
  return newcomer.joinedAt < waiting.joinedAt ? { caller: newcomer, callee: waiting } : { caller: waiting, callee: newcomer };
}

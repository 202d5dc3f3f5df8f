/**
 * How long recent matches waited, per language, for the queue's estimate. A fixed ring per
 * language (languages are a fixed list), so memory stays bounded however long the process runs.
 */
export const RECENT_WAITS_KEPT = 50;

type Ring = { values: number[]; next: number; sum: number };
/** JSON-safe copy of every ring (the match queue's snapshot carries it). */
export type RecentWaitsSnapshot = Record<string, Ring>;

export type RecentWaits = {
  record(language: string, waitedMs: number): void;
  /** The mean of the recent waits in whole seconds (rounded up), or null before the first match. */
  estimateSeconds(language: string): number | null;
  snapshot(): RecentWaitsSnapshot;
};

export function createRecentWaits(capacity = RECENT_WAITS_KEPT, from: RecentWaitsSnapshot = {}): RecentWaits {
  const rings = new Map<string, Ring>(Object.entries(from).map(([language, ring]) => [language, { ...ring, values: [...ring.values] }]));
  return {
    record(language, waitedMs) {
      const value = Math.max(0, waitedMs);
      let ring = rings.get(language);
      if (!ring) {
        ring = { values: [], next: 0, sum: 0 };
        rings.set(language, ring);
      }
      if (ring.values.length < capacity) {
        ring.values.push(value);
      } else {
        ring.sum -= ring.values[ring.next] ?? 0;
        ring.values[ring.next] = value;
      }
      ring.sum += value;
      ring.next = (ring.next + 1) % capacity;
    },
    estimateSeconds(language) {
      const ring = rings.get(language);
      if (!ring || ring.values.length === 0) return null;
      return Math.ceil(ring.sum / ring.values.length / 1000);
    },
    snapshot() {
      return Object.fromEntries([...rings].map(([language, ring]) => [language, { ...ring, values: [...ring.values] }]));
    },
  };
}

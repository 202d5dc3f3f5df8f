/**
 * Counts per category over a sliding window of fixed buckets (e.g. 30 × 10 s = the last 5 minutes),
 * in preallocated arrays: `add` allocates nothing, so it can sit on the request path.
 */
export type SlidingWindowTotals = { total: number; byCategory: number[]; coveredMs: number };

export type SlidingWindowCounter = {
  add(category: number, now?: number): void;
  /** Sums of the buckets still inside the window at `now`; `coveredMs` is how much of it has elapsed since `startedAt`. */
  totals(now?: number): SlidingWindowTotals;
  readonly windowMs: number;
};

export function createSlidingWindowCounter(options: {
  bucketMs: number;
  buckets: number;
  categories: number;
  startedAt?: number;
}): SlidingWindowCounter {
  const { bucketMs, buckets, categories } = options;
  const startedAt = options.startedAt ?? Date.now();
  const windowMs = bucketMs * buckets;
  /** counts[slot * categories + category]; epochs[slot] is the bucket number the slot holds. */
  const counts = new Float64Array(buckets * categories);
  const epochs = new Float64Array(buckets).fill(-1);

  const slotFor = (epoch: number): number => {
    const slot = epoch % buckets;
    if (epochs[slot] !== epoch) {
      counts.fill(0, slot * categories, (slot + 1) * categories);
      epochs[slot] = epoch;
    }
    return slot;
  };

  return {
    windowMs,
    add(category, now = Date.now()) {
      if (category < 0 || category >= categories) return;
      const slot = slotFor(Math.floor(now / bucketMs));
      counts[slot * categories + category]! += 1;
    },
    totals(now = Date.now()) {
      const current = Math.floor(now / bucketMs);
      const byCategory = new Array<number>(categories).fill(0);
      let total = 0;
      for (let slot = 0; slot < buckets; slot += 1) {
        const epoch = epochs[slot]!;
        if (epoch < 0 || epoch <= current - buckets || epoch > current) continue;
        for (let category = 0; category < categories; category += 1) {
          const value = counts[slot * categories + category]!;
          byCategory[category]! += value;
          total += value;
        }
      }
      return { total, byCategory, coveredMs: Math.max(0, Math.min(windowMs, now - startedAt)) };
    },
  };
}

/** Events per minute over the covered part of the window (at least one bucket, so a fresh process is not inflated). */
export function perMinute(count: number, coveredMs: number, bucketMs: number): number {
  const minutes = Math.max(coveredMs, bucketMs) / 60_000;
  return Math.round((count / minutes) * 100) / 100;
}

import { describe, expect, it } from "vitest";

import { createSlidingWindowCounter, perMinute } from "./sliding-window";

describe("createSlidingWindowCounter", () => {
  it("sums per category inside the window and forgets buckets that slid out", () => {
    const counter = createSlidingWindowCounter({ bucketMs: 10_000, buckets: 30, categories: 2, startedAt: 0 });
    counter.add(0, 1_000);
    counter.add(0, 9_999);
    counter.add(1, 50_000);
    expect(counter.totals(60_000)).toEqual({ total: 3, byCategory: [2, 1], coveredMs: 60_000 });
    // 300 s later the first bucket (0–10 s) is out, the one at 50 s still in.
    expect(counter.totals(305_000)).toMatchObject({ total: 1, byCategory: [0, 1], coveredMs: 300_000 });
    expect(counter.totals(400_000).total).toBe(0);
  });

  it("reuses a slot for a new bucket without keeping the old counts", () => {
    const counter = createSlidingWindowCounter({ bucketMs: 1_000, buckets: 3, categories: 1, startedAt: 0 });
    counter.add(0, 500);
    counter.add(0, 3_500); // same slot (3 % 3 === 0), a later bucket
    expect(counter.totals(3_600).byCategory).toEqual([1]);
  });

  it("ignores categories outside the range", () => {
    const counter = createSlidingWindowCounter({ bucketMs: 1_000, buckets: 3, categories: 1, startedAt: 0 });
    counter.add(5, 10);
    counter.add(-1, 10);
    expect(counter.totals(20).total).toBe(0);
  });
});

describe("perMinute", () => {
  it("divides by the covered time, at least one bucket", () => {
    expect(perMinute(10, 300_000, 10_000)).toBe(2);
    expect(perMinute(10, 120_000, 10_000)).toBe(5);
    expect(perMinute(1, 0, 10_000)).toBe(6);
  });
});

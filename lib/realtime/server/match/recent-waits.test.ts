import { describe, expect, it } from "vitest";

import { createRecentWaits } from "./recent-waits";

describe("recent waits", () => {
  it("has no estimate before the first match, then the mean in whole seconds (rounded up), per language", () => {
    const waits = createRecentWaits(3);
    expect(waits.estimateSeconds("en")).toBeNull();
    waits.record("en", 1_000);
    waits.record("en", 2_500);
    expect(waits.estimateSeconds("en")).toBe(2); // 1.75 s
    expect(waits.estimateSeconds("de")).toBeNull();
  });

  it("keeps only the most recent waits", () => {
    const waits = createRecentWaits(3);
    for (const ms of [60_000, 60_000, 60_000, 1_000, 1_000, 1_000]) waits.record("en", ms);
    expect(waits.estimateSeconds("en")).toBe(1);
    waits.record("en", 4_000);
    expect(waits.estimateSeconds("en")).toBe(2);
  });
});

describe("recent waits snapshot", () => {
  it("a ring restored from its snapshot goes on exactly where it was", () => {
    const waits = createRecentWaits(3);
    for (const ms of [9_000, 1_000, 2_000]) waits.record("en", ms);
    const restored = createRecentWaits(3, JSON.parse(JSON.stringify(waits.snapshot())) as ReturnType<typeof waits.snapshot>);
    // The next record replaces the oldest (9 s) in both.
    for (const ring of [waits, restored]) ring.record("en", 3_000);
    expect(restored.estimateSeconds("en")).toBe(2);
    expect(restored.snapshot()).toEqual(waits.snapshot());
  });
});

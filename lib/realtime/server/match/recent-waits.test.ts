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

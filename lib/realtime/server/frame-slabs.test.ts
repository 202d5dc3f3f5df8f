import { describe, expect, it } from "vitest";

import { createFrameSlabs } from "./frame-slabs";

const text = (range: { slab: Buffer; start: number; end: number }) => range.slab.toString("utf8", range.start, range.end);

describe("frame slabs", () => {
  it("give back every frame exactly, multi-byte characters included, across slabs", () => {
    const slabs = createFrameSlabs(1024);
    const frames = Array.from({ length: 40 }, (_, index) => `2["chat:message",{"body":"héllo ${index} 👋 ${"x".repeat(index)}"}]`);
    const ranges = frames.map((frame) => slabs.keep(frame));
    expect(ranges.map(text)).toEqual(frames);
    // Several frames share a slab; when one is full, the next frames go to a new one.
    expect(ranges[1]!.slab).toBe(ranges[0]!.slab);
    expect(new Set(ranges.map((range) => range.slab)).size).toBeGreaterThan(1);
    expect(new Set(ranges.map((range) => range.slab)).size).toBeLessThan(frames.length);
  });

  it("give a frame that could need more than a quarter of a slab a buffer of its own", () => {
    const slabs = createFrameSlabs(1024);
    const small = slabs.keep("2[1]");
    const large = slabs.keep(`2["${"é".repeat(100)}"]`);
    expect(text(large)).toBe(`2["${"é".repeat(100)}"]`);
    expect(large.slab).not.toBe(small.slab);
    expect(large.start).toBe(0);
    expect(slabs.keep("2[2]").slab).toBe(small.slab);
  });
});

import { describe, expect, it } from "vitest";

import { advanceCursor, type VersionCursor } from "./version-cursor";

const at = (version: number, ahead: number[] = []): VersionCursor => ({ version, ahead });

describe("advanceCursor", () => {
  it("moves with a contiguous run of live versions, in any order", () => {
    expect(advanceCursor(at(3), { kind: "live", versions: [4] })).toEqual(at(4));
    expect(advanceCursor(at(3), { kind: "live", versions: [5, 4, 6] })).toEqual(at(6));
  });

  it("does not move past a gap: the versions above it wait, and the gap's arrival releases them", () => {
    const gapped = advanceCursor(at(83), { kind: "live", versions: [94, 95] });
    expect(gapped).toEqual(at(83, [94, 95]));
    const filled = advanceCursor(gapped, { kind: "live", versions: [84, 85, 86, 87, 88, 89, 90, 91, 92, 93] });
    expect(filled).toEqual(at(95));
  });

  it("a sync answer covers everything up to its version, and releases what waited above", () => {
    expect(advanceCursor(at(83, [94, 96]), { kind: "synced", through: 94, versions: [84, 90, 94] })).toEqual(at(94, [96]));
    expect(advanceCursor(at(83, [94, 95]), { kind: "synced", through: 93, versions: [] })).toEqual(at(95));
  });

  it("ignores what it already covers, and duplicates", () => {
    expect(advanceCursor(at(10), { kind: "live", versions: [3, 10, 10] })).toEqual(at(10));
    expect(advanceCursor(at(10, [12]), { kind: "live", versions: [12, 12] })).toEqual(at(10, [12]));
  });

  it("starts where the first answer is, and a history page keeps the highest version seen", () => {
    expect(advanceCursor(undefined, { kind: "live", versions: [7] })).toEqual(at(7));
    expect(advanceCursor(undefined, { kind: "synced", through: 12, versions: [9] })).toEqual(at(12));
    expect(advanceCursor(at(5), { kind: "page", versions: [2, 9] })).toEqual(at(9));
  });

  it("keeps a bounded number of waiting versions", () => {
    const many = Array.from({ length: 2_000 }, (_, index) => 100 + index);
    expect(advanceCursor(at(1), { kind: "live", versions: many }).ahead).toHaveLength(500);
  });
});

import { randomBytes } from "node:crypto";

import { afterEach, describe, expect, it, vi } from "vitest";

import { createMessageIdGenerator } from "./message-id";


afterEach(() => {
  vi.restoreAllMocks();
});

describe("createMessageIdGenerator", () => {
  it("makes cuid-shaped ids that increase in the order they are made, within a millisecond too", () => {
    vi.spyOn(Date, "now").mockReturnValue(1_796_000_000_000);
    const next = createMessageIdGenerator(randomBytes);
    const ids = Array.from({ length: 2_000 }, next);
    for (const id of ids) expect(id).toMatch(/^c[0-9a-z]{24}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("keeps increasing when the clock moves on and when it steps back", () => {
    const now = vi.spyOn(Date, "now");
    const next = createMessageIdGenerator(randomBytes);
    const ids: string[] = [];
    for (const ms of [1_796_000_000_000, 1_796_000_000_000, 1_796_000_000_005, 1_796_000_000_001, 1_796_000_000_009]) {
      now.mockReturnValue(ms);
      ids.push(next());
    }
    expect([...ids].sort()).toEqual(ids);
  });
});

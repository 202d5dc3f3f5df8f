import { describe, expect, it } from "vitest";

import { adminStatsInputSchema } from "./protocol";

describe("adminStatsInputSchema", () => {
  it("accepts an empty object and nothing else", () => {
    expect(adminStatsInputSchema.parse({})).toEqual({});
    expect(adminStatsInputSchema.safeParse({ processId: "x" }).success).toBe(false);
    expect(adminStatsInputSchema.safeParse(null).success).toBe(false);
  });
});

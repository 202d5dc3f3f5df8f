import { describe, expect, it } from "vitest";

import { ALIAS_ADJECTIVES, ALIAS_ANIMALS, aliasPair, randomAlias } from "./aliases";

describe("aliases", () => {
  it("are an adjective and an animal", () => {
    for (let index = 0; index < 200; index += 1) {
      const [adjective, animal, ...rest] = randomAlias().split(" ");
      expect(rest).toEqual([]);
      expect(ALIAS_ADJECTIVES).toContain(adjective);
      expect(ALIAS_ANIMALS).toContain(animal);
    }
  });

  it("differ between the two sides of a match, even when the draw repeats itself", () => {
    const draws = ["Amber Fox", "Amber Fox", "Amber Fox", "Calm Owl"];
    expect(aliasPair(() => draws.shift() ?? "")).toEqual(["Amber Fox", "Calm Owl"]);
    for (let index = 0; index < 200; index += 1) {
      const [a, b] = aliasPair();
      expect(a).not.toBe(b);
    }
  });

  it("are not drawn from a tiny pool (many different ones in a few hundred draws)", () => {
    const seen = new Set(Array.from({ length: 300 }, () => randomAlias()));
    expect(seen.size).toBeGreaterThan(200);
  });
});

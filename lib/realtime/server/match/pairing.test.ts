import { describe, expect, it } from "vitest";

import { MATCH_MOOD_COMPANIONS, MATCH_MOODS, type MatchMood } from "@/lib/realtime/protocol";
import { canPair, choosePartner, isRelaxed, moodAffinity, orderPair, type Waiting } from "./pairing";

const RELAX = 10_000;
const NOW = 1_000_000;

function waiting(userId: string, mood: MatchMood, options: { language?: "en" | "de"; topic?: string | null; waitedMs?: number; exclusions?: string[] } = {}): Waiting {
  return {
    userId,
    preferences: { mood, language: options.language ?? "en", topic: options.topic ?? null },
    joinedAt: NOW - (options.waitedMs ?? 0),
    exclusions: new Set(options.exclusions ?? []),
  };
}

const pick = (seeker: Waiting, candidates: Waiting[]) => choosePartner(seeker, candidates, NOW, RELAX)?.userId ?? null;

describe("mood compatibility", () => {
  it("is symmetric and every mood goes with itself", () => {
    for (const a of MATCH_MOODS) {
      expect(moodAffinity(a, a)).toBe(2);
      for (const b of MATCH_MOODS) expect(moodAffinity(a, b)).toBe(moodAffinity(b, a));
    }
    for (const [mood, companions] of Object.entries(MATCH_MOOD_COMPANIONS)) for (const companion of companions) expect(moodAffinity(mood as MatchMood, companion)).toBe(1);
  });

  it("keeps venting, happy and curious apart until a wait relaxes", () => {
    const moods: MatchMood[] = ["venting", "happy", "curious"];
    for (const a of moods) for (const b of moods) if (a !== b) expect(moodAffinity(a, b)).toBe(0);
    expect(canPair(waiting("a", "venting"), waiting("b", "happy"), NOW, RELAX)).toBe(false);
  });
});

describe("who may be paired", () => {
  it("needs the same language, even once relaxed", () => {
    expect(canPair(waiting("a", "chill"), waiting("b", "chill", { language: "de" }), NOW, RELAX)).toBe(false);
    expect(canPair(waiting("a", "chill", { waitedMs: RELAX * 5 }), waiting("b", "chill", { language: "de", waitedMs: RELAX * 5 }), NOW, RELAX)).toBe(false);
  });

  it("never pairs someone with themselves", () => {
    expect(canPair(waiting("a", "chill"), waiting("a", "chill"), NOW, RELAX)).toBe(false);
    expect(pick(waiting("a", "chill"), [waiting("a", "chill")])).toBeNull();
  });

  it("never pairs across an exclusion, whichever side holds it", () => {
    expect(canPair(waiting("a", "chill", { exclusions: ["b"] }), waiting("b", "chill"), NOW, RELAX)).toBe(false);
    expect(canPair(waiting("a", "chill"), waiting("b", "chill", { exclusions: ["a"] }), NOW, RELAX)).toBe(false);
    expect(pick(waiting("a", "chill", { exclusions: ["b"] }), [waiting("b", "chill", { waitedMs: 500 }), waiting("c", "happy")])).toBe("c");
    expect(pick(waiting("a", "chill"), [waiting("b", "chill", { exclusions: ["a"] })])).toBeNull();
  });

  it("accepts any mood once either side waited the relax time, not a millisecond before", () => {
    expect(isRelaxed(NOW - RELAX, NOW, RELAX)).toBe(true);
    expect(isRelaxed(NOW - RELAX + 1, NOW, RELAX)).toBe(false);
    expect(canPair(waiting("a", "venting", { waitedMs: RELAX - 1 }), waiting("b", "happy"), NOW, RELAX)).toBe(false);
    expect(canPair(waiting("a", "venting", { waitedMs: RELAX }), waiting("b", "happy"), NOW, RELAX)).toBe(true);
    expect(canPair(waiting("a", "venting"), waiting("b", "happy", { waitedMs: RELAX }), NOW, RELAX)).toBe(true);
  });
});

describe("whom a seeker gets", () => {
  it("prefers the same mood, then a companion, then (relaxed) anyone", () => {
    const seeker = waiting("s", "chill", { waitedMs: RELAX });
    const other = waiting("other", "venting", { waitedMs: 9_000 });
    const companion = waiting("companion", "happy", { waitedMs: 8_000 });
    const same = waiting("same", "chill", { waitedMs: 1 });
    expect(pick(seeker, [other, companion, same])).toBe("same");
    expect(pick(seeker, [other, companion])).toBe("companion");
    expect(pick(seeker, [other])).toBe("other");
    expect(pick({ ...seeker, joinedAt: NOW }, [other])).toBeNull();
  });

  it("breaks ties on mood by the same topic, case-insensitively, but a topic never beats a closer mood", () => {
    const seeker = waiting("s", "chill", { topic: "Jazz" });
    const longest = waiting("longest", "chill", { waitedMs: 5_000, topic: "football" });
    const jazz = waiting("jazz", "chill", { waitedMs: 100, topic: "jAZZ" });
    const companionJazz = waiting("companion-jazz", "happy", { waitedMs: 9_000, topic: "jazz" });
    expect(pick(seeker, [longest, jazz, companionJazz])).toBe("jazz");
    expect(pick(seeker, [longest, companionJazz])).toBe("longest");
    // No topic on either side is not "the same topic".
    expect(pick(waiting("s", "chill"), [waiting("x", "chill", { waitedMs: 5 }), waiting("y", "chill", { waitedMs: 10 })])).toBe("y");
  });

  it("is first come, first served otherwise: the longest wait, then the order given", () => {
    const seeker = waiting("s", "curious");
    const candidates = [waiting("b", "curious", { waitedMs: 300 }), waiting("a", "curious", { waitedMs: 700 }), waiting("c", "curious", { waitedMs: 700 })];
    expect(pick(seeker, candidates)).toBe("a");
    expect(pick(seeker, [candidates[2] as Waiting, candidates[1] as Waiting])).toBe("c");
  });

  it("finds nobody when no candidate is eligible", () => {
    expect(pick(waiting("s", "venting"), [waiting("h", "happy"), waiting("c", "curious", { language: "de" })])).toBeNull();
    expect(pick(waiting("s", "venting"), [])).toBeNull();
  });
});

describe("caller and callee", () => {
  it("the one who waited longer calls; on a tie the one already waiting", () => {
    const early = waiting("early", "chill", { waitedMs: 100 });
    const late = waiting("late", "chill");
    expect(orderPair(late, early)).toEqual({ caller: early, callee: late });
    expect(orderPair(early, late)).toEqual({ caller: early, callee: late });
    const twin = waiting("twin", "chill");
    expect(orderPair(twin, late)).toEqual({ caller: twin, callee: late });
  });
});

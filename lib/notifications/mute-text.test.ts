import { describe, expect, it } from "vitest";

import { activeMute, MUTE_CHOICES, mutedText } from "./mute-text";

const NOW = Date.parse("2030-01-01T10:00:00.000Z");

describe("mutedText", () => {
  it("reads the far-future date the server stores for forever as forever", () => {
    expect(mutedText("9999-12-31T00:00:00.000Z", NOW)).toBe("Muted until you unmute");
  });

  it("gives the end of a period", () => {
    expect(mutedText("2030-01-01T11:00:00.000Z", NOW)).toMatch(/^Muted until \S/);
  });

  it("offers every duration the protocol knows but off, which is Unmute", () => {
    expect(MUTE_CHOICES.map((choice) => choice.duration)).toEqual(["1h", "8h", "24h", "7d", "forever"]);
  });
});

describe("activeMute", () => {
  it("is the mute while it runs, and none once it has run out or when unset", () => {
    const now = Date.parse("2026-01-01T12:00:00.000Z");
    expect(activeMute("2026-01-01T12:30:00.000Z", now)).toBe("2026-01-01T12:30:00.000Z");
    expect(activeMute("2026-01-01T11:59:59.000Z", now)).toBeNull();
    expect(activeMute(null, now)).toBeNull();
  });
});

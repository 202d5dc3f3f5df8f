import { describe, expect, it } from "vitest";

import { customStatusOf, describeStatus, formatLastSeen } from "./presence-format";

// Local times, so day boundaries hold in any time zone the tests run in.
const now = new Date(2026, 2, 18, 15, 0, 0).getTime();
const at = (year: number, month: number, day: number, hours: number, minutes: number) => new Date(year, month, day, hours, minutes).toISOString();

describe("formatLastSeen", () => {
  it("is empty when unknown or invalid", () => {
    expect(formatLastSeen(null, now)).toBe("");
    expect(formatLastSeen("not a date", now)).toBe("");
  });

  it("says just now under a minute, and for a clock slightly ahead", () => {
    expect(formatLastSeen(new Date(now - 59_000).toISOString(), now)).toBe("just now");
    expect(formatLastSeen(new Date(now + 5_000).toISOString(), now)).toBe("just now");
  });

  it("counts minutes, then hours within the same day", () => {
    expect(formatLastSeen(new Date(now - 5 * 60_000).toISOString(), now)).toBe("5 min ago");
    expect(formatLastSeen(new Date(now - 59 * 60_000 - 59_000).toISOString(), now)).toBe("59 min ago");
    expect(formatLastSeen(new Date(now - 3 * 3_600_000).toISOString(), now)).toBe("3 h ago");
    expect(formatLastSeen(at(2026, 2, 18, 0, 5), now)).toBe("14 h ago");
  });

  it("says yesterday across midnight, then days, then a date", () => {
    expect(formatLastSeen(at(2026, 2, 17, 23, 30), now)).toBe("yesterday");
    expect(formatLastSeen(at(2026, 2, 14, 12, 0), now)).toBe("4 days ago");
    expect(formatLastSeen(at(2026, 2, 4, 12, 0), now)).toMatch(/^on .*4/);
    expect(formatLastSeen(at(2024, 2, 4, 12, 0), now)).toMatch(/2024/);
  });
});

describe("describeStatus", () => {
  it("names the status", () => {
    expect(describeStatus({ status: "online", lastSeenAt: null }, now)).toBe("Online");
    expect(describeStatus({ status: "away", lastSeenAt: null }, now)).toBe("Away");
    expect(describeStatus({ status: "dnd", lastSeenAt: null }, now)).toBe("Do not disturb");
  });

  it("says In a call while a connected user is in one", () => {
    expect(describeStatus({ status: "dnd", lastSeenAt: null, inCall: true }, now)).toBe("In a call");
    expect(describeStatus({ status: "offline", lastSeenAt: null, inCall: true }, now)).toBe("Offline");
  });

  it("adds last seen to offline when known", () => {
    expect(describeStatus({ status: "offline", lastSeenAt: new Date(now - 5 * 60_000).toISOString() }, now)).toBe("Offline · last seen 5 min ago");
    expect(describeStatus({ status: "offline", lastSeenAt: null }, now)).toBe("Offline");
  });
});

describe("customStatusOf", () => {
  it("joins emoji and text, and is null when both are empty", () => {
    expect(customStatusOf({ customEmoji: "🌴", customText: "On holiday" })).toBe("🌴 On holiday");
    expect(customStatusOf({ customEmoji: "🌴", customText: null })).toBe("🌴");
    expect(customStatusOf({ customEmoji: null, customText: "Busy" })).toBe("Busy");
    expect(customStatusOf({ customEmoji: null, customText: "  " })).toBeNull();
  });
});

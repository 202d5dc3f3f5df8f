import { describe, expect, it } from "vitest";

import { decodeNotificationCursor, notificationCursor, parseDisabledKinds, serializeDisabledKinds, toPreferencesDto } from "./notification-dto";
import { MUTED_FOREVER, mutedUntilFor } from "./notification-service";

describe("notification cursors", () => {
  it("round-trip (updatedAt, id) and refuse anything else", () => {
    const at = new Date("2026-01-02T03:04:05.678Z");
    expect(decodeNotificationCursor(notificationCursor(at, "n1"))).toEqual({ updatedAt: at, id: "n1" });
    expect(() => decodeNotificationCursor("garbage")).toThrow();
    expect(() => decodeNotificationCursor(Buffer.from(JSON.stringify(["not a date", "n1"])).toString("base64url"))).toThrow();
  });
});

describe("preferences", () => {
  it("store switched-off kinds only, ignoring unknown or damaged values", () => {
    const disabled = parseDisabledKinds('["reaction","bogus","message"]');
    expect([...disabled].sort()).toEqual(["message", "reaction"]);
    expect(serializeDisabledKinds(disabled)).toBe('["message","reaction"]');
    expect(parseDisabledKinds("{not json").size).toBe(0);
    expect(toPreferencesDto(disabled).kinds).toMatchObject({ message: false, reaction: false, mention: true, announcement: true });
  });

  it("mute durations", () => {
    const now = Date.UTC(2026, 0, 1);
    expect(mutedUntilFor("off", now)).toBeNull();
    expect(mutedUntilFor("forever", now)).toEqual(MUTED_FOREVER);
    expect(mutedUntilFor("8h", now)?.getTime()).toBe(now + 8 * 3_600_000);
  });
});

import { describe, expect, it } from "vitest";

import { presenceSetStatusInputSchema } from "@/lib/realtime/protocol";
import { emojiError } from "./custom-emoji";
import { expiresAtFor, NO_CUSTOM_STATUS, statusInput } from "./custom-status";

const now = new Date(2026, 2, 18, 15, 10, 0).getTime();

describe("expiresAtFor", () => {
  it("is null for never, and a valid offset date otherwise", () => {
    expect(expiresAtFor("never", now)).toBeNull();
    expect(Date.parse(expiresAtFor("30m", now)!)).toBe(now + 30 * 60_000);
    expect(Date.parse(expiresAtFor("1h", now)!)).toBe(now + 60 * 60_000);
    expect(Date.parse(expiresAtFor("4h", now)!)).toBe(now + 4 * 60 * 60_000);
  });

  it("ends today at the last local millisecond", () => {
    const end = new Date(expiresAtFor("today", now)!);
    expect([end.getDate(), end.getHours(), end.getMinutes(), end.getSeconds(), end.getMilliseconds()]).toEqual([18, 23, 59, 59, 999]);
  });
});

describe("emojiError", () => {
  it("accepts an empty field and anything starting with an emoji", () => {
    expect(emojiError("")).toBeUndefined();
    expect(emojiError("🌴")).toBeUndefined();
    expect(emojiError(" 🍽️ ")).toBeUndefined();
  });

  it("refuses text that does not start with an emoji", () => {
    expect(emojiError("hi")).toMatch(/emoji/);
    expect(emojiError("1🌴")).toMatch(/emoji/);
  });
});

describe("statusInput", () => {
  it("sends the mode with the custom status, and passes the server's schema", () => {
    const input = statusInput("dnd", { customEmoji: "🌴", customText: " On holiday ", expiresAt: expiresAtFor("1h", now) });
    expect(input).toMatchObject({ status: "dnd", customEmoji: "🌴", customText: "On holiday" });
    expect(presenceSetStatusInputSchema.safeParse(input).success).toBe(true);
  });

  it("drops the expiry when nothing custom is left", () => {
    expect(statusInput("auto", { customEmoji: " ", customText: "", expiresAt: expiresAtFor("1h", now) })).toEqual({
      status: "auto",
      customEmoji: null,
      customText: null,
      expiresAt: null,
    });
    expect(statusInput("invisible", NO_CUSTOM_STATUS)).toEqual({ status: "invisible", customEmoji: null, customText: null, expiresAt: null });
  });
});

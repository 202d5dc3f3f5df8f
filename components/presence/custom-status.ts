import type { OwnPresenceDto, PresenceMode, PresenceSetStatusInput } from "@/lib/realtime/protocol";

export const QUICK_EMOJI = ["💬", "📅", "🚌", "🤒", "🌴", "🏠", "🎧", "🍽️"] as const;

export const CLEAR_AFTER_OPTIONS = [
  { value: "never", label: "Don't clear" },
  { value: "30m", label: "30 minutes" },
  { value: "1h", label: "1 hour" },
  { value: "4h", label: "4 hours" },
  { value: "today", label: "Today" },
] as const;
export type ClearAfter = (typeof CLEAR_AFTER_OPTIONS)[number]["value"];

const DURATIONS_MS: Partial<Record<ClearAfter, number>> = { "30m": 30 * 60_000, "1h": 60 * 60_000, "4h": 4 * 60 * 60_000 };

/** When a status set now should clear itself: null for never, the end of the local day for "Today". */
export function expiresAtFor(choice: ClearAfter, now: number): string | null {
  if (choice === "never") return null;
  if (choice === "today") {
    const end = new Date(now);
    end.setHours(23, 59, 59, 999);
    return end.toISOString();
  }
  return new Date(now + DURATIONS_MS[choice]!).toISOString();
}

export type CustomStatus = Pick<OwnPresenceDto, "customEmoji" | "customText" | "expiresAt">;

/**
 * `presence:set-status` replaces mode and custom status together (a missing field clears it), so
 * every change carries the other half unchanged: a new mode keeps the custom status, a new
 * custom status keeps the mode.
 */
export function statusInput(mode: PresenceMode, custom: CustomStatus): PresenceSetStatusInput {
  const customEmoji = custom.customEmoji?.trim() || null;
  const customText = custom.customText?.trim() || null;
  const hasCustom = customEmoji !== null || customText !== null;
  return { status: mode, customEmoji, customText, expiresAt: hasCustom ? custom.expiresAt : null };
}

export const NO_CUSTOM_STATUS: CustomStatus = { customEmoji: null, customText: null, expiresAt: null };

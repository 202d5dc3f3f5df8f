/** How a conversation's mute reads, and what each choice of the mute menu means. */
import type { MuteDuration } from "@/lib/realtime/protocol";

export const MUTE_CHOICES: { duration: Exclude<MuteDuration, "off">; label: string }[] = [
  { duration: "1h", label: "for 1 hour" },
  { duration: "8h", label: "for 8 hours" },
  { duration: "24h", label: "for 24 hours" },
  { duration: "7d", label: "for 7 days" },
  { duration: "forever", label: "until I unmute" },
];

// "Forever" is stored as a far-future date; anything a century away reads as forever.
const FOREVER_AFTER_MS = 100 * 365 * 24 * 60 * 60_000;

/** "Muted until you unmute", "Muted until 5:30 PM", "Muted until Tue 5:30 PM". */
export function mutedText(mutedUntil: string, now: number): string {
  const until = Date.parse(mutedUntil);
  if (Number.isNaN(until) || until - now > FOREVER_AFTER_MS) return "Muted until you unmute";
  const sameDay = new Date(until).toDateString() === new Date(now).toDateString();
  const time = new Date(until).toLocaleString(undefined, sameDay ? { hour: "numeric", minute: "2-digit" } : { weekday: "short", month: "short", day: "numeric", hour: "numeric", minute: "2-digit" });
  return `Muted until ${time}`;
}

/** Muted until when, or null: a mute that has run out counts as none. */
export function activeMute(mutedUntil: string | null, now: number): string | null {
  if (!mutedUntil) return null;
  return Date.parse(mutedUntil) > now ? mutedUntil : null;
}

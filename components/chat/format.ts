/** Dates and times as the conversation view shows them, in the reader's locale and time zone. */
import { startOfLocalDay } from "./message-rows";

const DAY_MS = 24 * 60 * 60 * 1000;

export function formatTime(iso: string): string {
  return new Date(iso).toLocaleTimeString(undefined, { hour: "numeric", minute: "2-digit" });
}

export function formatFullDate(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "full", timeStyle: "short" });
}

/** "Today", "Yesterday", "Monday, March 3" or "March 3, 2024". */
export function formatDay(dayStart: number, now = Date.now()): string {
  const today = startOfLocalDay(now);
  const days = Math.round((today - dayStart) / DAY_MS);
  if (days === 0) return "Today";
  if (days === 1) return "Yesterday";
  const date = new Date(dayStart);
  if (date.getFullYear() === new Date(now).getFullYear()) {
    return date.toLocaleDateString(undefined, { weekday: "long", month: "long", day: "numeric" });
  }
  return date.toLocaleDateString(undefined, { year: "numeric", month: "long", day: "numeric" });
}

export { formatBytes } from "@/lib/validations/attachments";

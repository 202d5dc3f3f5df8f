import type { PresenceDto, PresenceStatus } from "@/lib/realtime/protocol";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export const STATUS_LABELS: Record<PresenceStatus, string> = {
  online: "Online",
  away: "Away",
  dnd: "Do not disturb",
  offline: "Offline",
};

function startOfDay(time: number): number {
  const date = new Date(time);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

/**
 * How long ago someone was last seen: "just now", "5 min ago", "3 h ago", "yesterday",
 * "4 days ago", "on Mar 4", "on Mar 4, 2024". Empty when unknown. A time slightly in the future
 * (another machine's clock) reads as "just now".
 */
export function formatLastSeen(iso: string | null, now: number): string {
  if (!iso) return "";
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return "";
  const elapsed = now - time;
  if (elapsed < MINUTE) return "just now";
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)} min ago`;
  const days = Math.round((startOfDay(now) - startOfDay(time)) / DAY);
  if (days <= 0) return `${Math.floor(elapsed / HOUR)} h ago`;
  if (days === 1) return "yesterday";
  if (days < 7) return `${days} days ago`;
  const sameYear = new Date(time).getFullYear() === new Date(now).getFullYear();
  return `on ${new Date(time).toLocaleDateString(undefined, { month: "short", day: "numeric", ...(sameYear ? {} : { year: "numeric" }) })}`;
}

/** What a connected user's status reads: "In a call" wins over Online/Away/Do not disturb. */
export function liveLabel(presence: Pick<PresenceDto, "status"> & { inCall?: boolean }): string {
  return presence.inCall ? "In a call" : STATUS_LABELS[presence.status];
}

/** "Online", "In a call", "Do not disturb", "Offline · last seen 5 min ago" (just "Offline" when never seen). */
export function describeStatus(presence: Pick<PresenceDto, "status" | "lastSeenAt"> & { inCall?: boolean }, now: number): string {
  if (presence.status !== "offline") return liveLabel(presence);
  const label = STATUS_LABELS[presence.status];
  const lastSeen = formatLastSeen(presence.lastSeenAt, now);
  return lastSeen ? `${label} · last seen ${lastSeen}` : label;
}

/** The custom status as one line ("🌴 On holiday", "🌴", "On holiday"), or null when none is set. */
export function customStatusOf(presence: Pick<PresenceDto, "customEmoji" | "customText">): string | null {
  const text = [presence.customEmoji, presence.customText].filter((part) => !!part?.trim()).join(" ");
  return text || null;
}

/**
 * What the message list draws, in order: day separators, messages (compact when they continue the
 * previous author's run) and gaps where a range of seqs is not loaded yet. Pure, so it is tested alone.
 */
import type { MessageDto } from "@/lib/realtime/protocol";

/** Messages from one author closer together than this share one header. */
export const GROUP_WINDOW_MS = 5 * 60_000;
/** A page around a seq holds this many messages older than it (the server's `chat:around`). */
const AROUND_OLDER = 25;

export type Gap = {
  /** Last loaded seq before the gap. */
  afterSeq: number;
  /** First loaded seq after the gap, or lastSeq + 1 when the newest messages are not loaded. */
  beforeSeq: number;
};

export type MessageRow =
  | { kind: "day"; key: string; dayStart: number }
  | { kind: "gap"; key: string; gap: Gap }
  | { kind: "message"; key: string; message: MessageDto; isCompact: boolean };

export function startOfLocalDay(time: number): number {
  const date = new Date(time);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

function continuesRun(previous: MessageDto | undefined, message: MessageDto): boolean {
  if (!previous || previous.kind !== "text" || message.kind !== "text") return false;
  if (previous.authorId !== message.authorId || previous.seq !== message.seq - 1) return false;
  return Date.parse(message.createdAt) - Date.parse(previous.createdAt) < GROUP_WINDOW_MS;
}

export function buildMessageRows(messages: readonly MessageDto[], lastSeq: number): MessageRow[] {
  const rows: MessageRow[] = [];
  let previous: MessageDto | undefined;
  let previousDay: number | null = null;
  for (const message of messages) {
    if (previous && message.seq > previous.seq + 1) {
      rows.push({ kind: "gap", key: `gap-${previous.seq}-${message.seq}`, gap: { afterSeq: previous.seq, beforeSeq: message.seq } });
    }
    const day = startOfLocalDay(Date.parse(message.createdAt));
    const isNewDay = day !== previousDay;
    if (isNewDay) rows.push({ kind: "day", key: `day-${day}-${message.seq}`, dayStart: day });
    const isCompact = !isNewDay && continuesRun(previous, message);
    rows.push({ kind: "message", key: message.id, message, isCompact });
    previous = message;
    previousDay = day;
  }
  if (previous && lastSeq > previous.seq) {
    rows.push({ kind: "gap", key: `gap-${previous.seq}-end`, gap: { afterSeq: previous.seq, beforeSeq: lastSeq + 1 } });
  }
  return rows;
}

/**
 * The seq to ask `chat:around` for so the page starts right after the gap's older side: the server
 * returns 25 messages before the seq and the rest from it on.
 */
export function gapFillSeq(gap: Gap): number {
  const missing = gap.beforeSeq - gap.afterSeq - 1;
  return gap.afterSeq + 1 + Math.min(AROUND_OLDER, Math.max(0, missing - 1));
}

/** New messages from others since the reader left the bottom (shown on "Jump to latest"). */
export function countNewSince(messages: readonly MessageDto[], seq: number | null, selfId: string | null): number {
  if (seq === null) return 0;
  let count = 0;
  for (let index = messages.length - 1; index >= 0; index -= 1) {
    const message = messages[index]!;
    if (message.seq <= seq) break;
    if (message.authorId !== selfId) count += 1;
  }
  return count;
}

/**
 * Where `chat:sync` resumes for one conversation. Every change in a conversation takes the next
 * version (a message, an edit, a reaction, a deletion: dense, 1, 2, 3, …), so the cursor is the
 * version up to which the client has seen *everything*, not the highest it has seen. Live events
 * can arrive with a gap: a broadcast lost with a crashed server process, or ones that reach a
 * socket after it rejoined its rooms but before its resync. A live version above the gap waits in
 * `ahead` and does not move the cursor, so the next sync still fetches what is missing; a sync
 * result moves it to the version it covers. Pure; isomorphic.
 */
export type VersionCursor = { version: number; ahead: readonly number[] };

/** Versions held above the cursor: beyond this, something is off and the next sync settles it. */
const MAX_AHEAD = 500;

export type CursorUpdate =
  /** Live events and acks: only a contiguous run moves the cursor. */
  | { kind: "live"; versions: readonly number[] }
  /** A sync answer: everything up to `through` is now known. */
  | { kind: "synced"; through: number; versions: readonly number[] }
  /** A history page: a consistent snapshot of its messages (as before: the highest version seen). */
  | { kind: "page"; versions: readonly number[] };

function settle(version: number, ahead: Iterable<number>): VersionCursor {
  const sorted = [...new Set(ahead)].filter((value) => value > version).sort((a, b) => a - b);
  let next = version;
  let index = 0;
  while (index < sorted.length && sorted[index] === next + 1) {
    next += 1;
    index += 1;
  }
  return { version: next, ahead: sorted.slice(index, index + MAX_AHEAD) };
}

export function advanceCursor(cursor: VersionCursor | undefined, update: CursorUpdate): VersionCursor {
  const highest = Math.max(0, ...update.versions);
  // Nothing held yet for this conversation: what arrives is where it starts.
  if (!cursor) return { version: update.kind === "synced" ? Math.max(update.through, highest) : highest, ahead: [] };
  switch (update.kind) {
    case "live":
      return settle(cursor.version, [...cursor.ahead, ...update.versions]);
    case "synced":
      return settle(Math.max(cursor.version, update.through), cursor.ahead);
    case "page":
      return settle(Math.max(cursor.version, highest), cursor.ahead);
  }
}

"use client";

import { useNow } from "@/hooks/use-now";
import { elapsedSeconds, formatDuration } from "@/lib/calls/call-text";

/** The running time of the call, from the answer (as the server counts the duration). */
export function CallTimer({ since }: { since: number }) {
  const now = useNow(1_000);
  const seconds = elapsedSeconds(since, Math.max(now, since));
  return (
    <time data-testid="call-timer" dateTime={`PT${seconds}S`} className="tabular-nums">
      {formatDuration(seconds)}
    </time>
  );
}

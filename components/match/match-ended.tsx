"use client";

import { useShallow } from "zustand/react/shallow";

import { Avatar } from "@/components/ui/avatar";
import { Button } from "@/components/ui/button";
import { useConnectionStatus } from "@/hooks/use-connection-status";
import { formatDuration } from "@/lib/calls/call-text";
import { dismissEndedMatch, joinAgain } from "@/lib/realtime/client/match-client";
import { useMatchStore } from "@/lib/stores/match-store";
import { MatchRatingForm } from "./match-rating";
import { MatchSafety } from "./match-safety";

/** After the call: rate it, block or report the person, then find someone new or stop. */
export function MatchEnded() {
  const { match, pending } = useMatchStore(useShallow((state) => ({ match: state.lastEnded, pending: state.pending })));
  const isConnected = useConnectionStatus() === "connected";
  if (!match) return null;

  return (
    <section aria-labelledby="match-ended-heading" data-testid="match-ended" data-match-id={match.id} className="flex flex-col gap-5 rounded-xl border border-slate-200 p-4 sm:p-5 dark:border-slate-800">
      <div className="flex items-center gap-3">
        <Avatar name={match.peer.alias} color={match.peer.avatarColor} size="md" />
        <div className="min-w-0">
          <h2 id="match-ended-heading" className="truncate text-base font-semibold">
            Your call with {match.peer.alias} ended
          </h2>
          <p className="text-sm text-slate-500 dark:text-slate-400">
            <span className="tabular-nums" data-testid="match-duration">
              {formatDuration(match.durationSeconds)}
            </span>
          </p>
        </div>
      </div>

      <MatchRatingForm match={match} />

      <div className="border-t border-slate-200 pt-4 dark:border-slate-800">
        <MatchSafety match={match} />
      </div>

      <div className="flex flex-wrap gap-2 border-t border-slate-200 pt-4 dark:border-slate-800">
        <Button onClick={() => void joinAgain()} disabled={!isConnected || pending !== null} aria-busy={pending === "join" || undefined}>
          {pending === "join" ? "Joining…" : "Find someone new"}
        </Button>
        <Button variant="ghost" onClick={dismissEndedMatch}>
          Done
        </Button>
      </div>
    </section>
  );
}

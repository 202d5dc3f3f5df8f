"use client";

import { useShallow } from "zustand/react/shallow";

import { Button } from "@/components/ui/button";
import { dismissEndedMatch, leaveMatch } from "@/lib/realtime/client/match-client";
import { MATCH_MOOD_LABELS } from "@/lib/realtime/protocol-constants";
import { useMatchStore } from "@/lib/stores/match-store";
import { MatchQuickRating } from "./match-rating";
import { MatchSafety } from "./match-safety";
import { estimateText, LANGUAGE_LABELS, positionText, waitingText } from "./match-text";

/**
 * Waiting for someone: live position, how many wait for the language, the estimate, whether the
 * mood preference was relaxed, and Leave. After a skip, the skipped call can be rated meanwhile.
 */
export function MatchQueue() {
  const { queue, preferences, skipped } = useMatchStore(useShallow((state) => ({ queue: state.queue, preferences: state.preferences, skipped: state.lastEnded })));

  return (
    <div className="flex flex-col gap-4">
      <section
        aria-labelledby="match-queue-heading"
        data-testid="match-queue"
        data-position={queue?.position}
        data-waiting={queue?.waiting}
        data-relaxed={queue?.relaxed ? "true" : undefined}
        className="flex flex-col gap-4 rounded-xl border border-slate-200 p-4 sm:p-5 dark:border-slate-800"
      >
        <div className="flex items-center gap-3">
          <span className="relative flex h-3 w-3" aria-hidden="true">
            <span className="absolute inline-flex h-full w-full animate-ping rounded-full bg-indigo-400 opacity-75 motion-reduce:animate-none" />
            <span className="relative inline-flex h-3 w-3 rounded-full bg-indigo-500" />
          </span>
          <h2 id="match-queue-heading" className="text-base font-semibold">
            Looking for someone to talk to…
          </h2>
        </div>
        {preferences ? (
          <p className="text-sm text-slate-600 dark:text-slate-400" data-testid="match-preferences">
            {MATCH_MOOD_LABELS[preferences.mood]} · {LANGUAGE_LABELS[preferences.language].split(" · ")[0]}
            {preferences.topic ? ` · ${preferences.topic}` : ""}
          </p>
        ) : null}

        {queue ? (
          <dl className="grid grid-cols-1 gap-3 text-sm sm:grid-cols-3" aria-live="polite">
            <div className="rounded-lg bg-slate-50 px-3 py-2 dark:bg-slate-900">
              <dt className="text-xs text-slate-500 dark:text-slate-400">Your place</dt>
              <dd className="font-medium" data-testid="match-position">
                {positionText(queue.position)}
              </dd>
            </div>
            <div className="rounded-lg bg-slate-50 px-3 py-2 dark:bg-slate-900">
              <dt className="text-xs text-slate-500 dark:text-slate-400">Waiting</dt>
              <dd className="font-medium" data-testid="match-waiting">
                {waitingText(queue.waiting, queue.preferences.language)}
              </dd>
            </div>
            <div className="rounded-lg bg-slate-50 px-3 py-2 dark:bg-slate-900">
              <dt className="text-xs text-slate-500 dark:text-slate-400">Estimated wait</dt>
              <dd className="font-medium" data-testid="match-estimate">
                {estimateText(queue.estimateSeconds)}
              </dd>
            </div>
          </dl>
        ) : (
          <p role="status" className="text-sm text-slate-500 dark:text-slate-400">
            Joining the queue…
          </p>
        )}

        {queue?.relaxed ? (
          <p role="status" data-testid="match-relaxed" className="rounded-md bg-sky-50 px-3 py-2 text-sm text-sky-900 dark:bg-sky-950/50 dark:text-sky-200">
            Preferences relaxed: nobody with a matching mood is waiting, so any mood is welcome now (same language).
          </p>
        ) : null}

        <Button variant="ghost" className="self-start border border-slate-300 dark:border-slate-700" onClick={leaveMatch}>
          Leave the queue
        </Button>
      </section>

      {skipped ? (
        <section aria-label="The call you skipped" className="flex flex-col gap-3 rounded-xl border border-slate-200 p-4 dark:border-slate-800" data-testid="match-skipped">
          <MatchQuickRating match={skipped} onDismiss={dismissEndedMatch} />
          <MatchSafety match={skipped} />
        </section>
      ) : null}
    </div>
  );
}

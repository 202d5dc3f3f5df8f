"use client";

import { clsx } from "clsx";
import { useId, useState, type FormEvent } from "react";

import { Button } from "@/components/ui/button";
import { rateMatch } from "@/lib/realtime/client/match-client";
import type { MatchDto } from "@/lib/realtime/protocol";
import { MATCH_FEEDBACK_MAX_LENGTH } from "@/lib/realtime/protocol-constants";
import { StarIcon } from "./match-icons";
import { AlertText } from "@/components/ui/alert-text";
import { TextAreaField } from "@/components/ui/text-area-field";

const SCORES = [1, 2, 3, 4, 5] as const;

function errorText(error: unknown): string {
  return error instanceof Error && error.message ? `Could not save the rating: ${error.message}` : "Could not save the rating.";
}

function Thanks({ match }: { match: MatchDto }) {
  return (
    <p role="status" data-testid="match-rating-thanks" className="text-sm text-emerald-700 dark:text-emerald-400">
      Thanks for rating! You gave your call with {match.peer.alias} {match.myRating?.score} out of 5.
    </p>
  );
}

/** 1–5 stars (radio buttons named "Rate N out of 5"), optional feedback, Submit. */
export function MatchRatingForm({ match }: { match: MatchDto }) {
  const [score, setScore] = useState<number | null>(null);
  const [feedback, setFeedback] = useState("");
  const [isSaving, setIsSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const legendId = useId();
  if (match.myRating) return <Thanks match={match} />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (score === null) return setError("Choose 1 to 5 stars first.");
    setIsSaving(true);
    setError(null);
    try {
      await rateMatch(match.id, score, feedback);
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setIsSaving(false);
    }
  };

  return (
    <form onSubmit={(event) => void submit(event)} aria-label="Rate the call" className="flex flex-col gap-3" noValidate>
      <fieldset aria-labelledby={legendId}>
        <legend id={legendId} className="mb-2 text-sm font-medium">
          How was your call with {match.peer.alias}?
        </legend>
        <div className="flex gap-1" data-testid="match-stars">
          {SCORES.map((value) => (
            <label
              key={value}
              title={`${value} out of 5`}
              className="relative cursor-pointer rounded-md p-1 text-amber-500 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-indigo-500 hover:bg-amber-50 dark:hover:bg-amber-950/40"
            >
              <input type="radio" name="score" value={value} checked={score === value} onChange={() => setScore(value)} className="absolute inset-0 m-0 h-full w-full cursor-pointer appearance-none opacity-0" aria-label={`Rate ${value} out of 5`} />
              <StarIcon className="h-7 w-7" filled={score !== null && value <= score} />
            </label>
          ))}
        </div>
      </fieldset>
      <TextAreaField
        label="Feedback"
        hint="(optional, only the moderators see it)"
        value={feedback}
        maxLength={MATCH_FEEDBACK_MAX_LENGTH}
        rows={2}
        onChange={(event) => setFeedback(event.target.value)}
      />
      <AlertText>{error}</AlertText>
      <Button type="submit" className="self-start" disabled={isSaving} aria-busy={isSaving || undefined}>
        {isSaving ? "Saving…" : "Submit rating"}
      </Button>
    </form>
  );
}

/** One click rates: for the call just skipped, shown while waiting for the next person. */
export function MatchQuickRating({ match, onDismiss }: { match: MatchDto; onDismiss: () => void }) {
  const [savingScore, setSavingScore] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const headingId = useId();
  if (match.myRating) return <Thanks match={match} />;

  const rate = async (score: number) => {
    setSavingScore(score);
    setError(null);
    try {
      await rateMatch(match.id, score, null);
    } catch (caught) {
      setError(errorText(caught));
    } finally {
      setSavingScore(null);
    }
  };

  return (
    <div role="group" aria-labelledby={headingId} className="flex flex-col gap-2" data-testid="match-quick-rating">
      <p id={headingId} className="text-sm font-medium">
        Rate your call with {match.peer.alias}
      </p>
      <div className="flex flex-wrap items-center gap-1">
        {SCORES.map((value) => (
          <button
            key={value}
            type="button"
            aria-label={`Rate ${value} out of 5`}
            title={`${value} out of 5`}
            disabled={savingScore !== null}
            onClick={() => void rate(value)}
            className={clsx(
              "group rounded-md p-1 text-amber-500 hover:bg-amber-50 focus-visible:outline-2 focus-visible:outline-indigo-500 disabled:opacity-60 dark:hover:bg-amber-950/40",
            )}
          >
            <StarIcon className="h-6 w-6" filled={savingScore !== null && value <= savingScore} />
          </button>
        ))}
        <Button variant="ghost" className="ml-2" onClick={onDismiss}>
          Not now
        </Button>
      </div>
      <AlertText>{error}</AlertText>
    </div>
  );
}

"use client";

import { clsx } from "clsx";
import { useId, useState, useSyncExternalStore, type FormEvent } from "react";
import { useShallow } from "zustand/react/shallow";

import { Button } from "@/components/ui/button";
import { SelectField } from "@/components/ui/select-field";
import { useConnectionStatus } from "@/hooks/use-connection-status";
import { joinMatch } from "@/lib/realtime/client/match-client";
import type { MatchLanguage, MatchMood } from "@/lib/realtime/protocol";
import { MATCH_LANGUAGES, MATCH_MOOD_LABELS, MATCH_MOODS, MATCH_TOPIC_MAX_LENGTH } from "@/lib/realtime/protocol-constants";
import { useMatchStore } from "@/lib/stores/match-store";
import { defaultLanguage, LANGUAGE_LABELS } from "./match-text";
import { AlertText } from "@/components/ui/alert-text";

const subscribeNever = () => () => undefined;
/** The browser's language on the client, English while rendering on the server (no hydration mismatch). */
function useBrowserLanguage(): MatchLanguage {
  return useSyncExternalStore(
    subscribeNever,
    () => defaultLanguage(navigator.languages?.length ? navigator.languages : [navigator.language]),
    () => "en",
  );
}

/** Mood, language and an optional topic, then Join (which checks the microphone first). */
export function MatchForm() {
  const { preferences, pending, elsewhere } = useMatchStore(useShallow((state) => ({ preferences: state.preferences, pending: state.pending, elsewhere: state.elsewhere })));
  const browserLanguage = useBrowserLanguage();
  const [mood, setMood] = useState<MatchMood | null>(preferences?.mood ?? null);
  const [chosenLanguage, setLanguage] = useState<MatchLanguage | null>(preferences?.language ?? null);
  const [topic, setTopic] = useState(preferences?.topic ?? "");
  const [moodError, setMoodError] = useState(false);
  const isConnected = useConnectionStatus() === "connected";
  const language = chosenLanguage ?? browserLanguage;
  const isJoining = pending === "join";
  const moodLegendId = useId();
  const moodErrorId = useId();
  const topicId = useId();
  const topicHintId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!mood) return setMoodError(true);
    void joinMatch({ mood, language, topic });
  };

  return (
    <form onSubmit={submit} aria-label="Find someone to talk to" className="flex flex-col gap-5 rounded-xl border border-slate-200 p-4 sm:p-5 dark:border-slate-800" noValidate>
      <fieldset aria-labelledby={moodLegendId} aria-describedby={moodError ? moodErrorId : undefined} className="flex flex-col gap-2">
        <legend id={moodLegendId} className="mb-2 text-sm font-medium">
          How do you feel?
        </legend>
        <div className="flex flex-wrap gap-2">
          {MATCH_MOODS.map((value) => (
            <label
              key={value}
              className={clsx(
                "relative cursor-pointer rounded-full border px-3 py-1.5 text-sm font-medium transition-colors has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-indigo-500",
                mood === value
                  ? "border-indigo-600 bg-indigo-600 text-white dark:border-indigo-500 dark:bg-indigo-500"
                  : "border-slate-300 text-slate-700 hover:bg-slate-100 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800",
              )}
            >
              <input
                type="radio"
                name="mood"
                value={value}
                checked={mood === value}
                onChange={() => {
                  setMood(value);
                  setMoodError(false);
                }}
                className="absolute inset-0 m-0 h-full w-full cursor-pointer appearance-none opacity-0"
              />
              {MATCH_MOOD_LABELS[value]}
            </label>
          ))}
        </div>
        <AlertText id={moodErrorId}>{moodError ? "Choose a mood first." : null}</AlertText>
      </fieldset>

      <SelectField label="Language" name="language" value={language} onChange={(event) => setLanguage(event.target.value as MatchLanguage)}>
        {MATCH_LANGUAGES.map((value) => (
          <option key={value} value={value}>
            {LANGUAGE_LABELS[value]}
          </option>
        ))}
      </SelectField>

      <div className="flex flex-col gap-1">
        <label htmlFor={topicId} className="text-sm font-medium">
          Topic <span className="font-normal text-slate-500 dark:text-slate-400">(optional)</span>
        </label>
        <input
          id={topicId}
          name="topic"
          value={topic}
          maxLength={MATCH_TOPIC_MAX_LENGTH}
          onChange={(event) => setTopic(event.target.value)}
          placeholder="Films, travel, a bad day…"
          aria-describedby={topicHintId}
          autoComplete="off"
          className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:border-slate-700 dark:bg-slate-900"
        />
        <p id={topicHintId} className="text-xs text-slate-500 dark:text-slate-400">
          Shown to the person you are matched with. {topic.length}/{MATCH_TOPIC_MAX_LENGTH}
        </p>
      </div>

      {elsewhere ? (
        <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950/50 dark:text-amber-200" data-testid="match-elsewhere">
          {elsewhere.state === "queued"
            ? "You are waiting in the queue in another tab. Joining here moves your place to this tab."
            : "You are in a match call in another tab or window."}
        </p>
      ) : null}

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={!isConnected || isJoining} aria-busy={isJoining || undefined}>
          {isJoining ? "Joining…" : "Join"}
        </Button>
        <p className="text-xs text-slate-500 dark:text-slate-400">{isConnected ? "Your browser asks for the microphone once, before you join." : "Connecting…"}</p>
      </div>
    </form>
  );
}

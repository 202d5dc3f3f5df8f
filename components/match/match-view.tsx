"use client";

import { useEffect } from "react";
import { useShallow } from "zustand/react/shallow";

import { useConnectionStatus } from "@/hooks/use-connection-status";
import { loadMatchPrivacy } from "@/lib/realtime/client/match-client";
import { useMatchStore } from "@/lib/stores/match-store";
import { MatchCall } from "./match-call";
import { MatchEnded } from "./match-ended";
import { MatchForm } from "./match-form";
import { MatchIcon } from "./match-icons";
import { MatchNotice } from "./match-notice";
import { MatchPrivacyNote } from "./match-privacy-note";
import { MatchQueue } from "./match-queue";

/**
 * The Match page: preferences and Join, the queue, the live call, then the rating. Which one shows
 * follows the match store's phase; the call itself (media, timer, connection) is the call store's.
 */
export function MatchView() {
  const { phase, pending } = useMatchStore(useShallow((state) => ({ phase: state.phase, pending: state.pending })));
  const isConnected = useConnectionStatus() === "connected";

  useEffect(() => {
    if (isConnected) loadMatchPrivacy();
  }, [isConnected]);

  return (
    <div className="mx-auto flex w-full max-w-2xl flex-col gap-6 px-4 py-6 sm:px-6" data-testid="match-page" data-phase={phase} data-pending={pending ?? undefined}>
      <div className="flex flex-col gap-1">
        <h1 className="flex items-center gap-2 text-xl font-semibold">
          <MatchIcon className="h-5 w-5 text-indigo-600 dark:text-indigo-400" />
          Match
        </h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">Talk with someone new: a voice call with a stranger who speaks your language, by mood.</p>
      </div>
      <MatchNotice />
      {phase === "matched" ? <MatchCall /> : phase === "queued" ? <MatchQueue /> : phase === "ended" ? <MatchEnded /> : <MatchForm />}
      <MatchPrivacyNote />
    </div>
  );
}

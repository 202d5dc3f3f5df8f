"use client";

import { useMatchStore } from "@/lib/stores/match-store";
import { ShieldIcon } from "./match-icons";

/**
 * What Match does and does not hide. Whether audio is relayed is the operator's choice; the page
 * only knows once the match ICE settings said "relay", so otherwise it states the general case.
 */
export function MatchPrivacyNote() {
  const relayOnly = useMatchStore((state) => state.relayOnly);
  return (
    <aside aria-label="Privacy" className="flex gap-3 rounded-lg border border-slate-200 px-4 py-3 text-sm text-slate-600 dark:border-slate-800 dark:text-slate-400" data-testid="match-privacy">
      <ShieldIcon className="mt-0.5 h-4 w-4 shrink-0 text-slate-500" />
      <div className="flex flex-col gap-1">
        <p>
          Match is anonymous: the other person sees a random alias, never your name, email or picture, and every call gets a new alias. The audio is never
          recorded; who talked with whom is kept only so that moderators can act on reports.
        </p>
        {relayOnly ? (
          <p data-relay="on">On this server, match audio always goes through a relay, so neither side learns the other&apos;s IP address.</p>
        ) : (
          <p data-relay="off">
            Audio goes directly between the two browsers (peer to peer), which can let the other person learn your IP address, unless this server&apos;s
            operator has turned on relay-only mode.
          </p>
        )}
        <p>Be kind. After a call you can block the person (you will never be matched again) or report them.</p>
      </div>
    </aside>
  );
}

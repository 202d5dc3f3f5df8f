"use client";

import Link from "next/link";

import { CallHistoryRow } from "./call-history-row";
import { useCallHistory } from "./use-call-history";
import { AlertText } from "@/components/ui/alert-text";

/** The signed-in user's calls, newest first, or only those with one person (from a conversation). */
export function CallHistory({ withUserId }: { withUserId: string | null }) {
  const { items, hasMore, status, error, isLoadingMore, loadMore } = useCallHistory(withUserId);
  const first = items[0];
  const peerName = withUserId && first ? (first.caller.id === withUserId ? first.caller.name : first.callee.name) : null;

  return (
    <div className="mx-auto flex w-full max-w-3xl flex-col gap-4 px-4 py-6 sm:px-6">
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h1 className="text-xl font-semibold">{peerName ? `Calls with ${peerName}` : "Calls"}</h1>
        {withUserId ? (
          <Link href="/calls" className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            All calls
          </Link>
        ) : null}
      </div>
      <AlertText>{error}</AlertText>
      {status === "loading" ? (
        <p role="status" className="text-sm text-slate-500 dark:text-slate-400">
          Loading calls…
        </p>
      ) : items.length === 0 && status === "done" ? (
        <p className="rounded-lg border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-500 dark:border-slate-700 dark:text-slate-400">
          No calls yet. Start one from a direct conversation.
        </p>
      ) : (
        <ul aria-label="Call history" className="divide-y divide-slate-200 dark:divide-slate-800">
          {items.map((item) => (
            <CallHistoryRow key={item.id} item={item} />
          ))}
        </ul>
      )}
      {hasMore ? (
        <button
          type="button"
          onClick={() => void loadMore()}
          disabled={isLoadingMore}
          aria-busy={isLoadingMore || undefined}
          className="self-center rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-60 dark:border-slate-600 dark:hover:bg-slate-800"
        >
          {isLoadingMore ? "Loading…" : "Load older calls"}
        </button>
      ) : null}
    </div>
  );
}

"use client";

import { useId } from "react";

import { MatchReportRow } from "./match-report-row";
import { useMatchReports } from "./use-match-reports";
import { AlertText } from "@/components/ui/alert-text";

const SECONDARY_BUTTON =
  "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 disabled:opacity-60 dark:border-slate-600 dark:hover:bg-slate-800";

const COLUMNS = ["When", "Reason", "Details", "Reported by", "Reported account", "Match"] as const;

/** Reports users made about strangers after a match call, newest first: for administrators only. */
export function MatchReports() {
  const { items, hasMore, status, error, access, isLoadingMore, isRefreshing, loadMore, refresh } = useMatchReports();
  const headingId = useId();

  if (access === "forbidden") {
    return (
      <div className="mx-auto flex w-full max-w-5xl flex-col gap-4 px-4 py-6 sm:px-6" data-testid="match-reports-page" data-state="forbidden">
        <h1 className="text-xl font-semibold">Match reports</h1>
        <p className="rounded-lg border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-300">
          Only administrators can see this page.
        </p>
      </div>
    );
  }

  const isLoading = access === "unknown" || status === "loading";
  return (
    <div className="mx-auto flex w-full max-w-5xl flex-col gap-4 px-4 py-6 sm:px-6" data-testid="match-reports-page" data-state={isLoading ? "loading" : status}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 id={headingId} className="text-xl font-semibold">
            Match reports
          </h1>
          <p className="text-sm text-slate-500 dark:text-slate-400">What people reported about the stranger after a Match call, newest first.</p>
        </div>
        <button
          type="button"
          onClick={() => void refresh()}
          disabled={isLoading || isRefreshing}
          aria-busy={isRefreshing || undefined}
          className={SECONDARY_BUTTON}
        >
          {isRefreshing ? "Refreshing…" : "Refresh"}
        </button>
      </div>
      <AlertText>{error}</AlertText>
      {isLoading ? (
        <p role="status" className="text-sm text-slate-500 dark:text-slate-400">
          Loading reports…
        </p>
      ) : status === "error" ? null : items.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-500 dark:border-slate-700 dark:text-slate-400">
          No reports yet
        </p>
      ) : (
        // Wide on phones: the region scrolls sideways and can be reached (and scrolled) by keyboard.
        <div role="region" aria-labelledby={headingId} tabIndex={0} className="overflow-x-auto rounded-lg border border-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border-slate-800">
          <table className="w-full min-w-[52rem] text-left text-sm">
            <caption className="sr-only">Match reports, newest first</caption>
            <thead className="bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-500 dark:bg-slate-900 dark:text-slate-400">
              <tr>
                {COLUMNS.map((column) => (
                  <th key={column} scope="col" className="px-3 py-2">
                    {column}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
              {items.map((report) => (
                <MatchReportRow key={report.id} report={report} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {hasMore && !isLoading ? (
        <button type="button" onClick={() => void loadMore()} disabled={isLoadingMore} aria-busy={isLoadingMore || undefined} className={`self-center ${SECONDARY_BUTTON}`}>
          {isLoadingMore ? "Loading…" : "Load more"}
        </button>
      ) : null}
    </div>
  );
}

"use client";

import { clsx } from "clsx";

import { useMatchStore } from "@/lib/stores/match-store";

/** Why the last action failed (an alert), or why the server took this tab out of the queue (a status). */
export function MatchNotice() {
  const notice = useMatchStore((state) => state.notice);
  if (!notice) return null;
  return (
    <p
      role={notice.tone === "error" ? "alert" : "status"}
      data-testid="match-notice"
      className={clsx(
        "rounded-lg border px-4 py-3 text-sm",
        notice.tone === "error"
          ? "border-red-200 bg-red-50 text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-300"
          : "border-sky-200 bg-sky-50 text-sky-900 dark:border-sky-900 dark:bg-sky-950/50 dark:text-sky-200",
      )}
    >
      {notice.text}
    </p>
  );
}

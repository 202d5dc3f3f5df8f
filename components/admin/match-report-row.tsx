import { REPORT_REASON_LABELS } from "@/components/match/match-text";
import { Avatar } from "@/components/ui/avatar";
import type { MatchReportDto } from "@/lib/realtime/protocol";

/** Enough of a random match id to tell reports of one match apart at a glance. */
const SHORT_MATCH_ID_LENGTH = 8;

/** The day and the time on two lines, so the column stays narrow. */
function When({ iso }: { iso: string }) {
  const at = new Date(iso);
  return (
    <time dateTime={iso} title={at.toLocaleString(undefined, { dateStyle: "full", timeStyle: "medium" })}>
      <span className="block">{at.toLocaleDateString(undefined, { dateStyle: "medium" })}</span>
      <span className="block text-xs text-slate-500 dark:text-slate-400">{at.toLocaleTimeString(undefined, { timeStyle: "short" })}</span>
    </time>
  );
}

function Account({ account }: { account: MatchReportDto["reporter"] }) {
  return (
    // Never cut: admins need the whole address, so a long one wraps where the column ends.
    <div className="flex min-w-44 items-start gap-2">
      <Avatar name={account.name} color={account.avatarColor} size="sm" />
      <div className="min-w-0">
        <p className="font-medium wrap-anywhere" data-testid="report-account-name">
          {account.name}
        </p>
        {account.email ? (
          <p className="text-xs text-slate-500 wrap-anywhere dark:text-slate-400">
            {account.email}
          </p>
        ) : null}
      </div>
    </div>
  );
}

/** One report: when, why, the reporter's own words, both accounts (admins moderate), and which match. */
export function MatchReportRow({ report }: { report: MatchReportDto }) {
  return (
    <tr data-testid="match-report" data-report-id={report.id} data-reason={report.reason} className="align-top">
      <td className="whitespace-nowrap px-3 py-3 text-slate-700 dark:text-slate-200">
        <When iso={report.createdAt} />
      </td>
      <td className="px-3 py-3">
        <span className="inline-block rounded-full bg-red-50 px-2 py-0.5 text-xs font-medium text-red-700 dark:bg-red-500/15 dark:text-red-300">
          {REPORT_REASON_LABELS[report.reason]}
        </span>
      </td>
      <td className="min-w-40 px-3 py-3">
        {report.details ? (
          <p className="max-w-xs whitespace-pre-wrap wrap-anywhere">{report.details}</p>
        ) : (
          <span className="text-slate-400 dark:text-slate-500">
            <span aria-hidden="true">—</span>
            <span className="sr-only">No details</span>
          </span>
        )}
      </td>
      <td className="px-3 py-3">
        <Account account={report.reporter} />
      </td>
      <td className="px-3 py-3">
        <Account account={report.reported} />
      </td>
      <td className="whitespace-nowrap px-3 py-3">
        <code title={report.matchId} data-match-id={report.matchId} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs dark:bg-slate-800">
          {report.matchId.slice(0, SHORT_MATCH_ID_LENGTH)}
        </code>
      </td>
    </tr>
  );
}

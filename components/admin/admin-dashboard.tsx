"use client";

import type { AdminProcessCountsDto } from "@/lib/realtime/protocol";
import { useAdminStats } from "./use-admin-stats";

const PAGE = "mx-auto flex w-full max-w-5xl flex-col gap-4 px-4 py-6 sm:px-6";

function Stat({ label, value, testId, hint }: { label: string; value: string | number; testId: string; hint?: string }) {
  return (
    <div className="rounded-lg border border-slate-200 px-4 py-3 dark:border-slate-800">
      <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums" data-testid={testId}>
        {value}
      </dd>
      {hint ? <p className="mt-1 text-xs text-slate-500 dark:text-slate-400">{hint}</p> : null}
    </div>
  );
}

function formatUptime(seconds: number): string {
  const hours = Math.floor(seconds / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  return hours > 0 ? `${hours} h ${minutes} min` : minutes > 0 ? `${minutes} min` : `${seconds} s`;
}

function ProcessTable({ processes, currentId }: { processes: AdminProcessCountsDto[]; currentId: string }) {
  return (
    <table className="w-full text-left text-sm" data-testid="admin-processes">
      <caption className="mb-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
        Server processes ({processes.length})
      </caption>
      <thead className="text-xs text-slate-500 dark:text-slate-400">
        <tr>
          <th scope="col" className="py-1 pr-3 font-medium">Process</th>
          <th scope="col" className="py-1 pr-3 font-medium">Up</th>
          <th scope="col" className="py-1 pr-3 text-right font-medium">Users</th>
          <th scope="col" className="py-1 pr-3 text-right font-medium">Sockets</th>
          <th scope="col" className="py-1 text-right font-medium">Errors/min</th>
        </tr>
      </thead>
      <tbody className="tabular-nums">
        {processes.map((entry) => (
          <tr key={entry.process.id} className="border-t border-slate-200 dark:border-slate-800" data-testid="admin-process-row">
            <td className="py-1 pr-3 font-mono text-xs">
              {entry.process.id}
              {entry.process.id === currentId ? " (this tab)" : ""}
              {entry.process.draining ? " · restarting" : ""}
            </td>
            <td className="py-1 pr-3">{formatUptime(entry.process.uptimeSeconds)}</td>
            <td className="py-1 pr-3 text-right">{entry.connectedUsers}</td>
            <td className="py-1 pr-3 text-right">{entry.openSockets}</td>
            <td className="py-1 text-right">{entry.errorsPerMinute}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Live counts for administrators only. */
export function AdminDashboard() {
  const { stats, error, access, isConnected } = useAdminStats();

  if (access === "forbidden") {
    return (
      <div className={PAGE} data-testid="admin-dashboard" data-state="forbidden">
        <h1 className="text-xl font-semibold">Admin dashboard</h1>
        <p className="rounded-lg border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-600 dark:border-slate-700 dark:text-slate-300">
          Only administrators can see this page.
        </p>
      </div>
    );
  }

  const byCode = stats ? Object.entries(stats.errorRate.byCode).map(([code, count]) => `${code} ${count}`).join(", ") : "";
  return (
    <div className={PAGE} data-testid="admin-dashboard" data-state={stats ? "live" : "loading"}>
      <div>
        <h1 className="text-xl font-semibold">Admin dashboard</h1>
        <p className="text-sm text-slate-500 dark:text-slate-400">
          Live figures, refreshed every few seconds: users and sockets of each server process, calls and the match queue for the whole service (per
          process when it runs as one). Prometheus scrapes each process at <code>/metrics</code>.
        </p>
      </div>
      {error ? (
        <p role="alert" className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : null}
      {!stats ? (
        <p role="status" className="text-sm text-slate-500 dark:text-slate-400">
          {isConnected ? "Loading figures…" : "Waiting for the connection…"}
        </p>
      ) : (
        <>
          <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="admin-process">
            Process <span className="font-mono">{stats.process.id}</span> · up {formatUptime(stats.process.uptimeSeconds)}
            {stats.process.draining ? " · restarting" : ""}
          </p>
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3">
            <Stat label="Connected users" value={stats.connectedUsers} testId="stat-connected-users" />
            <Stat label="Open sockets" value={stats.openSockets} testId="stat-open-sockets" />
            <Stat label="Active calls" value={stats.activeCalls} testId="stat-active-calls" hint={`${stats.ringingCalls} ringing`} />
            <Stat label="Match queue" value={stats.matchQueueLength} testId="stat-match-queue" />
            <Stat
              label="Errors per minute"
              value={stats.errorRate.perMinute}
              testId="stat-error-rate"
              hint={`${stats.errorRate.errors} in the last ${stats.errorRate.windowSeconds / 60} min${byCode ? ` (${byCode})` : ""}`}
            />
            <Stat label="Requests per minute" value={stats.requestsPerMinute} testId="stat-requests-rate" />
          </dl>
          <ProcessTable processes={stats.processes} currentId={stats.process.id} />
          <p className="text-xs text-slate-500 dark:text-slate-400">Updated {new Date(stats.generatedAt).toLocaleTimeString()}</p>
        </>
      )}
    </div>
  );
}

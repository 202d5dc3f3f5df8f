"use client";

import { clsx } from "clsx";
import { useEffect, useId, useState } from "react";

import { useConnectionStatus } from "@/hooks/use-connection-status";
import { useSocket } from "@/hooks/use-socket";
import type { ConnectionStatus } from "@/lib/stores/connection-store";
import { useConnectionStore } from "@/lib/stores/connection-store";

const LABELS: Record<ConnectionStatus, string> = {
  idle: "Connecting…",
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
  offline: "Offline",
  "signed-out": "Signed out",
};

const DOTS: Record<ConnectionStatus, string> = {
  idle: "bg-slate-400",
  connecting: "bg-amber-400 animate-pulse",
  connected: "bg-emerald-500",
  reconnecting: "bg-amber-500 animate-pulse",
  offline: "bg-red-500",
  "signed-out": "bg-slate-500",
};

const CHECK_TIMEOUT_MS = 5_000;

/** Why the connection waits, for the reasons a person can act on (others are transient network errors). */
const REASONS: Record<string, string> = {
  TOO_MANY_CONNECTIONS: "Parley is open in too many tabs or devices at once. Close one and this tab connects by itself.",
};

/** Whole seconds until `at`, re-rendered every second while a retry is scheduled. */
function useSecondsUntil(at: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 1_000);
    return () => clearInterval(timer);
  }, [at]);
  return at === null ? null : Math.max(0, Math.ceil((at - now) / 1_000));
}

function labelOf(status: ConnectionStatus, secondsToRetry: number | null): string {
  if (status === "reconnecting" && secondsToRetry !== null && secondsToRetry > 0) return `Reconnecting in ${secondsToRetry} s…`;
  return LABELS[status];
}

export function ConnectionIndicator() {
  const status = useConnectionStatus();
  const socket = useSocket();
  const user = useConnectionStore((state) => state.user);
  const latencyMs = useConnectionStore((state) => state.latencyMs);
  const reason = useConnectionStore((state) => (state.status === "reconnecting" && state.lastError ? (REASONS[state.lastError] ?? null) : null));
  const secondsToRetry = useSecondsUntil(useConnectionStore((state) => state.nextRetryAt));
  const label = labelOf(status, secondsToRetry);
  const [nonce, setNonce] = useState<string | null>(null);
  const deliveries = useConnectionStore((state) => (nonce ? (state.echoDeliveries[nonce] ?? 0) : 0));
  const [isOpen, setIsOpen] = useState(false);
  const [checkError, setCheckError] = useState<string | null>(null);
  const [checkState, setCheckState] = useState<"idle" | "checking" | "done">("idle");
  const panelId = useId();

  async function checkConnection() {
    if (!socket) return;
    const next = crypto.randomUUID();
    setNonce(next);
    setCheckError(null);
    setCheckState("checking");
    const startedAt = performance.now();
    try {
      const result = await socket.timeout(CHECK_TIMEOUT_MS).emitWithAck("system:echo", { nonce: next });
      if (result.ok) useConnectionStore.getState().setLatency(Math.round(performance.now() - startedAt));
      else setCheckError(result.error.message);
    } catch {
      setCheckError("The server did not answer in time.");
    }
    setCheckState("done");
  }

  return (
    <div className="relative">
      <button
        type="button"
        data-testid="connection-status"
        data-state={status}
        aria-label={`Connection: ${label}`}
        aria-expanded={isOpen}
        aria-controls={panelId}
        onClick={() => setIsOpen((open) => !open)}
        className="flex items-center gap-2 rounded-full border border-slate-200 px-2 py-2 text-xs font-medium hover:bg-slate-100 sm:px-3 sm:py-1 dark:border-slate-700 dark:hover:bg-slate-800"
      >
        <span aria-hidden="true" className={clsx("h-2 w-2 rounded-full", DOTS[status])} />
        {/* Phones show the dot only (the header is full); the words stay the live status. */}
        <span role="status" aria-live="polite" className="sr-only sm:not-sr-only">
          {label}
        </span>
      </button>
      {isOpen ? (
        <div
          id={panelId}
          role="dialog"
          aria-label="Connection details"
          className="absolute right-0 z-40 mt-2 w-64 rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <dl className="grid grid-cols-2 gap-y-1" data-testid="connection-check" data-check={checkState}>
            <dt className="text-slate-500">Status</dt>
            <dd>{label}</dd>
            <dt className="text-slate-500">Signed in as</dt>
            <dd data-testid="realtime-user" className="truncate">
              {user?.name ?? "—"}
            </dd>
            <dt className="text-slate-500">Round trip</dt>
            <dd data-testid="latency">{latencyMs === null ? "—" : `${latencyMs} ms`}</dd>
            <dt className="text-slate-500">Deliveries</dt>
            <dd data-testid="echo-deliveries" data-count={deliveries}>
              {nonce ? deliveries : "—"}
            </dd>
          </dl>
          {reason ? (
            <p data-testid="connection-reason" className="mt-2 text-amber-700 dark:text-amber-400">
              {reason}
            </p>
          ) : null}
          {checkError ? (
            <p role="alert" className="mt-2 text-red-600 dark:text-red-400">
              {checkError}
            </p>
          ) : null}
          {status === "reconnecting" || status === "offline" ? (
            <button
              type="button"
              onClick={() => socket?.connect()}
              className="mt-3 w-full rounded-md bg-indigo-600 px-3 py-1.5 font-medium text-white hover:bg-indigo-500"
            >
              Reconnect now
            </button>
          ) : null}
          <button
            type="button"
            onClick={() => void checkConnection()}
            disabled={status !== "connected"}
            className="mt-3 w-full rounded-md bg-slate-100 px-3 py-1.5 font-medium hover:bg-slate-200 disabled:opacity-50 dark:bg-slate-800 dark:hover:bg-slate-700"
          >
            Check connection
          </button>
        </div>
      ) : null}
    </div>
  );
}

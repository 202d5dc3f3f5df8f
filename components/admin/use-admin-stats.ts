"use client";

import { useCallback, useEffect, useRef, useState } from "react";

import { useConnectionStatus } from "@/hooks/use-connection-status";
import { useRequest } from "@/hooks/use-request";
import { RequestError } from "@/lib/realtime/client/request";
import type { AdminStatsDto } from "@/lib/realtime/protocol";
import { ADMIN_STATS_POLL_MS } from "@/lib/realtime/protocol-constants";
import { useConnectionStore } from "@/lib/stores/connection-store";

export type AdminAccess = "unknown" | "admin" | "forbidden";

type StatsState = { stats: AdminStatsDto | null; error: string | null; forbidden: boolean };

/**
 * Polls `admin:stats` every ADMIN_STATS_POLL_MS while connected and the confirmed role is admin
 * (a request/ack, not a pushed event: nothing runs for anyone who is not looking). A FORBIDDEN
 * answer (the role changed) turns the page into "forbidden". The figures are of the process that
 * answers; after a reconnect that may be another one (its id is shown).
 */
export function useAdminStats() {
  const request = useRequest();
  const isConnected = useConnectionStatus() === "connected";
  const role = useConnectionStore((state) => state.user?.role ?? null);
  const [state, setState] = useState<StatsState>({ stats: null, error: null, forbidden: false });
  const inFlight = useRef(false);

  const load = useCallback(async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      const stats = await request("admin:stats", {});
      setState({ stats, error: null, forbidden: false });
    } catch (caught) {
      const forbidden = caught instanceof RequestError && caught.error.code === "FORBIDDEN";
      setState((previous) => ({ ...previous, forbidden, error: caught instanceof Error && caught.message ? caught.message : "Could not load the figures." }));
    } finally {
      inFlight.current = false;
    }
  }, [request]);

  const isAdmin = role === "admin";
  useEffect(() => {
    if (!isConnected || !isAdmin) return;
    void load();
    const timer = setInterval(() => void load(), ADMIN_STATS_POLL_MS);
    return () => clearInterval(timer);
  }, [isConnected, isAdmin, load]);

  const access: AdminAccess = state.forbidden || (role !== null && !isAdmin) ? "forbidden" : isAdmin ? "admin" : "unknown";
  return { ...state, access, isConnected, refresh: load };
}

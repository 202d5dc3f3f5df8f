"use client";

import { useCallback, useEffect, useRef, useState } from "react";

import { useConnectionStatus } from "@/hooks/use-connection-status";
import { useRequest } from "@/hooks/use-request";
import { RequestError } from "@/lib/realtime/client/request";
import type { MatchReportDto } from "@/lib/realtime/protocol";
import { useConnectionStore } from "@/lib/stores/connection-store";

export type MatchReportsAccess = "unknown" | "admin" | "forbidden";

type ReportsState = {
  items: MatchReportDto[];
  hasMore: boolean;
  status: "loading" | "done" | "error" | "forbidden";
  error: string | null;
};

const LOADING: ReportsState = { items: [], hasMore: false, status: "loading", error: null };

const isForbidden = (caught: unknown): boolean => caught instanceof RequestError && caught.error.code === "FORBIDDEN";

function errorText(caught: unknown): string {
  return caught instanceof Error && caught.message ? caught.message : "Could not load the reports.";
}

/**
 * Pages of `match:reports` (newest first) for administrators. The role comes from the identity the
 * server confirmed for this socket; a FORBIDDEN answer (the role changed, or the store was stale)
 * turns the page into "forbidden" too. Loads the first page on connect and on `refresh()`.
 */
export function useMatchReports() {
  const request = useRequest();
  const isConnected = useConnectionStatus() === "connected";
  const role = useConnectionStore((state) => state.user?.role ?? null);
  const [state, setState] = useState<ReportsState>(LOADING);
  const [isLoadingMore, setIsLoadingMore] = useState(false);
  const [isRefreshing, setIsRefreshing] = useState(false);
  /** An older first-page answer must not overwrite a newer one (refresh, reconnect). */
  const generation = useRef(0);

  const loadFirstPage = useCallback(async () => {
    const current = ++generation.current;
    try {
      const page = await request("match:reports", {});
      if (current === generation.current) setState({ items: page.items, hasMore: page.hasMore, status: "done", error: null });
    } catch (caught) {
      if (current !== generation.current) return;
      setState((previous) =>
        isForbidden(caught) ? { ...LOADING, status: "forbidden" } : { ...previous, status: previous.status === "loading" ? "error" : previous.status, error: errorText(caught) },
      );
    }
  }, [request]);

  const isAdmin = role === "admin";
  useEffect(() => {
    if (isConnected && isAdmin) void loadFirstPage();
  }, [isConnected, isAdmin, loadFirstPage]);

  const refresh = useCallback(async () => {
    setIsRefreshing(true);
    try {
      await loadFirstPage();
    } finally {
      setIsRefreshing(false);
    }
  }, [loadFirstPage]);

  const before = state.items.at(-1)?.cursor ?? null;
  const loadMore = useCallback(async () => {
    if (!before) return;
    const current = generation.current;
    setIsLoadingMore(true);
    try {
      const page = await request("match:reports", { before });
      if (current !== generation.current) return;
      setState((previous) => {
        const known = new Set(previous.items.map((item) => item.id));
        return { ...previous, items: [...previous.items, ...page.items.filter((item) => !known.has(item.id))], hasMore: page.hasMore, error: null };
      });
    } catch (caught) {
      if (current !== generation.current) return;
      setState((previous) => (isForbidden(caught) ? { ...LOADING, status: "forbidden" } : { ...previous, error: errorText(caught) }));
    } finally {
      setIsLoadingMore(false);
    }
  }, [request, before]);

  const access: MatchReportsAccess = state.status === "forbidden" || (role !== null && !isAdmin) ? "forbidden" : isAdmin ? "admin" : "unknown";
  return { ...state, access, isConnected, isLoadingMore, isRefreshing, loadMore, refresh };
}

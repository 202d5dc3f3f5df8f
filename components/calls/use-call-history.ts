"use client";

import { useCallback, useEffect, useRef, useState } from "react";

import { useConnectionStatus } from "@/hooks/use-connection-status";
import { useRequest } from "@/hooks/use-request";
import type { CallHistoryItemDto } from "@/lib/realtime/protocol";
import { useCallStore } from "@/lib/stores/call-store";

type HistoryState = { items: CallHistoryItemDto[]; hasMore: boolean; status: "loading" | "done" | "error"; error: string | null };

const LOADING: HistoryState = { items: [], hasMore: false, status: "loading", error: null };

function errorText(caught: unknown): string {
  return caught instanceof Error && caught.message ? caught.message : "Could not load the call history.";
}

/**
 * Pages of `call:history` (newest first), optionally only the calls with one person. Reloads the
 * first page on connect and whenever a call of this tab ends, so a finished call shows at once.
 */
export function useCallHistory(withUserId: string | null) {
  const request = useRequest();
  const isConnected = useConnectionStatus() === "connected";
  const endedCallId = useCallStore((state) => (state.phase === "ended" ? (state.call?.id ?? null) : null));
  const [state, setState] = useState<HistoryState>(LOADING);
  const [isLoadingMore, setIsLoadingMore] = useState(false);
  /** Answers of an older first-page request (another filter) must not overwrite a newer one. */
  const generation = useRef(0);

  useEffect(() => {
    if (!isConnected) return;
    const current = ++generation.current;
    request("call:history", withUserId ? { withUserId } : {})
      .then((page) => {
        if (current === generation.current) setState({ items: page.items, hasMore: page.hasMore, status: "done", error: null });
      })
      .catch((caught: unknown) => {
        if (current === generation.current) setState((previous) => ({ ...previous, status: "error", error: errorText(caught) }));
      });
  }, [request, isConnected, withUserId, endedCallId]);

  const before = state.items.at(-1)?.cursor ?? null;
  const loadMore = useCallback(async () => {
    if (!before) return;
    const current = generation.current;
    setIsLoadingMore(true);
    try {
      const page = await request("call:history", withUserId ? { withUserId, before } : { before });
      if (current !== generation.current) return;
      setState((previous) => {
        const known = new Set(previous.items.map((item) => item.id));
        return { ...previous, items: [...previous.items, ...page.items.filter((item) => !known.has(item.id))], hasMore: page.hasMore };
      });
    } catch (caught) {
      setState((previous) => ({ ...previous, error: errorText(caught) }));
    } finally {
      setIsLoadingMore(false);
    }
  }, [request, before, withUserId]);

  return { ...state, isLoadingMore, loadMore };
}

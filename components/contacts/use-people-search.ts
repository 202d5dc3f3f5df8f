"use client";

import { useCallback, useEffect, useRef, useState } from "react";

import { useDebouncedValue } from "@/components/search/use-debounced-value";
import { useRequest } from "@/hooks/use-request";
import type { UserSearchResultDto } from "@/lib/realtime/protocol";

export const PEOPLE_SEARCH_DEBOUNCE_MS = 250;

type SearchState = {
  query: string;
  users: UserSearchResultDto[];
  nextCursor: string | null;
  status: "idle" | "loading" | "done" | "error";
  error: string | null;
};

const IDLE: SearchState = { query: "", users: [], nextCursor: null, status: "idle", error: null };

function errorMessage(caught: unknown): string {
  return caught instanceof Error ? caught.message : "Search failed.";
}

/**
 * People search (`contacts:search`: exact email or name prefix), debounced; answers for a query
 * the user has already replaced are dropped, so results never flash back to an older query.
 */
export function usePeopleSearch(rawQuery: string) {
  const call = useRequest();
  const query = useDebouncedValue(rawQuery.trim(), PEOPLE_SEARCH_DEBOUNCE_MS);
  const [state, setState] = useState<SearchState>(IDLE);
  const [isLoadingMore, setIsLoadingMore] = useState(false);
  const latestQuery = useRef(query);

  useEffect(() => {
    latestQuery.current = query;
    if (!query) {
      setState(IDLE);
      return;
    }
    let isCurrent = true;
    setState((previous) => ({ ...previous, query, status: "loading", error: null }));
    call("contacts:search", { query })
      .then((page) => {
        if (isCurrent) setState({ query, users: page.users, nextCursor: page.nextCursor, status: "done", error: null });
      })
      .catch((caught: unknown) => {
        if (isCurrent) setState({ query, users: [], nextCursor: null, status: "error", error: errorMessage(caught) });
      });
    return () => {
      isCurrent = false;
    };
  }, [query, call]);

  const loadMore = useCallback(async () => {
    const cursor = state.nextCursor;
    if (!cursor || isLoadingMore) return;
    const forQuery = state.query;
    setIsLoadingMore(true);
    try {
      const page = await call("contacts:search", { query: forQuery, cursor });
      if (latestQuery.current !== forQuery) return;
      setState((previous) => {
        const known = new Set(previous.users.map((user) => user.id));
        return { ...previous, users: [...previous.users, ...page.users.filter((user) => !known.has(user.id))], nextCursor: page.nextCursor };
      });
    } catch (caught) {
      setState((previous) => ({ ...previous, error: errorMessage(caught) }));
    } finally {
      setIsLoadingMore(false);
    }
  }, [call, state.nextCursor, state.query, isLoadingMore]);

  const isPending = rawQuery.trim() !== query || state.status === "loading";
  return {
    /** The query the results belong to (debounced). */
    query,
    users: state.users,
    status: state.status,
    error: state.error,
    isPending,
    hasMore: state.nextCursor !== null,
    isLoadingMore,
    loadMore,
  };
}

"use client";

import { useCallback, useEffect, useId, useRef, useState } from "react";

import { useConversations } from "@/hooks/use-conversations";
import { useRequest } from "@/hooks/use-request";
import type { SearchHitDto } from "@/lib/realtime/protocol";
import { SearchResult } from "./search-result";
import { useDebouncedValue } from "./use-debounced-value";
import { AlertText } from "@/components/ui/alert-text";

export const MIN_QUERY_LENGTH = 2;
const SEARCH_DEBOUNCE_MS = 300;

type Results = {
  key: string;
  hits: SearchHitDto[];
  nextCursor: string | null;
  status: "idle" | "loading" | "done" | "error";
  error: string | null;
};

const IDLE: Results = { key: "", hits: [], nextCursor: null, status: "idle", error: null };

function errorText(caught: unknown): string {
  return caught instanceof Error ? caught.message : "Search failed.";
}

/** Keeps the address in step with the form, without a navigation, so a search can be shared or reloaded. */
function replaceUrl(query: string, conversationId: string) {
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  if (conversationId) params.set("conversationId", conversationId);
  const next = `/search${params.size ? `?${params}` : ""}`;
  if (`${window.location.pathname}${window.location.search}` !== next) window.history.replaceState(window.history.state, "", next);
}

export function MessageSearch({ initialQuery, initialConversationId }: { initialQuery: string; initialConversationId: string }) {
  const call = useRequest();
  const { conversations, isLoaded } = useConversations();
  const [query, setQuery] = useState(initialQuery);
  const [conversationId, setConversationId] = useState(initialConversationId);
  const debouncedQuery = useDebouncedValue(query.trim(), SEARCH_DEBOUNCE_MS);
  const [results, setResults] = useState<Results>(IDLE);
  const [isLoadingMore, setIsLoadingMore] = useState(false);
  const latestKey = useRef("");
  const queryId = useId();
  const filterId = useId();

  const isSearchable = debouncedQuery.length >= MIN_QUERY_LENGTH;
  const key = isSearchable ? `${conversationId}\u0000${debouncedQuery}` : "";

  useEffect(() => {
    replaceUrl(debouncedQuery, conversationId);
  }, [debouncedQuery, conversationId]);

  useEffect(() => {
    latestKey.current = key;
    if (!key) {
      setResults(IDLE);
      return;
    }
    let isCurrent = true;
    setResults((previous) => ({ ...previous, key, status: "loading", error: null }));
    call("chat:search", { query: debouncedQuery, ...(conversationId ? { conversationId } : {}) })
      .then((page) => {
        if (isCurrent) setResults({ key, hits: page.hits, nextCursor: page.nextCursor, status: "done", error: null });
      })
      .catch((caught: unknown) => {
        if (isCurrent) setResults({ key, hits: [], nextCursor: null, status: "error", error: errorText(caught) });
      });
    return () => {
      isCurrent = false;
    };
  }, [key, debouncedQuery, conversationId, call]);

  const loadMore = useCallback(async () => {
    if (!results.nextCursor || isLoadingMore) return;
    const forKey = results.key;
    setIsLoadingMore(true);
    try {
      const page = await call("chat:search", { query: debouncedQuery, cursor: results.nextCursor, ...(conversationId ? { conversationId } : {}) });
      if (latestKey.current !== forKey) return;
      setResults((previous) => {
        const known = new Set(previous.hits.map((hit) => hit.message.id));
        return { ...previous, hits: [...previous.hits, ...page.hits.filter((hit) => !known.has(hit.message.id))], nextCursor: page.nextCursor };
      });
    } catch (caught) {
      setResults((previous) => ({ ...previous, error: errorText(caught) }));
    } finally {
      setIsLoadingMore(false);
    }
  }, [call, conversationId, debouncedQuery, results.key, results.nextCursor, isLoadingMore]);

  const isPending = isSearchable && (query.trim() !== debouncedQuery || results.status === "loading" || results.key !== key);
  const knownFilter = !conversationId || conversations.some(({ conversation }) => conversation.id === conversationId);
  const tooShort = query.trim().length > 0 && query.trim().length < MIN_QUERY_LENGTH;

  let status = "";
  if (tooShort) status = `Type at least ${MIN_QUERY_LENGTH} characters to search.`;
  else if (isPending) status = "Searching…";
  else if (results.status === "done" && results.hits.length === 0) status = `No messages match “${debouncedQuery}”.`;
  else if (results.status === "done") status = results.nextCursor ? `More than ${results.hits.length} results` : `${results.hits.length} ${results.hits.length === 1 ? "result" : "results"}`;

  return (
    <div className="mx-auto flex w-full max-w-3xl flex-col gap-5 px-4 py-6 sm:px-6">
      <h1 className="text-xl font-semibold">Search messages</h1>
      <form role="search" aria-label="Messages" onSubmit={(event) => event.preventDefault()} className="flex flex-col gap-3 sm:flex-row sm:items-end">
        <div className="flex min-w-0 flex-1 flex-col gap-1">
          <label htmlFor={queryId} className="text-sm font-medium">
            Search for
          </label>
          <input
            id={queryId}
            type="search"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            placeholder="Words in a message"
            autoFocus
            autoComplete="off"
            minLength={MIN_QUERY_LENGTH}
            maxLength={200}
            className="rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:border-slate-700 dark:bg-slate-900"
          />
        </div>
        <div className="flex flex-col gap-1 sm:w-64">
          <label htmlFor={filterId} className="text-sm font-medium">
            Search in
          </label>
          <select
            id={filterId}
            value={conversationId}
            onChange={(event) => setConversationId(event.target.value)}
            className="rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:border-slate-700 dark:bg-slate-900"
          >
            <option value="">All conversations</option>
            {conversations.map(({ conversation }) => (
              <option key={conversation.id} value={conversation.id}>
                {conversation.title}
              </option>
            ))}
            {!knownFilter ? <option value={conversationId}>{isLoaded ? "Unavailable conversation" : "Loading…"}</option> : null}
          </select>
        </div>
      </form>

      <p role="status" className="text-sm text-slate-600 empty:hidden dark:text-slate-400">
        {status}
      </p>
      <AlertText>{results.error}</AlertText>

      {results.hits.length > 0 ? (
        <ul aria-label="Search results" aria-busy={isPending} className={isPending ? "opacity-60" : undefined}>
          {results.hits.map((hit) => (
            <SearchResult key={hit.message.id} hit={hit} query={results.key.split("\u0000")[1] ?? debouncedQuery} />
          ))}
        </ul>
      ) : !query.trim() ? (
        <p className="rounded-lg border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-500 dark:border-slate-700 dark:text-slate-400">
          Search every conversation you are in, or pick one.
        </p>
      ) : null}

      {results.nextCursor ? (
        <button
          type="button"
          onClick={() => void loadMore()}
          disabled={isLoadingMore}
          className="self-center rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-60 dark:border-slate-600 dark:hover:bg-slate-800"
        >
          {isLoadingMore ? "Loading…" : "Load more"}
        </button>
      ) : null}
    </div>
  );
}

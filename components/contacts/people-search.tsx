"use client";

import { useId, useState } from "react";

import { ContactActions, RELATION_LABELS } from "./contact-actions";
import { PersonRow, smallSecondary } from "./person-row";
import type { useContactActions } from "./use-contact-actions";
import { usePeopleSearch } from "./use-people-search";
import { useRelationOf } from "./use-relations";
import { AlertText } from "@/components/ui/alert-text";

/** Find people by exact email or name prefix and act on each result according to the live relation. */
export function PeopleSearch({ actions }: { actions: ReturnType<typeof useContactActions> }) {
  const [query, setQuery] = useState("");
  const search = usePeopleSearch(query);
  const relationOf = useRelationOf();
  const inputId = useId();
  const hintId = useId();
  const headingId = useId();

  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-3">
      <h2 id={headingId} className="text-sm font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
        Find people
      </h2>
      <form role="search" aria-label="People" onSubmit={(event) => event.preventDefault()} className="flex flex-col gap-1">
        <label htmlFor={inputId} className="sr-only">
          Search people
        </label>
        <input
          id={inputId}
          type="search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          placeholder="Name or exact email address"
          aria-describedby={hintId}
          autoComplete="off"
          maxLength={254}
          className="rounded-lg border border-slate-300 bg-white px-3 py-2 text-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:border-slate-700 dark:bg-slate-900"
        />
        <p id={hintId} className="text-xs text-slate-500 dark:text-slate-400">
          Names match from their start; email addresses only when typed in full.
        </p>
      </form>

      <p role="status" className="text-sm text-slate-600 empty:hidden dark:text-slate-400">
        {search.query && search.isPending ? "Searching…" : ""}
        {!search.isPending && search.status === "done" && search.users.length === 0 ? "No one found." : ""}
      </p>
      <AlertText>{search.error}</AlertText>

      {search.query && search.users.length > 0 ? (
        <ul aria-label="People found" className="divide-y divide-slate-200 dark:divide-slate-800" aria-busy={search.isPending}>
          {search.users.map((user) => {
            const info = relationOf(user.id, user.relation);
            return (
              <PersonRow
                key={user.id}
                user={user}
                status={RELATION_LABELS[info.relation]}
                actions={(describedBy) => <ContactActions user={user} info={info} actions={actions} describedBy={describedBy} />}
              />
            );
          })}
        </ul>
      ) : null}
      {search.hasMore ? (
        <button type="button" className={`${smallSecondary} self-center`} disabled={search.isLoadingMore} onClick={() => void search.loadMore()}>
          {search.isLoadingMore ? "Loading…" : "Load more"}
        </button>
      ) : null}
    </section>
  );
}

"use client";

import { useId, useMemo, useState } from "react";
import { useShallow } from "zustand/react/shallow";

import { Avatar } from "@/components/ui/avatar";
import type { PublicUserDto } from "@/lib/realtime/protocol";
import { useContactsStore } from "@/lib/stores/contacts-store";
import { usePeopleSearch } from "./use-people-search";
import { useRelationOf } from "./use-relations";

type PeoplePickerProps = {
  selected: PublicUserDto[];
  onToggle: (user: PublicUserDto) => void;
  /** People who cannot be picked (already members). */
  excludeIds?: readonly string[];
  label?: string;
};

/**
 * Choose several people: contacts are offered first; typing searches everyone (name prefix or
 * exact email). Blocked people and the user themself are never offered.
 */
export function PeoplePicker({ selected, onToggle, excludeIds = [], label = "Add people" }: PeoplePickerProps) {
  const [query, setQuery] = useState("");
  const search = usePeopleSearch(query);
  const relationOf = useRelationOf();
  const { contacts, selfId } = useContactsStore(useShallow((state) => ({ contacts: state.contacts, selfId: state.selfId })));
  const inputId = useId();
  const selectedIds = useMemo(() => new Set(selected.map((user) => user.id)), [selected]);

  const candidates = useMemo(() => {
    const excluded = new Set(excludeIds);
    const needle = query.trim().toLowerCase();
    const fromContacts = contacts.filter((user) => !needle || user.name.toLowerCase().startsWith(needle));
    const fromSearch = needle ? search.users.filter((user) => relationOf(user.id, user.relation).relation !== "blocked") : [];
    const seen = new Set<string>();
    return [...fromContacts, ...fromSearch].filter((user) => {
      if (user.id === selfId || excluded.has(user.id) || seen.has(user.id)) return false;
      seen.add(user.id);
      return true;
    });
  }, [contacts, search.users, query, excludeIds, selfId, relationOf]);

  return (
    <div className="flex flex-col gap-2">
      {selected.length > 0 ? (
        <ul aria-label="Selected people" className="flex flex-wrap gap-1.5">
          {selected.map((user) => (
            <li key={user.id} className="flex items-center gap-1 rounded-full bg-indigo-100 py-0.5 pl-1 pr-0.5 text-xs font-medium text-indigo-900 dark:bg-indigo-500/20 dark:text-indigo-100">
              <Avatar name={user.name} color={user.avatarColor} size="sm" className="h-5 w-5 text-[9px]" />
              <span className="max-w-40 truncate">{user.name}</span>
              <button
                type="button"
                aria-label={`Deselect ${user.name}`}
                onClick={() => onToggle(user)}
                className="rounded-full p-1 hover:bg-indigo-200 dark:hover:bg-indigo-500/40"
              >
                <svg aria-hidden="true" viewBox="0 0 20 20" className="h-3 w-3 fill-current">
                  <path d="M5.3 4 4 5.3 8.7 10 4 14.7 5.3 16 10 11.3 14.7 16 16 14.7 11.3 10 16 5.3 14.7 4 10 8.7z" />
                </svg>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <label htmlFor={inputId} className="text-sm font-medium">
        {label}
      </label>
      <input
        id={inputId}
        type="search"
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        placeholder="Search contacts, names or an email"
        autoComplete="off"
        maxLength={254}
        className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:border-slate-700 dark:bg-slate-900"
      />
      <p role="status" className="text-xs text-slate-500 empty:hidden dark:text-slate-400">
        {query.trim() && search.isPending ? "Searching…" : ""}
        {!search.isPending && candidates.length === 0 ? (query.trim() ? "No one found." : "No contacts to add yet. Search by name or email.") : ""}
      </p>
      {search.error ? (
        <p role="alert" className="text-xs text-red-600 dark:text-red-400">
          {search.error}
        </p>
      ) : null}
      {candidates.length > 0 ? (
        <ul aria-label={query.trim() ? "People found" : "Contacts"} className="max-h-56 overflow-y-auto rounded-md border border-slate-200 dark:border-slate-700">
          {candidates.map((user) => (
            <li key={user.id} className="border-b border-slate-100 last:border-b-0 dark:border-slate-800">
              <label className="flex cursor-pointer items-center gap-3 px-3 py-2 hover:bg-slate-50 dark:hover:bg-slate-800/60">
                <input
                  type="checkbox"
                  checked={selectedIds.has(user.id)}
                  onChange={() => onToggle(user)}
                  className="h-4 w-4 accent-indigo-600"
                />
                <Avatar name={user.name} color={user.avatarColor} size="sm" />
                <span className="min-w-0 flex-1 truncate text-sm">{user.name}</span>
              </label>
            </li>
          ))}
        </ul>
      ) : null}
      {query.trim() && search.hasMore ? (
        <button type="button" className="self-start text-xs font-medium text-indigo-600 hover:underline dark:text-indigo-400" onClick={() => void search.loadMore()} disabled={search.isLoadingMore}>
          {search.isLoadingMore ? "Loading…" : "Load more"}
        </button>
      ) : null}
    </div>
  );
}

/** Adds the person when absent, removes them when present. */
export function toggleUser(list: PublicUserDto[], user: PublicUserDto): PublicUserDto[] {
  return list.some((item) => item.id === user.id) ? list.filter((item) => item.id !== user.id) : [...list, user];
}

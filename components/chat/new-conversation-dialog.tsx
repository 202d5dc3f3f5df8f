"use client";

import { clsx } from "clsx";
import { useRouter } from "next/navigation";
import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { toast } from "sonner";
import { useShallow } from "zustand/react/shallow";

import { PeoplePicker, toggleUser } from "@/components/contacts/people-picker";
import { PersonRow, smallSecondary } from "@/components/contacts/person-row";
import { errorText, useOpenDirect } from "@/components/contacts/use-contact-actions";
import { usePeopleSearch } from "@/components/contacts/use-people-search";
import { useRelationOf, type Relation } from "@/components/contacts/use-relations";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/text-field";
import { useRequest } from "@/hooks/use-request";
import type { PublicUserDto } from "@/lib/realtime/protocol";
import { GROUP_NAME_MAX_LENGTH } from "@/lib/realtime/protocol-constants";
import { useChatStore } from "@/lib/stores/chat-store";
import { useContactsStore } from "@/lib/stores/contacts-store";

type Mode = "direct" | "group";
const MODES: { id: Mode; label: string }[] = [
  { id: "direct", label: "Direct message" },
  { id: "group", label: "New group" },
];

export function NewConversationDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Dialog open={open} onClose={onClose} title="New conversation" size="md" className="sm:min-h-[28rem]">
      <NewConversationBody onDone={onClose} />
    </Dialog>
  );
}

function NewConversationBody({ onDone }: { onDone: () => void }) {
  const [mode, setMode] = useState<Mode>("direct");
  const baseId = useId();
  const tabRefs = useRef<Record<Mode, HTMLButtonElement | null>>({ direct: null, group: null });

  const onTabKeyDown = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight" && event.key !== "Home" && event.key !== "End") return;
    event.preventDefault();
    const index = MODES.findIndex((item) => item.id === mode);
    const nextIndex =
      event.key === "Home" ? 0 : event.key === "End" ? MODES.length - 1 : (index + (event.key === "ArrowRight" ? 1 : -1) + MODES.length) % MODES.length;
    const next = MODES[nextIndex]!.id;
    setMode(next);
    tabRefs.current[next]?.focus();
  };

  return (
    <div className="flex flex-col gap-4">
      <div role="tablist" aria-label="Kind of conversation" className="grid grid-cols-2 gap-1 rounded-lg bg-slate-100 p-1 dark:bg-slate-800">
        {MODES.map((item) => (
          <button
            key={item.id}
            ref={(element) => {
              tabRefs.current[item.id] = element;
            }}
            type="button"
            role="tab"
            id={`${baseId}-tab-${item.id}`}
            aria-selected={mode === item.id}
            aria-controls={`${baseId}-panel-${item.id}`}
            tabIndex={mode === item.id ? 0 : -1}
            onClick={() => setMode(item.id)}
            onKeyDown={onTabKeyDown}
            className={clsx(
              "rounded-md px-3 py-1.5 text-sm font-medium transition-colors focus-visible:outline-2 focus-visible:outline-indigo-500",
              mode === item.id ? "bg-white text-slate-900 shadow-sm dark:bg-slate-950 dark:text-slate-100" : "text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100",
            )}
          >
            {item.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${baseId}-panel-${mode}`} aria-labelledby={`${baseId}-tab-${mode}`}>
        {mode === "direct" ? <DirectMessagePanel onDone={onDone} /> : <NewGroupPanel onDone={onDone} />}
      </div>
    </div>
  );
}

function DirectMessagePanel({ onDone }: { onDone: () => void }) {
  const [query, setQuery] = useState("");
  const search = usePeopleSearch(query);
  const relationOf = useRelationOf();
  const openDirect = useOpenDirect();
  const contacts = useContactsStore(useShallow((state) => state.contacts));
  const selfId = useContactsStore((state) => state.selfId);
  const [openingId, setOpeningId] = useState<string | null>(null);
  const inputId = useId();

  const hasQuery = query.trim().length > 0;
  const people: (PublicUserDto & { relation?: Relation })[] = hasQuery ? search.users.filter((user) => user.id !== selfId) : contacts;

  async function message(user: PublicUserDto) {
    setOpeningId(user.id);
    try {
      await openDirect(user.id);
      onDone();
    } catch (caught) {
      toast.error(errorText(caught));
      setOpeningId(null);
    }
  }

  return (
    <div className="flex flex-col gap-2">
      <label htmlFor={inputId} className="text-sm font-medium">
        Search people
      </label>
      <input
        id={inputId}
        type="search"
        data-autofocus
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        placeholder="Name or exact email address"
        autoComplete="off"
        maxLength={254}
        className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm outline-none focus:border-indigo-500 focus:ring-2 focus:ring-indigo-500/30 dark:border-slate-700 dark:bg-slate-900"
      />
      <p role="status" className="text-xs text-slate-500 empty:hidden dark:text-slate-400">
        {hasQuery && search.isPending ? "Searching…" : ""}
        {hasQuery && !search.isPending && search.status === "done" && people.length === 0 ? "No one found." : ""}
        {!hasQuery && people.length === 0 ? "Search by name, or by the full email address." : ""}
      </p>
      {search.error ? (
        <p role="alert" className="text-xs text-red-600 dark:text-red-400">
          {search.error}
        </p>
      ) : null}
      {!hasQuery && people.length > 0 ? <h3 className="pt-1 text-xs font-medium text-slate-500 dark:text-slate-400">Your contacts</h3> : null}
      {people.length > 0 ? (
        <ul aria-label={hasQuery ? "People found" : "Contacts"} className="divide-y divide-slate-200 dark:divide-slate-800">
          {people.map((user) => {
            const isBlocked = relationOf(user.id, user.relation ?? "contact").relation === "blocked";
            return (
              <PersonRow
                key={user.id}
                user={user}
                status={isBlocked ? "Blocked" : undefined}
                actions={(describedBy) =>
                  isBlocked ? null : (
                    <button
                      type="button"
                      className={smallSecondary}
                      aria-describedby={describedBy}
                      disabled={openingId !== null}
                      aria-busy={openingId === user.id || undefined}
                      onClick={() => void message(user)}
                    >
                      {openingId === user.id ? "Opening…" : "Message"}
                    </button>
                  )
                }
              />
            );
          })}
        </ul>
      ) : null}
      {hasQuery && search.hasMore ? (
        <button type="button" className={`${smallSecondary} self-center`} disabled={search.isLoadingMore} onClick={() => void search.loadMore()}>
          {search.isLoadingMore ? "Loading…" : "Load more"}
        </button>
      ) : null}
    </div>
  );
}

function NewGroupPanel({ onDone }: { onDone: () => void }) {
  const call = useRequest();
  const router = useRouter();
  const [name, setName] = useState("");
  const [members, setMembers] = useState<PublicUserDto[]>([]);
  const [isCreating, setIsCreating] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) {
      setError("Give the group a name.");
      return;
    }
    setIsCreating(true);
    try {
      const conversation = await call("conversation:create-group", { name: trimmed, memberIds: members.map((member) => member.id) });
      useChatStore.getState().upsertConversation(conversation);
      router.push(`/chat/${conversation.id}`);
      onDone();
    } catch (caught) {
      toast.error(errorText(caught));
      setIsCreating(false);
    }
  }

  return (
    <form onSubmit={(event) => void onSubmit(event)} className="flex flex-col gap-4" noValidate>
      <TextField
        label="Group name"
        name="group-name"
        value={name}
        onChange={(event) => {
          setName(event.target.value);
          setError(undefined);
        }}
        maxLength={GROUP_NAME_MAX_LENGTH}
        required
        autoComplete="off"
        error={error}
      />
      <PeoplePicker selected={members} onToggle={(user) => setMembers((current) => toggleUser(current, user))} label="Add people" />
      <div className="flex items-center justify-end gap-2 border-t border-slate-200 pt-3 dark:border-slate-800">
        <span className="mr-auto text-xs text-slate-500 dark:text-slate-400" aria-live="polite">
          {members.length === 0 ? "Only you so far" : `${members.length + 1} members including you`}
        </span>
        <Button type="submit" disabled={isCreating} aria-busy={isCreating || undefined}>
          {isCreating ? "Creating…" : "Create group"}
        </Button>
      </div>
    </form>
  );
}

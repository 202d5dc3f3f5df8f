"use client";

import { useRouter } from "next/navigation";
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { toast } from "sonner";

import { ConversationAvatar } from "@/components/chat/conversation-list-item";
import { PeoplePicker, toggleUser } from "@/components/contacts/people-picker";
import { PersonRow, smallDanger, smallSecondary } from "@/components/contacts/person-row";
import { errorText } from "@/components/contacts/use-contact-actions";
import { SearchLink } from "@/components/search/search-link";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/dialog";
import { TextField } from "@/components/ui/text-field";
import { useConnectedCount } from "@/hooks/use-presence";
import { useRequest } from "@/hooks/use-request";
import type { ConversationDto, MemberDto, PublicUserDto } from "@/lib/realtime/protocol";
import { GROUP_NAME_MAX_LENGTH } from "@/lib/realtime/protocol-constants";
import { selectConversation, useChatStore } from "@/lib/stores/chat-store";

const sortMembers = (selfId: string | null) => (a: MemberDto, b: MemberDto) => {
  if (a.role !== b.role) return a.role === "admin" ? -1 : 1;
  if (a.id === selfId) return -1;
  if (b.id === selfId) return 1;
  return a.name.localeCompare(b.name);
};

/**
 * Who is in a conversation and what can be done about it: admins rename, add and remove;
 * everyone can leave a group. Live: every change arrives through the store.
 */
export function GroupDetailsPanel({ conversationId, onClose }: { conversationId: string; onClose: () => void }) {
  const conversation = useChatStore(selectConversation(conversationId));
  const selfId = useChatStore((state) => state.selfId);
  const headingId = useId();
  const closeRef = useRef<HTMLButtonElement>(null);

  // Opening the panel moves focus into it, so keyboard users land where the new content is.
  useEffect(() => closeRef.current?.focus(), []);

  return (
    <section aria-labelledby={headingId} className="flex h-full min-h-0 flex-col bg-white dark:bg-slate-950" data-testid="group-details">
      <div className="flex h-14 shrink-0 items-center gap-2 border-b border-slate-200 px-4 dark:border-slate-800">
        <h2 id={headingId} className="flex-1 text-sm font-semibold">
          {conversation?.kind === "direct" ? "Details" : "Group details"}
        </h2>
        <button
          ref={closeRef}
          type="button"
          aria-label="Close details"
          onClick={onClose}
          className="rounded-md p-2 text-slate-500 hover:bg-slate-100 hover:text-slate-700 dark:hover:bg-slate-800 dark:hover:text-slate-200"
        >
          <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4 fill-current">
            <path d="M5.3 4 4 5.3 8.7 10 4 14.7 5.3 16 10 11.3 14.7 16 16 14.7 11.3 10 16 5.3 14.7 4 10 8.7z" />
          </svg>
        </button>
      </div>
      {conversation ? (
        <DetailsBody key={conversation.id} conversation={conversation} selfId={selfId} onClose={onClose} />
      ) : (
        <p className="p-4 text-sm text-slate-500 dark:text-slate-400">This conversation is no longer available.</p>
      )}
    </section>
  );
}

function DetailsBody({ conversation, selfId, onClose }: { conversation: ConversationDto; selfId: string | null; onClose: () => void }) {
  const call = useRequest();
  const router = useRouter();
  const isGroup = conversation.kind === "group";
  const isAdmin = isGroup && conversation.myRole === "admin";
  const [isRenaming, setIsRenaming] = useState(false);
  const [isAdding, setIsAdding] = useState(false);
  const [removing, setRemoving] = useState<MemberDto | null>(null);
  const [isLeaving, setIsLeaving] = useState(false);
  const [busy, setBusy] = useState(false);
  const members = [...conversation.members].sort(sortMembers(selfId));

  async function run(action: () => Promise<void>): Promise<boolean> {
    setBusy(true);
    try {
      await action();
      return true;
    } catch (caught) {
      toast.error(errorText(caught));
      return false;
    } finally {
      setBusy(false);
    }
  }

  async function removeMember(member: MemberDto) {
    const done = await run(async () => {
      const updated = await call("conversation:remove-member", { conversationId: conversation.id, userId: member.id });
      useChatStore.getState().upsertConversation(updated);
    });
    if (done) setRemoving(null);
  }

  async function leave() {
    const done = await run(async () => {
      await call("conversation:leave", { conversationId: conversation.id });
    });
    if (!done) return;
    setIsLeaving(false);
    onClose();
    router.push("/");
    useChatStore.getState().removeConversation(conversation.id);
  }

  return (
    <div className="min-h-0 flex-1 overflow-y-auto">
      <div className="flex flex-col items-center gap-2 border-b border-slate-200 px-4 py-5 text-center dark:border-slate-800">
        <ConversationAvatar conversation={conversation} selfId={selfId} size="lg" />
        {isRenaming ? (
          <RenameForm conversation={conversation} onDone={() => setIsRenaming(false)} />
        ) : (
          <>
            <p className="max-w-full break-words text-lg font-semibold" data-testid="group-title">
              {conversation.title}
            </p>
            <p className="text-xs text-slate-500 dark:text-slate-400">
              {isGroup ? `Group · ${conversation.members.length} ${conversation.members.length === 1 ? "member" : "members"}` : "Direct message"}
            </p>
            <div className="flex flex-wrap justify-center gap-2 pt-1">
              {isAdmin ? (
                <button type="button" className={smallSecondary} onClick={() => setIsRenaming(true)}>
                  Rename
                </button>
              ) : null}
              <SearchLink conversationId={conversation.id} variant="button" />
            </div>
          </>
        )}
      </div>

      <MembersSection
        members={members}
        selfId={selfId}
        canRemove={isAdmin}
        busy={busy}
        onRemove={setRemoving}
        action={
          isAdmin && !isAdding ? (
            <button type="button" className={smallSecondary} onClick={() => setIsAdding(true)}>
              Add members
            </button>
          ) : null
        }
      />

      {isAdmin && isAdding ? (
        <AddMembersForm conversation={conversation} onDone={() => setIsAdding(false)} />
      ) : null}

      {isGroup ? (
        <div className="px-4 py-4">
          <Button variant="danger" className="w-full" onClick={() => setIsLeaving(true)}>
            Leave group
          </Button>
        </div>
      ) : null}

      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing?.name ?? ""}?`}
        description={`${removing?.name ?? "They"} will no longer see new messages in ${conversation.title}.`}
        confirmLabel="Remove member"
        isBusy={busy}
        onConfirm={() => {
          if (removing) void removeMember(removing);
        }}
        onCancel={() => setRemoving(null)}
      />
      <ConfirmDialog
        open={isLeaving}
        title={`Leave ${conversation.title}?`}
        description="You will stop receiving its messages. Someone in the group has to add you again to return."
        confirmLabel="Leave"
        isBusy={busy}
        onConfirm={() => void leave()}
        onCancel={() => setIsLeaving(false)}
      />
    </div>
  );
}

function MembersSection({
  members,
  selfId,
  canRemove,
  busy,
  onRemove,
  action,
}: {
  members: MemberDto[];
  selfId: string | null;
  canRemove: boolean;
  busy: boolean;
  onRemove: (member: MemberDto) => void;
  action: ReactNode;
}) {
  const headingId = useId();
  // Connected counts as online here: away and busy members are still reachable.
  const connectedCount = useConnectedCount(members.map((member) => member.id));
  return (
    <section aria-labelledby={headingId} className="border-b border-slate-200 px-4 py-3 dark:border-slate-800">
      <div className="flex items-center gap-2">
        <h3 id={headingId} className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
          Members
        </h3>
        <p className="flex-1 text-xs text-slate-500 dark:text-slate-400" data-testid="members-online">
          {connectedCount} online
        </p>
        {action}
      </div>
      <ul aria-label="Members" className="mt-1">
        {members.map((member) => (
          <PersonRow
            key={member.id}
            user={member}
            showsPresence
            status={
              member.id === selfId || member.role === "admin" ? (
                <>
                  {member.id === selfId ? "You" : null}
                  {member.id === selfId && member.role === "admin" ? " · " : null}
                  {member.role === "admin" ? (
                    <span className="rounded bg-amber-100 px-1.5 py-px text-[11px] font-semibold text-amber-900 dark:bg-amber-500/20 dark:text-amber-200">Admin</span>
                  ) : null}
                </>
              ) : null
            }
            actions={(describedBy) =>
              canRemove && member.id !== selfId ? (
                <button type="button" className={smallDanger} aria-describedby={describedBy} disabled={busy} onClick={() => onRemove(member)}>
                  Remove
                </button>
              ) : null
            }
          />
        ))}
      </ul>
    </section>
  );
}

function RenameForm({ conversation, onDone }: { conversation: ConversationDto; onDone: () => void }) {
  const call = useRequest();
  const [name, setName] = useState(conversation.title);
  const [error, setError] = useState<string | undefined>(undefined);
  const [isSaving, setIsSaving] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return setError("The name cannot be empty.");
    if (trimmed === conversation.title) return onDone();
    setIsSaving(true);
    try {
      useChatStore.getState().upsertConversation(await call("conversation:rename", { conversationId: conversation.id, name: trimmed }));
      onDone();
    } catch (caught) {
      toast.error(errorText(caught));
      setIsSaving(false);
    }
  }

  return (
    <form
      onSubmit={(event) => void onSubmit(event)}
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          // Cancels the rename only, not a surrounding dialog or slide-over.
          event.preventDefault();
          event.stopPropagation();
          onDone();
        }
      }}
      className="flex w-full flex-col gap-2 text-left"
      aria-label="Rename group"
      noValidate
    >
      <TextField
        label="Group name"
        name={`rename-${conversation.id}`}
        value={name}
        maxLength={GROUP_NAME_MAX_LENGTH}
        onChange={(event) => {
          setName(event.target.value);
          setError(undefined);
        }}
        error={error}
        autoFocus
        autoComplete="off"
      />
      <div className="flex justify-end gap-2">
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" disabled={isSaving} aria-busy={isSaving || undefined}>
          {isSaving ? "Saving…" : "Save"}
        </Button>
      </div>
    </form>
  );
}

function AddMembersForm({ conversation, onDone }: { conversation: ConversationDto; onDone: () => void }) {
  const call = useRequest();
  const [selected, setSelected] = useState<PublicUserDto[]>([]);
  const [isSaving, setIsSaving] = useState(false);
  const headingId = useId();

  async function add() {
    if (selected.length === 0) return;
    setIsSaving(true);
    try {
      const updated = await call("conversation:add-members", { conversationId: conversation.id, userIds: selected.map((user) => user.id) });
      useChatStore.getState().upsertConversation(updated);
      onDone();
    } catch (caught) {
      toast.error(errorText(caught));
      setIsSaving(false);
    }
  }

  return (
    <section aria-labelledby={headingId} className="flex flex-col gap-3 border-b border-slate-200 px-4 py-3 dark:border-slate-800">
      <h3 id={headingId} className="text-xs font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">
        Add members
      </h3>
      <PeoplePicker
        selected={selected}
        onToggle={(user) => setSelected((current) => toggleUser(current, user))}
        excludeIds={conversation.members.map((member) => member.id)}
        label="Find people to add"
      />
      <div className="flex justify-end gap-2">
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        <Button onClick={() => void add()} disabled={isSaving || selected.length === 0} aria-busy={isSaving || undefined}>
          {isSaving ? "Adding…" : selected.length > 1 ? `Add ${selected.length} people` : "Add to group"}
        </Button>
      </div>
    </section>
  );
}

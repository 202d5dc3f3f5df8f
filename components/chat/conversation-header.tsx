"use client";

import Link from "next/link";

import { HistoryIcon } from "@/components/calls/call-icons";
import { StartCallButtons } from "@/components/calls/start-call-buttons";
import { MuteMenu } from "@/components/notifications/mute-menu";
import { MutedIcon } from "@/components/notifications/muted-icon";
import { useMutedUntil } from "@/components/notifications/use-muted-until";
import { PresenceText } from "@/components/presence/presence-text";
import { Avatar } from "@/components/ui/avatar";
import { useNow } from "@/hooks/use-now";
import { usePresence } from "@/hooks/use-presence";
import { mutedText } from "@/lib/notifications/mute-text";
import type { ConversationDto } from "@/lib/realtime/protocol";
import { ConversationAvatar, otherMember } from "./conversation-list-item";
import { InfoIcon } from "./icons";

type ConversationHeaderProps = {
  conversation: ConversationDto;
  selfId: string | null;
  /** Opens the details panel (owned elsewhere); without it the button is not shown. */
  onOpenDetails?: (() => void) | undefined;
};

export function ConversationHeader({ conversation, selfId, onOpenDetails }: ConversationHeaderProps) {
  const isDirect = conversation.kind === "direct";
  const peer = isDirect ? otherMember(conversation, selfId) : undefined;
  const presence = usePresence(peer?.id);
  // Calls are 1-1: only in a direct conversation with someone else (not a note to self).
  const callPeer = peer && selfId && peer.id !== selfId ? peer : null;
  const memberCount = conversation.members.length;
  const now = useNow(30_000);
  const mutedUntil = useMutedUntil(conversation.id, now);

  return (
    <header className="flex h-14 shrink-0 items-center gap-3 border-b border-slate-200 px-4 dark:border-slate-800">
      {isDirect ? (
        <ConversationAvatar conversation={conversation} selfId={selfId} size="sm" isStatusDecorative={presence !== null} />
      ) : (
        <Avatar name={conversation.title} size="sm" shape="rounded" />
      )}
      <div className="min-w-0 flex-1">
        <div className="flex min-w-0 items-center gap-1.5">
          <h1 className="truncate text-[0.9375rem] font-semibold leading-tight">{conversation.title}</h1>
          {mutedUntil ? <MutedIcon label={mutedText(mutedUntil, now)} /> : null}
        </div>
        <p className="truncate text-xs text-slate-500 dark:text-slate-400" data-testid="conversation-subtitle">
          {!isDirect ? `${memberCount} ${memberCount === 1 ? "member" : "members"}` : presence ? <PresenceText presence={presence} /> : "Direct message"}
        </p>
      </div>
      {callPeer ? (
        <>
          <StartCallButtons peer={callPeer} />
          <Link
            href={`/calls?withUserId=${encodeURIComponent(callPeer.id)}`}
            aria-label="Call history"
            title={`Calls with ${callPeer.name}`}
            className="rounded-md p-2 text-slate-500 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-white"
          >
            <HistoryIcon />
          </Link>
        </>
      ) : null}
      <MuteMenu conversationId={conversation.id} mutedUntil={mutedUntil} now={now} />
      {onOpenDetails ? (
        <button
          type="button"
          aria-label="Conversation details"
          title="Conversation details"
          onClick={onOpenDetails}
          className="rounded-md p-2 text-slate-500 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-white"
        >
          <InfoIcon className="h-5 w-5" />
        </button>
      ) : null}
    </header>
  );
}

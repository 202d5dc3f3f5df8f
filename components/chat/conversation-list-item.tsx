"use client";

import { clsx } from "clsx";
import Link from "next/link";

import { mentionsToPlainText } from "@/components/chat/mention-text";
import { MutedIcon } from "@/components/notifications/muted-icon";
import { useMutedUntil } from "@/components/notifications/use-muted-until";
import { customStatusOf } from "@/components/presence/presence-format";
import { PresenceAvatar } from "@/components/presence/presence-avatar";
import { toOneLine } from "@/components/search/message-text";
import { Avatar } from "@/components/ui/avatar";
import { usePresence } from "@/hooks/use-presence";
import { mutedText } from "@/lib/notifications/mute-text";
import type { ConversationDto, MemberDto } from "@/lib/realtime/protocol";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

function startOfDay(time: number): number {
  const date = new Date(time);
  date.setHours(0, 0, 0, 0);
  return date.getTime();
}

/** "now", "5m", "3h", "Yesterday", "Tue", "Mar 4", "Mar 4, 2024": short enough for a list row. */
export function formatRelativeTime(iso: string, now: number): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return "";
  const elapsed = now - time;
  if (elapsed < MINUTE) return "now";
  if (elapsed < HOUR) return `${Math.floor(elapsed / MINUTE)}m`;
  const days = Math.round((startOfDay(now) - startOfDay(time)) / DAY);
  if (days <= 0) return `${Math.floor(elapsed / HOUR)}h`;
  if (days === 1) return "Yesterday";
  if (days < 7) return new Date(time).toLocaleDateString(undefined, { weekday: "short" });
  const sameYear = new Date(time).getFullYear() === new Date(now).getFullYear();
  return new Date(time).toLocaleDateString(undefined, { month: "short", day: "numeric", ...(sameYear ? {} : { year: "numeric" }) });
}

function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? name;
}

/** One line of plain text: mentions as @Name, own messages as "You: …", others' in groups as "Name: …". */
export function previewOf(conversation: ConversationDto, selfId: string | null): string {
  const preview = conversation.lastMessagePreview;
  if (preview === null) return conversation.kind === "group" ? "Group created" : "No messages yet";
  const nameOf = (userId: string) => conversation.members.find((member) => member.id === userId)?.name;
  const text = toOneLine(mentionsToPlainText(preview, nameOf)) || "Attachment";
  const authorId = conversation.lastMessageAuthorId;
  const author = authorId ? nameOf(authorId) : undefined;
  // System lines ("Alice added Bob") already start with the actor's name; a prefix would repeat it.
  if (author && text.startsWith(`${author} `)) return text;
  if (authorId && authorId === selfId) return `You: ${text}`;
  if (conversation.kind === "group" && author) return `${firstName(author)}: ${text}`;
  return text;
}

/** The person a direct conversation is with (the caller when it is a note to self). */
export function otherMember(conversation: ConversationDto, selfId: string | null): MemberDto | undefined {
  return conversation.members.find((member) => member.id !== selfId) ?? conversation.members[0];
}

type ConversationAvatarProps = {
  conversation: ConversationDto;
  selfId: string | null;
  size?: "sm" | "md" | "lg";
  /** True where the other person's status is also written out beside the avatar. */
  isStatusDecorative?: boolean;
};

/** A group's avatar, or the other person's with their live status dot. */
export function ConversationAvatar({ conversation, selfId, size = "md", isStatusDecorative = false }: ConversationAvatarProps) {
  if (conversation.kind === "group") return <Avatar name={conversation.title} shape="rounded" size={size} />;
  const other = otherMember(conversation, selfId);
  if (!other) return <Avatar name={conversation.title} size={size} />;
  return <PresenceAvatar userId={other.id} name={other.name} color={other.avatarColor} size={size} isStatusDecorative={isStatusDecorative} />;
}

/** The other person's custom status emoji beside the title; its text is in the tooltip and the accessible name. */
function CustomStatusEmoji({ userId }: { userId: string | null }) {
  const presence = usePresence(userId);
  const emoji = presence?.customEmoji;
  if (!presence || !emoji) return null;
  const label = `Status: ${customStatusOf(presence)}`;
  return (
    <span role="img" aria-label={label} title={label} className="shrink-0 text-sm leading-none">
      {emoji}
    </span>
  );
}

type ConversationListItemProps = {
  conversation: ConversationDto;
  unreadCount: number;
  isActive: boolean;
  selfId: string | null;
  now: number;
  onNavigate?: () => void;
};

export function ConversationListItem({ conversation, unreadCount, isActive, selfId, now, onNavigate }: ConversationListItemProps) {
  const hasUnread = unreadCount > 0;
  const time = conversation.lastActivityAt;
  const mutedUntil = useMutedUntil(conversation.id, now);
  return (
    <li>
      <Link
        href={`/chat/${conversation.id}`}
        // Dynamic and without a loading boundary (the conversation comes from the stores): a prefetch
        // per visible conversation would only fetch the route tree while the page loads.
        prefetch={false}
        onClick={onNavigate}
        aria-current={isActive ? "page" : undefined}
        data-testid="conversation-item"
        data-conversation-id={conversation.id}
        data-unread={unreadCount}
        className={clsx(
          "flex items-center gap-3 rounded-lg px-2.5 py-2 outline-none transition-colors focus-visible:ring-2 focus-visible:ring-indigo-500",
          isActive ? "bg-indigo-100 dark:bg-indigo-500/20" : "hover:bg-slate-200/70 dark:hover:bg-slate-800",
        )}
      >
        <ConversationAvatar conversation={conversation} selfId={selfId} />
        <span className="flex min-w-0 flex-1 flex-col">
          <span className="flex items-baseline gap-2">
            <span
              className={clsx(
                "min-w-0 flex-1 truncate text-sm",
                hasUnread || isActive ? "font-semibold" : "font-medium",
                isActive && "text-indigo-900 dark:text-indigo-100",
              )}
            >
              {conversation.title}
            </span>
            <CustomStatusEmoji userId={conversation.kind === "direct" ? (otherMember(conversation, selfId)?.id ?? null) : null} />
            {mutedUntil ? <MutedIcon label={mutedText(mutedUntil, now)} /> : null}
            {time ? (
              <time
                dateTime={time}
                title={new Date(time).toLocaleString()}
                className={clsx("shrink-0 text-xs", hasUnread ? "font-medium text-indigo-600 dark:text-indigo-400" : "text-slate-500 dark:text-slate-400")}
              >
                {formatRelativeTime(time, now)}
              </time>
            ) : null}
          </span>
          <span className="flex items-center gap-2">
            <span
              className={clsx(
                "min-w-0 flex-1 truncate text-xs",
                hasUnread ? "text-slate-800 dark:text-slate-200" : "text-slate-500 dark:text-slate-400",
              )}
              data-testid="conversation-preview"
            >
              {previewOf(conversation, selfId)}
            </span>
            {hasUnread ? (
              <span
                role="img"
                aria-label={`${unreadCount} unread`}
                className="min-w-5 shrink-0 rounded-full bg-indigo-600 px-1.5 py-0.5 text-center text-[11px] font-semibold leading-none text-white"
              >
                {unreadCount > 99 ? "99+" : unreadCount}
              </span>
            ) : null}
          </span>
        </span>
      </Link>
    </li>
  );
}

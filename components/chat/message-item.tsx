"use client";

import { clsx } from "clsx";
import dynamic from "next/dynamic";
import { memo, useCallback } from "react";

import { Avatar } from "@/components/ui/avatar";
import type { MessageDto, ReplyPreviewDto } from "@/lib/realtime/protocol";
import { MessageAttachments } from "./attachment-preview";
import { useConversationActions, type MemberDirectory } from "./conversation-context";
import { formatFullDate, formatTime } from "./format";
import { MessageBody } from "./message-body";
import { MessageActions } from "./message-actions";
import { mentionsToPlainText, toPreviewText } from "./mention-text";
import { ReactionsRow } from "./reactions";

// Only while a message is being edited: fetched on the first edit rather than with the page.
const MessageEditor = dynamic(() => import("./message-editor").then((module) => module.MessageEditor));

export const FORMER_MEMBER = "Former member";

type MessageItemProps = {
  message: MessageDto;
  /** Continues the same author's run: no avatar or name. */
  isCompact: boolean;
  isHighlighted: boolean;
  isEditing: boolean;
};

const HIGHLIGHT = "bg-amber-100/80 ring-1 ring-amber-300 dark:bg-amber-400/15 dark:ring-amber-400/40";

function ReplyQuote({ reply, directory, onJump }: { reply: ReplyPreviewDto; directory: MemberDirectory; onJump: (seq: number) => void }) {
  const author = directory.nameOf(reply.authorId) ?? FORMER_MEMBER;
  const preview = reply.isDeleted ? "Original message deleted" : toPreviewText(reply.body, directory.nameOf);
  return (
    <button
      type="button"
      onClick={() => onJump(reply.seq)}
      // A fixed name: user text in it would collide with the action buttons' names ("Reply", "Edit").
      aria-label={`Show quote from ${author}`}
      title={preview || "Attachment"}
      className="mb-1 flex w-full max-w-md items-center gap-2 rounded-md border-l-2 border-slate-300 bg-slate-100/80 px-2 py-1 text-left text-xs hover:bg-slate-200/80 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:border-slate-600 dark:bg-slate-800/60 dark:hover:bg-slate-700/60"
    >
      <span className="shrink-0 font-semibold text-slate-700 dark:text-slate-200">{author}</span>
      <span className={clsx("truncate text-slate-600 dark:text-slate-400", reply.isDeleted && "italic")}>{preview || "📎 Attachment"}</span>
    </button>
  );
}

function SystemLine({ message, directory }: { message: MessageDto; directory: MemberDirectory }) {
  return (
    <article
      data-testid="chat-message"
      data-seq={message.seq}
      data-message-id={message.id}
      data-kind="system"
      className="flex justify-center px-4 py-1.5"
    >
      <p className="max-w-prose text-center text-xs text-slate-500 dark:text-slate-400">
        {mentionsToPlainText(message.body, directory.nameOf)}
        <span className="sr-only">, </span>
        <time dateTime={message.createdAt} title={formatFullDate(message.createdAt)} className="ml-1.5 text-slate-400 dark:text-slate-500">
          {formatTime(message.createdAt)}
        </time>
      </p>
    </article>
  );
}

function MessageItemView({ message, isCompact, isHighlighted, isEditing }: MessageItemProps) {
  const actions = useConversationActions();
  const { directory, selfId } = actions;

  const onToggleReaction = useCallback((emoji: string, isOn: boolean) => actions.react(message, emoji, isOn), [actions, message]);

  if (message.kind === "system") return <SystemLine message={message} directory={directory} />;

  const author = directory.userOf(message.authorId);
  const authorName = author?.name ?? FORMER_MEMBER;
  const isOwn = message.authorId === selfId;
  const isDeleted = message.deletedAt !== null;
  const time = formatTime(message.createdAt);
  const fullTime = formatFullDate(message.createdAt);
  const isMentioningMe = selfId !== null && message.mentions.includes(selfId);

  return (
    <article
      data-testid="chat-message"
      data-seq={message.seq}
      data-message-id={message.id}
      data-own={isOwn ? "true" : undefined}
      data-deleted={isDeleted ? "true" : undefined}
      data-highlighted={isHighlighted ? "true" : undefined}
      className={clsx(
        "group relative flex gap-3 rounded-lg px-3 transition-colors duration-700 pointer-coarse:pr-10",
        isCompact ? "py-0.5" : "mt-2 pb-0.5 pt-1.5",
        isHighlighted
          ? HIGHLIGHT
          : isMentioningMe
            ? "bg-amber-50/70 hover:bg-amber-50 dark:bg-amber-400/5 dark:hover:bg-amber-400/10"
            : "hover:bg-slate-50 focus-within:bg-slate-50 dark:hover:bg-slate-900 dark:focus-within:bg-slate-900",
      )}
    >
      <div className="relative w-9 shrink-0">
        {isCompact ? (
          <time
            dateTime={message.createdAt}
            title={fullTime}
            className="absolute right-0 top-0.5 whitespace-nowrap text-[0.625rem] leading-5 text-slate-400 opacity-0 group-focus-within:opacity-100 group-hover:opacity-100"
          >
            {time}
          </time>
        ) : (
          <Avatar name={authorName} color={author?.avatarColor ?? null} size="md" className="h-9 w-9" />
        )}
      </div>
      <div className="min-w-0 flex-1">
        {isCompact ? (
          <span className="sr-only">{authorName}</span>
        ) : (
          <header className="flex items-baseline gap-2">
            <span className="truncate text-sm font-semibold text-slate-900 dark:text-slate-100">{authorName}</span>
            <time dateTime={message.createdAt} title={fullTime} className="shrink-0 text-xs text-slate-500 dark:text-slate-400">
              {time}
            </time>
          </header>
        )}
        {message.replyTo && !isDeleted ? <ReplyQuote reply={message.replyTo} directory={directory} onJump={actions.jumpTo} /> : null}
        {isDeleted ? (
          <p className="text-sm italic text-slate-500 dark:text-slate-400">Message deleted</p>
        ) : isEditing ? (
          <MessageEditor
            body={message.body}
            nameOf={directory.nameOf}
            onSave={(body) => actions.saveEdit(message, body)}
            onCancel={actions.cancelEdit}
          />
        ) : (
          // The "(edited)" mark follows the last paragraph on its line.
          <div className="text-[0.9375rem] leading-6 text-slate-800 dark:text-slate-200 [&>div:has(+span)]:inline [&>div:has(+span)>p:last-child]:inline">
            {message.body ? <MessageBody text={message.body} nameOf={directory.nameOf} selfId={selfId} /> : null}
            {message.editedAt ? (
              <span className="text-xs text-slate-400 dark:text-slate-500" title={`Edited ${formatFullDate(message.editedAt)}`}>
                {" "}
                (edited)
              </span>
            ) : null}
          </div>
        )}
        {!isDeleted ? <MessageAttachments attachments={message.attachments} /> : null}
        {!isDeleted ? <ReactionsRow reactions={message.reactions} selfId={selfId} nameOf={directory.nameOf} onToggle={onToggleReaction} /> : null}
      </div>
      {!isDeleted && !isEditing ? (
        <MessageActions
          isOwn={isOwn}
          onReply={() => actions.reply(message)}
          onEdit={() => actions.startEdit(message.id)}
          onDelete={() => actions.remove(message)}
          onReact={(emoji) => {
            const isMine = selfId !== null && message.reactions.some((reaction) => reaction.emoji === emoji && reaction.userIds.includes(selfId));
            actions.react(message, emoji, !isMine);
          }}
        />
      ) : null}
    </article>
  );
}

/** Re-renders only when this message, its grouping, highlight or edit state changes. */
export const MessageItem = memo(MessageItemView);

"use client";

import { memo } from "react";

import { Avatar } from "@/components/ui/avatar";
import type { OutboxEntry } from "@/lib/stores/chat-store";
import { useConversationActions } from "./conversation-context";
import { AlertIcon } from "./icons";
import { MessageBody } from "./message-body";

type PendingMessageProps = {
  entry: OutboxEntry;
  onRetry: (clientMessageId: string) => void;
  onDiscard: (clientMessageId: string) => void;
};

/** A message the server has not confirmed: "Sending…", or failed with the reason, Retry and Discard. */
export const PendingMessage = memo(function PendingMessage({ entry, onRetry, onDiscard }: PendingMessageProps) {
  const { directory, selfId } = useConversationActions();
  const self = selfId ? directory.userOf(selfId) : undefined;
  const name = self?.name ?? "You";
  const isFailed = entry.status === "failed";
  const attachmentCount = entry.attachmentIds?.length ?? 0;

  return (
    <article
      data-testid="chat-message"
      data-pending="true"
      data-status={entry.status}
      data-client-message-id={entry.clientMessageId}
      className="mt-2 flex gap-3 rounded-lg px-3 pb-0.5 pt-1.5"
    >
      <div className="w-9 shrink-0">
        <Avatar name={name} color={self?.avatarColor ?? null} className="h-9 w-9" />
      </div>
      <div className="min-w-0 flex-1">
        <header className="flex items-baseline gap-2">
          <span className="truncate text-sm font-semibold">{name}</span>
          {isFailed ? null : <span className="text-xs text-slate-500 dark:text-slate-400">Sending…</span>}
        </header>
        <div className={isFailed ? "text-[0.9375rem] leading-6 text-slate-800 dark:text-slate-200" : "text-[0.9375rem] leading-6 text-slate-500 dark:text-slate-400"}>
          {entry.body ? <MessageBody text={entry.body} nameOf={directory.nameOf} selfId={selfId} /> : null}
          {attachmentCount > 0 ? (
            <p className="text-sm text-slate-500 dark:text-slate-400">📎 {attachmentCount === 1 ? "1 attachment" : `${attachmentCount} attachments`}</p>
          ) : null}
        </div>
        {isFailed ? (
          <div role="alert" className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs">
            <span className="inline-flex items-center gap-1 font-medium text-red-700 dark:text-red-400">
              <AlertIcon className="h-3.5 w-3.5" />
              Failed{entry.error?.message ? ` — ${entry.error.message}` : ""}
            </span>
            <button
              type="button"
              onClick={() => onRetry(entry.clientMessageId)}
              className="rounded px-1 font-semibold text-indigo-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-indigo-300"
            >
              Retry
            </button>
            <button
              type="button"
              onClick={() => onDiscard(entry.clientMessageId)}
              className="rounded px-1 font-semibold text-slate-600 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-slate-300"
            >
              Discard
            </button>
          </div>
        ) : null}
      </div>
    </article>
  );
});

"use client";

import Link from "next/link";

import { mentionsToPlainText } from "@/components/chat/mention-text";
import type { SearchHitDto } from "@/lib/realtime/protocol";
import { selectConversation, useChatStore } from "@/lib/stores/chat-store";
import { excerptAround, splitMatches, toOneLine } from "./message-text";

function formatWhen(iso: string): string {
  const date = new Date(iso);
  const sameYear = date.getFullYear() === new Date().getFullYear();
  return date.toLocaleString(undefined, { month: "short", day: "numeric", hour: "numeric", minute: "2-digit", ...(sameYear ? {} : { year: "numeric" }) });
}

/** One hit: where, who, when, and the text with the matched part marked. Plain text only. */
export function SearchResult({ hit, query }: { hit: SearchHitDto; query: string }) {
  const conversation = useChatStore(selectConversation(hit.conversationId));
  const selfId = useChatStore((state) => state.selfId);
  const { message } = hit;
  const nameOf = (userId: string) => conversation?.members.find((member) => member.id === userId)?.name;
  const author = message.authorId === selfId ? "You" : (nameOf(message.authorId) ?? "Former member");
  const text = excerptAround(toOneLine(mentionsToPlainText(message.body, nameOf)), query);

  return (
    <li className="border-b border-slate-200 last:border-b-0 dark:border-slate-800">
      <Link
        href={`/chat/${hit.conversationId}?seq=${message.seq}`}
        data-testid="search-result"
        className="flex flex-col gap-1 rounded-lg px-3 py-3 outline-none hover:bg-slate-50 focus-visible:ring-2 focus-visible:ring-indigo-500 dark:hover:bg-slate-900"
      >
        <span className="flex items-baseline gap-2 text-xs text-slate-500 dark:text-slate-400">
          <span className="min-w-0 truncate font-semibold text-indigo-700 dark:text-indigo-300">{conversation?.title ?? hit.conversationTitle}</span>
          <span aria-hidden="true">·</span>
          <span className="min-w-0 truncate font-medium text-slate-700 dark:text-slate-300">{author}</span>
          <time dateTime={message.createdAt} className="ml-auto shrink-0">
            {formatWhen(message.createdAt)}
          </time>
        </span>
        <span className="break-words text-sm text-slate-800 dark:text-slate-200">
          {splitMatches(text, query).map((part, index) =>
            part.isMatch ? (
              <mark key={index} className="rounded-sm bg-amber-200 px-0.5 text-inherit dark:bg-amber-400/30">
                {part.text}
              </mark>
            ) : (
              <span key={index}>{part.text}</span>
            ),
          )}
        </span>
      </Link>
    </li>
  );
}

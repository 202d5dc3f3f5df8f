"use client";

import { useTypingText } from "@/hooks/use-typing";

/**
 * "A is typing…" above the composer. The status region is always there (an empty one announces
 * nothing), so its first message is not lost to a live region that appeared with it.
 */
export function TypingIndicator({ conversationId, nameOf }: { conversationId: string; nameOf: (userId: string) => string }) {
  const text = useTypingText(conversationId, nameOf);
  return (
    <div role="status" aria-live="polite" className="h-6 shrink-0 truncate px-4 text-xs leading-6 text-slate-500 sm:px-5 dark:text-slate-400">
      {text ? (
        <span className="inline-flex items-center gap-1.5">
          <span aria-hidden="true" className="inline-flex gap-0.5">
            <span className="h-1 w-1 animate-bounce rounded-full bg-current [animation-delay:-0.3s]" />
            <span className="h-1 w-1 animate-bounce rounded-full bg-current [animation-delay:-0.15s]" />
            <span className="h-1 w-1 animate-bounce rounded-full bg-current" />
          </span>
          {text}
        </span>
      ) : null}
    </div>
  );
}

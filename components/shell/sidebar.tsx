"use client";

import { clsx } from "clsx";
import { useShallow } from "zustand/react/shallow";

import { selectConversationList, useChatStore } from "@/lib/stores/chat-store";

export function Sidebar({ isOpen, onClose }: { isOpen: boolean; onClose: () => void }) {
  const conversations = useChatStore(useShallow(selectConversationList));

  return (
    <>
      {isOpen ? <div className="fixed inset-0 z-20 bg-black/40 md:hidden" aria-hidden="true" onClick={onClose} /> : null}
      <nav
        id="sidebar"
        aria-label="Conversations"
        className={clsx(
          "fixed inset-y-0 left-0 z-30 flex w-72 flex-col border-r border-slate-200 bg-slate-50 transition-transform md:static md:translate-x-0 dark:border-slate-800 dark:bg-slate-900",
          isOpen ? "translate-x-0" : "-translate-x-full",
        )}
      >
        <div className="flex h-14 items-center justify-between border-b border-slate-200 px-4 dark:border-slate-800">
          <h2 className="text-sm font-semibold uppercase tracking-wide text-slate-500">Conversations</h2>
          <button type="button" className="rounded-md p-2 hover:bg-slate-200 md:hidden dark:hover:bg-slate-800" aria-label="Close conversations" onClick={onClose}>
            <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4 fill-current">
              <path d="M5.3 4 4 5.3 8.7 10 4 14.7 5.3 16 10 11.3 14.7 16 16 14.7 11.3 10 16 5.3 14.7 4 10 8.7z" />
            </svg>
          </button>
        </div>
        {conversations.length === 0 ? (
          <div className="flex flex-1 flex-col items-center justify-center gap-2 p-6 text-center" data-testid="conversations-empty">
            <p className="text-sm font-medium">No conversations yet</p>
            <p className="text-xs text-slate-500">Conversations you start or are added to will appear here.</p>
          </div>
        ) : (
          <ul className="flex-1 overflow-y-auto p-2">
            {conversations.map((conversation) => (
              <li key={conversation.id} className="truncate rounded-md px-3 py-2 text-sm">
                {conversation.title}
              </li>
            ))}
          </ul>
        )}
      </nav>
    </>
  );
}

"use client";

import { clsx } from "clsx";
import dynamic from "next/dynamic";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";

import { ConversationListItem } from "@/components/chat/conversation-list-item";
import { useConversations } from "@/hooks/use-conversations";
import { useNow } from "@/hooks/use-now";
import { useChatStore } from "@/lib/stores/chat-store";

// Fetched on first opening rather than with every page.
const NewConversationDialog = dynamic(() => import("@/components/chat/new-conversation-dialog").then((module) => module.NewConversationDialog));

const DESKTOP_QUERY = "(min-width: 768px)";

function subscribeDesktop(onChange: () => void): () => void {
  const query = window.matchMedia(DESKTOP_QUERY);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

/** Whether the sidebar is a fixed column (desktop) rather than a slide-over (phone). */
function useIsDesktop(): boolean {
  // The server cannot know; assuming desktop keeps the column usable before hydration.
  return useSyncExternalStore(subscribeDesktop, () => window.matchMedia(DESKTOP_QUERY).matches, () => true);
}

function activeConversationId(pathname: string | null): string | null {
  const match = pathname?.match(/^\/chat\/([^/?#]+)/);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

function ListSkeleton() {
  return (
    <div className="flex-1 space-y-1 p-2" aria-busy="true" aria-label="Loading conversations">
      {[0, 1, 2, 3].map((row) => (
        <div key={row} className="flex items-center gap-3 px-2.5 py-2">
          <div className="h-10 w-10 animate-pulse rounded-full bg-slate-200 dark:bg-slate-800" />
          <div className="flex-1 space-y-2">
            <div className="h-3 w-2/3 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
            <div className="h-2.5 w-1/2 animate-pulse rounded bg-slate-200 dark:bg-slate-800" />
          </div>
        </div>
      ))}
    </div>
  );
}

export function Sidebar({ isOpen, onClose }: { isOpen: boolean; onClose: () => void }) {
  const { conversations, isLoaded } = useConversations();
  const selfId = useChatStore((state) => state.selfId);
  const pathname = usePathname();
  const activeId = activeConversationId(pathname);
  const isDesktop = useIsDesktop();
  const now = useNow();
  const [isDialogOpen, setIsDialogOpen] = useState(false);
  const closeButtonRef = useRef<HTMLButtonElement>(null);
  const onCloseRef = useRef(onClose);

  useEffect(() => {
    onCloseRef.current = onClose;
  });

  // Any navigation (a link here, a toast's "Open", the browser's back button) closes the slide-over.
  useEffect(() => {
    onCloseRef.current();
  }, [pathname]);

  const isSlideOver = !isDesktop;
  const isHidden = isSlideOver && !isOpen;

  useEffect(() => {
    if (!isSlideOver || !isOpen) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    closeButtonRef.current?.focus();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !document.querySelector("dialog[open]")) onCloseRef.current();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("keydown", onKeyDown);
      if (opener?.isConnected) opener.focus();
    };
  }, [isSlideOver, isOpen]);

  return (
    <>
      {isOpen ? <div className="fixed inset-0 z-20 bg-black/40 md:hidden" aria-hidden="true" onClick={onClose} /> : null}
      <nav
        id="sidebar"
        aria-label="Conversations"
        inert={isHidden}
        className={clsx(
          "fixed inset-y-0 left-0 z-30 flex w-[min(20rem,85vw)] flex-col border-r border-slate-200 bg-slate-50 transition-transform md:static md:w-72 md:translate-x-0 lg:w-80 dark:border-slate-800 dark:bg-slate-900",
          isOpen ? "translate-x-0" : "-translate-x-full",
        )}
      >
        <div className="flex h-14 shrink-0 items-center gap-1 border-b border-slate-200 px-3 dark:border-slate-800">
          <h2 className="flex-1 px-1 text-sm font-semibold uppercase tracking-wide text-slate-500 dark:text-slate-400">Conversations</h2>
          <button
            type="button"
            aria-label="New conversation"
            title="New conversation"
            onClick={() => setIsDialogOpen(true)}
            className="rounded-md p-2 text-indigo-600 hover:bg-slate-200 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-indigo-400 dark:hover:bg-slate-800"
          >
            <svg aria-hidden="true" viewBox="0 0 20 20" className="h-5 w-5 fill-current">
              <path d="M3 4.5A1.5 1.5 0 0 1 4.5 3h7v1.8h-7a.2.2 0 0 0-.2.2v8.8H6v2.1l2.6-2.1h6.4a.2.2 0 0 0 .2-.2v-4.1H17v4.1a2 2 0 0 1-2 2H9.2L4.7 19v-3.4H4.5A1.5 1.5 0 0 1 3 14.1z" />
              <path d="M15.1 1.5h1.8v2.6h2.6v1.8h-2.6v2.6h-1.8V5.9h-2.6V4.1h2.6z" />
            </svg>
          </button>
          <button
            ref={closeButtonRef}
            type="button"
            className="rounded-md p-2 hover:bg-slate-200 md:hidden dark:hover:bg-slate-800"
            aria-label="Close conversations"
            onClick={onClose}
          >
            <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4 fill-current">
              <path d="M5.3 4 4 5.3 8.7 10 4 14.7 5.3 16 10 11.3 14.7 16 16 14.7 11.3 10 16 5.3 14.7 4 10 8.7z" />
            </svg>
          </button>
        </div>

        {!isLoaded && conversations.length === 0 ? (
          <ListSkeleton />
        ) : conversations.length === 0 ? (
          <div className="flex flex-1 flex-col items-center justify-center gap-2 p-6 text-center" data-testid="conversations-empty">
            <p className="text-sm font-medium">No conversations yet</p>
            <p className="text-xs text-slate-500 dark:text-slate-400">
              Start one with the New conversation button above, or wait to be added to a group.
            </p>
          </div>
        ) : (
          <ul className="flex-1 space-y-0.5 overflow-y-auto p-2" aria-label="Conversation list">
            {conversations.map(({ conversation, unreadCount }) => (
              <ConversationListItem
                key={conversation.id}
                conversation={conversation}
                unreadCount={unreadCount}
                isActive={conversation.id === activeId}
                selfId={selfId}
                now={now}
                onNavigate={onClose}
              />
            ))}
          </ul>
        )}
      </nav>
      {isDialogOpen ? <NewConversationDialog open onClose={() => setIsDialogOpen(false)} /> : null}
    </>
  );
}

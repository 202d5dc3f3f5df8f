"use client";

import dynamic from "next/dynamic";
import { useEffect, useState } from "react";

import { ConversationView } from "./conversation-view";

// Opened on demand: fetched on first opening rather than with the conversation.
const GroupDetailsPanel = dynamic(() => import("./group-details-panel").then((module) => module.GroupDetailsPanel));

/**
 * The conversation with its details panel: a column beside the messages on wide screens, a
 * slide-over from the right on narrower ones (Escape or the backdrop closes it).
 */
export function ConversationWithDetails({ conversationId }: { conversationId: string }) {
  const [isDetailsOpen, setIsDetailsOpen] = useState(false);

  useEffect(() => {
    if (!isDetailsOpen) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key === "Escape" && !event.defaultPrevented && !document.querySelector("dialog[open]")) setIsDetailsOpen(false);
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [isDetailsOpen]);

  return (
    <div className="flex h-full min-h-0">
      <div className="min-w-0 flex-1">
        <ConversationView conversationId={conversationId} onOpenDetails={() => setIsDetailsOpen((open) => !open)} />
      </div>
      {isDetailsOpen ? (
        <>
          <div className="fixed inset-0 z-30 bg-black/40 xl:hidden" aria-hidden="true" onClick={() => setIsDetailsOpen(false)} />
          <div className="fixed inset-y-0 right-0 z-40 w-[min(24rem,100vw)] border-l border-slate-200 shadow-2xl xl:static xl:z-auto xl:w-80 xl:shadow-none dark:border-slate-800">
            <GroupDetailsPanel conversationId={conversationId} onClose={() => setIsDetailsOpen(false)} />
          </div>
        </>
      ) : null}
    </div>
  );
}

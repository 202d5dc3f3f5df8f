"use client";

import { toast } from "sonner";

import { BellIcon, BellOffIcon } from "@/components/chat/icons";
import { errorText } from "@/components/contacts/use-contact-actions";
import { moveMenuFocus } from "@/components/ui/menu-focus";
import { usePopover } from "@/components/ui/use-popover";
import { useRequest } from "@/hooks/use-request";
import { MUTE_CHOICES, mutedText } from "@/lib/notifications/mute-text";
import type { MuteDuration } from "@/lib/realtime/protocol";
import { useChatStore } from "@/lib/stores/chat-store";

const itemClass =
  "block w-full px-3 py-2 text-left hover:bg-slate-100 focus-visible:bg-slate-100 focus-visible:outline-none dark:hover:bg-slate-800 dark:focus-visible:bg-slate-800";

/** The conversation header's mute control: a period, forever, or unmute. */
export function MuteMenu({ conversationId, mutedUntil, now }: { conversationId: string; mutedUntil: string | null; now: number }) {
  const call = useRequest();
  const { isOpen, id: menuId, containerRef, buttonRef, close, toggle } = usePopover({ focusFirst: '[role="menuitem"]' });
  const label = mutedUntil ? `Notifications: ${mutedText(mutedUntil, now)}` : "Mute notifications";

  async function choose(duration: MuteDuration) {
    close();
    try {
      // The server also tells the user's other tabs and devices (`conversation:muted`).
      useChatStore.getState().setConversationMute(await call("conversation:mute", { conversationId, duration }));
    } catch (caught) {
      toast.error(errorText(caught));
    }
  }

  return (
    <div className="relative" ref={containerRef}>
      <button
        ref={buttonRef}
        type="button"
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={isOpen}
        aria-controls={menuId}
        onClick={toggle}
        className="rounded-md p-2 text-slate-500 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-white"
      >
        {mutedUntil ? <BellOffIcon className="h-5 w-5" /> : <BellIcon className="h-5 w-5" />}
      </button>
      {isOpen ? (
        <div
          id={menuId}
          role="menu"
          aria-label="Mute conversation"
          onKeyDown={moveMenuFocus}
          className="absolute right-0 z-40 mt-2 w-48 rounded-lg border border-slate-200 bg-white py-1 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          {MUTE_CHOICES.map(({ duration, label: choice }) => (
            <button key={duration} type="button" role="menuitem" className={itemClass} onClick={() => void choose(duration)}>
              Mute {choice}
            </button>
          ))}
          {mutedUntil ? (
            <button type="button" role="menuitem" className={`${itemClass} border-t border-slate-200 dark:border-slate-700`} onClick={() => void choose("off")}>
              Unmute
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

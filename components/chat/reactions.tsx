"use client";

import { clsx } from "clsx";
import { memo, useEffect, useRef, type KeyboardEvent } from "react";

import type { ReactionDto } from "@/lib/realtime/protocol";
import { QUICK_REACTIONS } from "@/lib/realtime/protocol-constants";

type PickerProps = {
  onPick: (emoji: string) => void;
  onClose: () => void;
  className?: string;
};

/** The quick reactions as a small popover: arrows move, Enter picks, Escape or a click outside closes. */
export function ReactionPicker({ onPick, onClose, className }: PickerProps) {
  const ref = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const root = ref.current;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    root?.querySelector<HTMLButtonElement>("button")?.focus();
    const onPointerDown = (event: PointerEvent) => {
      // The parent holds the button that opened this: a press there toggles rather than closes-and-reopens.
      const container = root?.parentElement ?? root;
      if (container && !container.contains(event.target as Node)) onCloseRef.current();
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown);
      if (previous?.isConnected && root?.contains(document.activeElement)) previous.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === "Escape") {
      event.stopPropagation();
      onClose();
      return;
    }
    if (event.key !== "ArrowRight" && event.key !== "ArrowLeft") return;
    const buttons = Array.from(ref.current?.querySelectorAll<HTMLButtonElement>("button") ?? []);
    const index = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = buttons[(index + (event.key === "ArrowRight" ? 1 : -1) + buttons.length) % buttons.length];
    event.preventDefault();
    next?.focus();
  };

  return (
    <div
      ref={ref}
      role="group"
      aria-label="Pick a reaction"
      onKeyDown={onKeyDown}
      className={clsx(
        "z-20 flex gap-0.5 rounded-full border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900",
        className,
      )}
    >
      {QUICK_REACTIONS.map((emoji) => (
        <button
          key={emoji}
          type="button"
          aria-label={`React with ${emoji}`}
          onClick={() => onPick(emoji)}
          className="flex h-9 w-9 items-center justify-center rounded-full text-lg transition-transform hover:scale-110 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:bg-slate-800"
        >
          {emoji}
        </button>
      ))}
    </div>
  );
}

type RowProps = {
  reactions: readonly ReactionDto[];
  selfId: string | null;
  nameOf: (userId: string) => string | undefined;
  onToggle: (emoji: string, isOn: boolean) => void;
};

function whoReacted(userIds: readonly string[], selfId: string | null, nameOf: RowProps["nameOf"]): string {
  const names = userIds.map((id) => (id === selfId ? "You" : (nameOf(id) ?? "Former member")));
  return names.join(", ");
}

/** One button per emoji with its count; pressed when you reacted, which a click takes back. */
export const ReactionsRow = memo(function ReactionsRow({ reactions, selfId, nameOf, onToggle }: RowProps) {
  const visible = reactions.filter((reaction) => reaction.userIds.length > 0);
  if (visible.length === 0) return null;
  return (
    <ul className="mt-1 flex flex-wrap gap-1" aria-label="Reactions">
      {visible.map((reaction) => {
        const isMine = selfId !== null && reaction.userIds.includes(selfId);
        return (
          <li key={reaction.emoji}>
            <button
              type="button"
              aria-pressed={isMine}
              title={whoReacted(reaction.userIds, selfId, nameOf)}
              onClick={() => onToggle(reaction.emoji, !isMine)}
              className={clsx(
                "inline-flex h-7 items-center gap-1 rounded-full border px-2 text-sm tabular-nums transition-colors focus-visible:outline-2 focus-visible:outline-indigo-500",
                isMine
                  ? "border-indigo-300 bg-indigo-50 text-indigo-800 hover:bg-indigo-100 dark:border-indigo-500/60 dark:bg-indigo-500/20 dark:text-indigo-100"
                  : "border-slate-200 bg-white text-slate-700 hover:bg-slate-100 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-200 dark:hover:bg-slate-800",
              )}
            >
              <span>{reaction.emoji}</span>
              <span>{reaction.userIds.length}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
});

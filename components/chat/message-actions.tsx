"use client";

import { clsx } from "clsx";
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from "react";

import { ConfirmDialog } from "@/components/ui/dialog";
import { MoreIcon, PencilIcon, ReplyIcon, SmileIcon, TrashIcon } from "./icons";
import { ReactionPicker } from "./reactions";

type MessageActionsProps = {
  /** Own, undeleted text messages can be edited and deleted. */
  isOwn: boolean;
  onReply: () => void;
  onEdit: () => void;
  onDelete: () => Promise<boolean>;
  onReact: (emoji: string) => void;
};

const TOOL_BUTTON =
  "flex h-8 w-8 items-center justify-center rounded-md text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-slate-300 dark:hover:bg-slate-800 dark:hover:text-white";

function ToolButton({ label, title, onClick, children, ...rest }: { label: string; title: string; onClick: () => void; children: ReactNode; "aria-expanded"?: boolean; "aria-haspopup"?: "menu" | "true" }) {
  return (
    <button type="button" aria-label={label} title={title} onClick={onClick} className={TOOL_BUTTON} {...rest}>
      {children}
    </button>
  );
}

/**
 * A message's actions. With a mouse or keyboard: a toolbar that appears on hover and on focus.
 * On touch screens (no hover): one "More actions" button that opens the same actions as a menu.
 */
export function MessageActions({ isOwn, onReply, onEdit, onDelete, onReact }: MessageActionsProps) {
  const [popover, setPopover] = useState<"none" | "picker" | "menu">("none");
  const [placement, setPlacement] = useState<"up" | "down">("down");
  const wrapperRef = useRef<HTMLDivElement>(null);
  const [isConfirming, setIsConfirming] = useState(false);
  const [isDeleting, setIsDeleting] = useState(false);

  const close = () => setPopover("none");
  // Near the bottom of the window a popover opens upwards, so the scroller does not clip it.
  const open = (next: "picker" | "menu") => {
    const top = wrapperRef.current?.getBoundingClientRect().top ?? 0;
    setPlacement(top > window.innerHeight * 0.55 ? "up" : "down");
    setPopover(next);
  };
  const toggle = (next: "picker" | "menu") => (popover === next ? close() : open(next));
  const popoverPosition = placement === "up" ? "bottom-full mb-1" : "top-full mt-1";
  const confirmDelete = async () => {
    setIsDeleting(true);
    const isDeleted = await onDelete();
    setIsDeleting(false);
    if (isDeleted) setIsConfirming(false);
  };

  return (
    <div
      ref={wrapperRef}
      data-open={popover !== "none" ? "true" : undefined}
      className="absolute -top-4 right-2 z-10 opacity-0 transition-opacity group-focus-within:opacity-100 group-hover:opacity-100 data-[open=true]:z-20 data-[open=true]:opacity-100 pointer-coarse:right-1 pointer-coarse:top-1 pointer-coarse:opacity-100"
    >
      <div
        role="toolbar"
        aria-label="Actions"
        className="flex items-center gap-0.5 rounded-lg border border-slate-200 bg-white p-0.5 shadow-sm pointer-coarse:hidden dark:border-slate-700 dark:bg-slate-900"
      >
        <ToolButton label="React" title="Add reaction" aria-haspopup="true" aria-expanded={popover === "picker"} onClick={() => toggle("picker")}>
          <SmileIcon />
        </ToolButton>
        <ToolButton label="Reply" title="Reply" onClick={onReply}>
          <ReplyIcon />
        </ToolButton>
        {isOwn ? (
          <>
            <ToolButton label="Edit" title="Edit" onClick={onEdit}>
              <PencilIcon />
            </ToolButton>
            <ToolButton label="Delete" title="Delete" onClick={() => setIsConfirming(true)}>
              <TrashIcon />
            </ToolButton>
          </>
        ) : null}
      </div>
      <div className="hidden pointer-coarse:block">
        <button
          type="button"
          aria-label="More actions"
          aria-haspopup="menu"
          aria-expanded={popover === "menu"}
          onClick={() => toggle("menu")}
          className={clsx(TOOL_BUTTON, "text-slate-400 dark:text-slate-500")}
        >
          <MoreIcon />
        </button>
      </div>
      {popover === "picker" ? (
        <ReactionPicker
          className={clsx("absolute right-0", popoverPosition)}
          onClose={close}
          onPick={(emoji) => {
            close();
            onReact(emoji);
          }}
        />
      ) : null}
      {popover === "menu" ? (
        <ActionsMenu
          className={popoverPosition}
          onClose={close}
          items={[
            { label: "Reply", onSelect: onReply },
            { label: "React", onSelect: () => open("picker") },
            ...(isOwn
              ? [
                  { label: "Edit", onSelect: onEdit },
                  { label: "Delete", onSelect: () => setIsConfirming(true) },
                ]
              : []),
          ]}
        />
      ) : null}
      <ConfirmDialog
        open={isConfirming}
        title="Delete message?"
        description="It is removed for everyone in this conversation. This cannot be undone."
        confirmLabel="Delete"
        isBusy={isDeleting}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setIsConfirming(false)}
      />
    </div>
  );
}

type MenuItem = { label: string; onSelect: () => void };

function ActionsMenu({ items, onClose, className }: { items: MenuItem[]; onClose: () => void; className: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const root = ref.current;
    root?.querySelector<HTMLElement>('[role="menuitem"]')?.focus();
    const onPointerDown = (event: PointerEvent) => {
      // The parent holds the button that opened this: a press there toggles rather than closes-and-reopens.
      const container = root?.parentElement ?? root;
      if (container && !container.contains(event.target as Node)) onCloseRef.current();
    };
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key === "Escape") {
      event.stopPropagation();
      onClose();
      return;
    }
    if (event.key !== "ArrowDown" && event.key !== "ArrowUp") return;
    event.preventDefault();
    const entries = Array.from(ref.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? []);
    const index = entries.indexOf(document.activeElement as HTMLElement);
    entries[(index + (event.key === "ArrowDown" ? 1 : -1) + entries.length) % entries.length]?.focus();
  };

  return (
    <div
      ref={ref}
      role="menu"
      aria-label="Actions"
      onKeyDown={onKeyDown}
      className={clsx(className, "absolute right-0 z-20 min-w-40 rounded-lg border border-slate-200 bg-white py-1 shadow-lg dark:border-slate-700 dark:bg-slate-900")}
    >
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          onClick={() => {
            if (item.label !== "React") onClose();
            item.onSelect();
          }}
          className="block w-full px-4 py-2.5 text-left text-sm hover:bg-slate-100 focus-visible:bg-slate-100 focus-visible:outline-none dark:hover:bg-slate-800 dark:focus-visible:bg-slate-800"
        >
          {item.label}
        </button>
      ))}
    </div>
  );
}

"use client";

import { clsx } from "clsx";
import { useEffect, useId, useRef, type KeyboardEvent, type ReactNode } from "react";

import { Button } from "./button";

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

type DialogProps = {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  /** "alertdialog" for confirmations that interrupt the user. */
  role?: "dialog" | "alertdialog";
  size?: "sm" | "md" | "lg";
  className?: string;
};

const SIZES = { sm: "max-w-sm", md: "max-w-lg", lg: "max-w-2xl" } as const;

/**
 * A modal on the native `<dialog>`: `showModal()` puts it in the top layer and makes the rest of
 * the page inert; Tab wraps inside it; Escape and a click on the backdrop close it; focus returns
 * to where it was. Rendered only while open, so its state resets on every opening.
 */
export function Dialog(props: DialogProps) {
  return props.open ? <OpenDialog {...props} /> : null;
}

function OpenDialog({ onClose, title, description, children, role = "dialog", size = "md", className }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const onCloseRef = useRef(onClose);
  const isClosingRef = useRef(false);
  const bodyRef = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    onCloseRef.current = onClose;
  });

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    // An element marked data-autofocus, else the first control of the body, else the close button.
    // (React's autoFocus sets no attribute and fires before showModal, so it cannot be used here.)
    const preferred = dialog.querySelector<HTMLElement>("[data-autofocus]") ?? bodyRef.current?.querySelector<HTMLElement>(FOCUSABLE);
    (preferred ?? dialog.querySelector<HTMLElement>(FOCUSABLE))?.focus();
    return () => {
      isClosingRef.current = true; // our own close() below must not call onClose again
      if (dialog.open) dialog.close();
      if (previous?.isConnected) previous.focus();
    };
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLDialogElement>) => {
    const dialog = ref.current;
    // Events from a nested dialog bubble through this one: only handle our own.
    if (!dialog || event.key !== "Tab" || (event.target as HTMLElement).closest("dialog") !== dialog) return;
    const focusable = Array.from(dialog.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
      (element) => element.closest("dialog") === dialog && element.getClientRects().length > 0,
    );
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (event.shiftKey && document.activeElement === first) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && document.activeElement === last) {
      event.preventDefault();
      first.focus();
    }
  };

  return (
    <dialog
      ref={ref}
      role={role === "alertdialog" ? "alertdialog" : undefined}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      aria-modal="true"
      onKeyDown={onKeyDown}
      onCancel={(event) => {
        // Escape: React state decides whether the dialog is open, not the browser.
        event.preventDefault();
        onCloseRef.current();
      }}
      onClose={() => {
        if (!isClosingRef.current) onCloseRef.current(); // closed by the browser (Escape without a cancel event)
      }}
      onClick={(event) => {
        if (event.target === ref.current) onCloseRef.current(); // the backdrop is the dialog element itself
      }}
      className={clsx(
        "m-auto max-h-[min(90dvh,48rem)] w-[calc(100vw-1.5rem)] overflow-hidden rounded-xl border border-slate-200 bg-white p-0 text-slate-900 shadow-2xl backdrop:bg-slate-950/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100",
        SIZES[size],
        className,
      )}
    >
      <div className="flex max-h-[inherit] flex-col">
        <div className="flex items-start gap-3 border-b border-slate-200 px-5 py-4 dark:border-slate-800">
          <div className="min-w-0 flex-1">
            <h2 id={titleId} className="text-base font-semibold">
              {title}
            </h2>
            {description ? (
              <p id={descriptionId} className="mt-1 text-sm text-slate-600 dark:text-slate-400">
                {description}
              </p>
            ) : null}
          </div>
          <button
            type="button"
            aria-label="Close"
            onClick={() => onCloseRef.current()}
            className="-mr-2 -mt-1 rounded-md p-2 text-slate-500 hover:bg-slate-100 hover:text-slate-700 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:hover:bg-slate-800 dark:hover:text-slate-200"
          >
            <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4 fill-current">
              <path d="M5.3 4 4 5.3 8.7 10 4 14.7 5.3 16 10 11.3 14.7 16 16 14.7 11.3 10 16 5.3 14.7 4 10 8.7z" />
            </svg>
          </button>
        </div>
        <div ref={bodyRef} className="min-h-0 flex-1 overflow-y-auto px-5 py-4">
          {children}
        </div>
      </div>
    </dialog>
  );
}

type ConfirmDialogProps = {
  open: boolean;
  title: string;
  description: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  isBusy?: boolean;
  tone?: "danger" | "primary";
};

/** "Are you sure?" with Cancel focused first, so Enter never confirms a destructive action by accident. */
export function ConfirmDialog({ open, title, description, confirmLabel, onConfirm, onCancel, isBusy = false, tone = "danger" }: ConfirmDialogProps) {
  return (
    <Dialog open={open} onClose={onCancel} title={title} description={description} role="alertdialog" size="sm">
      <div className="flex justify-end gap-2">
        <Button variant="ghost" onClick={onCancel} data-autofocus>
          Cancel
        </Button>
        <button
          type="button"
          onClick={onConfirm}
          disabled={isBusy}
          aria-busy={isBusy || undefined}
          className={clsx(
            "inline-flex items-center justify-center rounded-md px-3 py-2 text-sm font-medium text-white focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-500 disabled:cursor-not-allowed disabled:opacity-70",
            tone === "danger" ? "bg-red-600 hover:bg-red-500" : "bg-indigo-600 hover:bg-indigo-500",
          )}
        >
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}

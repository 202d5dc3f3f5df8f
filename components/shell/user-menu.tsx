"use client";

import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";

import { CustomStatusDialog } from "@/components/presence/custom-status-dialog";
import { StatusDot } from "@/components/presence/status-dot";
import { StatusMenuSection } from "@/components/presence/status-menu-section";
import { STATUS_LABELS } from "@/components/presence/presence-format";
import { useOwnPresence } from "@/hooks/use-presence";
import { useSignOut } from "@/hooks/use-sign-out";

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? "")
    .join("");
}

/** Arrow keys, Home and End move between the menu's items (the ARIA menu pattern). */
function moveFocus(event: KeyboardEvent<HTMLDivElement>) {
  const keys = ["ArrowDown", "ArrowUp", "Home", "End"];
  if (!keys.includes(event.key)) return;
  const items = Array.from(event.currentTarget.querySelectorAll<HTMLElement>('[role^="menuitem"]'));
  if (items.length === 0) return;
  event.preventDefault();
  const index = items.indexOf(document.activeElement as HTMLElement);
  const next =
    event.key === "Home" ? 0 : event.key === "End" ? items.length - 1 : (index + (event.key === "ArrowDown" ? 1 : -1) + items.length) % items.length;
  items[next]?.focus();
}

export function UserMenu({ user }: { user: { name: string; email: string } }) {
  const [isOpen, setIsOpen] = useState(false);
  const [isCustomStatusOpen, setIsCustomStatusOpen] = useState(false);
  const [isSigningOut, setIsSigningOut] = useState(false);
  const signOut = useSignOut();
  const own = useOwnPresence();
  const menuId = useId();
  const statusId = useId();
  const containerRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const ownDot = own ? (own.mode === "invisible" ? "invisible" : own.status) : null;

  const closeMenu = () => {
    setIsOpen(false);
    // The focused item unmounts with the menu: focus goes back to the button, not to the page.
    buttonRef.current?.focus();
  };

  useEffect(() => {
    if (!isOpen) return;
    containerRef.current?.querySelector<HTMLElement>('[role^="menuitem"]')?.focus();
    const onPointerDown = (event: PointerEvent) => {
      if (!containerRef.current?.contains(event.target as Node)) setIsOpen(false);
    };
    const onKeyDown = (event: globalThis.KeyboardEvent) => {
      if (event.key === "Escape") {
        setIsOpen(false);
        buttonRef.current?.focus();
      }
    };
    document.addEventListener("pointerdown", onPointerDown);
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("pointerdown", onPointerDown);
      document.removeEventListener("keydown", onKeyDown);
    };
  }, [isOpen]);

  return (
    <div className="relative" ref={containerRef}>
      <button
        ref={buttonRef}
        type="button"
        aria-label="Account menu"
        aria-describedby={ownDot ? statusId : undefined}
        aria-haspopup="menu"
        aria-expanded={isOpen}
        aria-controls={menuId}
        onClick={() => setIsOpen((open) => !open)}
        className="relative flex h-9 w-9 items-center justify-center rounded-full bg-indigo-600 text-sm font-semibold text-white hover:bg-indigo-500"
      >
        <span aria-hidden="true">{initials(user.name) || "?"}</span>
        {ownDot ? (
          <>
            <StatusDot status={ownDot} size="sm" isDecorative className="absolute -bottom-0.5 -right-0.5" />
            <span id={statusId} className="sr-only">
              {ownDot === "invisible" ? "Invisible" : STATUS_LABELS[ownDot]}
            </span>
          </>
        ) : null}
      </button>
      {isOpen ? (
        <div
          id={menuId}
          role="menu"
          aria-label="Account"
          onKeyDown={moveFocus}
          className="absolute right-0 z-40 mt-2 w-60 rounded-lg border border-slate-200 bg-white py-1 text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <div className="border-b border-slate-200 px-3 py-2 dark:border-slate-700">
            <p className="truncate font-medium" data-testid="user-name">
              {user.name}
            </p>
            <p className="truncate text-xs text-slate-500">{user.email}</p>
          </div>
          <StatusMenuSection
            own={own}
            onDone={closeMenu}
            onEditCustom={() => {
              // Focus is on the button before the dialog opens, so the dialog returns it there.
              closeMenu();
              setIsCustomStatusOpen(true);
            }}
          />
          <button
            type="button"
            role="menuitem"
            disabled={isSigningOut}
            onClick={() => {
              setIsSigningOut(true);
              void signOut();
            }}
            className="block w-full px-3 py-2 text-left text-red-700 hover:bg-red-50 disabled:opacity-60 dark:text-red-400 dark:hover:bg-red-950"
          >
            {isSigningOut ? "Signing out…" : "Sign out"}
          </button>
        </div>
      ) : null}
      <CustomStatusDialog open={isCustomStatusOpen} own={own} onClose={() => setIsCustomStatusOpen(false)} />
    </div>
  );
}

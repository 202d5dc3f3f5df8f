"use client";

import dynamic from "next/dynamic";
import Link from "next/link";
import { useId, useState } from "react";

import { StatusDot } from "@/components/presence/status-dot";
import { StatusMenuSection } from "@/components/presence/status-menu-section";
import { STATUS_LABELS } from "@/components/presence/presence-format";
import { moveMenuFocus } from "@/components/ui/menu-focus";
import { usePopover } from "@/components/ui/use-popover";
import { useOwnPresence } from "@/hooks/use-presence";
import { useSignOut } from "@/hooks/use-sign-out";
import { useConnectionStore } from "@/lib/stores/connection-store";

// Opened rarely: fetched on first opening rather than with every page.
const AnnouncementDialog = dynamic(() => import("@/components/notifications/announcement-dialog").then((module) => module.AnnouncementDialog));
const CustomStatusDialog = dynamic(() => import("@/components/presence/custom-status-dialog").then((module) => module.CustomStatusDialog));

const ADMIN_ITEM =
  "block w-full px-3 py-2 text-left hover:bg-slate-100 focus-visible:bg-slate-100 focus-visible:outline-none dark:hover:bg-slate-800 dark:focus-visible:bg-slate-800";

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase() ?? "")
    .join("");
}

export function UserMenu({ user }: { user: { name: string; email: string } }) {
  const { isOpen, id: menuId, containerRef, buttonRef, close: closeMenu, toggle } = usePopover({ focusFirst: '[role^="menuitem"]' });
  const [isCustomStatusOpen, setIsCustomStatusOpen] = useState(false);
  const [isAnnouncementOpen, setIsAnnouncementOpen] = useState(false);
  // The role the server confirmed for this socket: only admins may announce or see match reports (the server checks too).
  const isAdmin = useConnectionStore((state) => state.user?.role === "admin");
  const [isSigningOut, setIsSigningOut] = useState(false);
  const signOut = useSignOut();
  const own = useOwnPresence();
  const statusId = useId();
  const ownDot = own ? (own.mode === "invisible" ? "invisible" : own.status) : null;

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
        onClick={toggle}
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
          onKeyDown={moveMenuFocus}
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
          {isAdmin ? (
            <div role="group" aria-label="Administration" className="border-b py-1 border-slate-200 dark:border-slate-700">
              <button
                type="button"
                role="menuitem"
                onClick={() => {
                  closeMenu();
                  setIsAnnouncementOpen(true);
                }}
                className={ADMIN_ITEM}
              >
                Send announcement
              </button>
              {/* A navigation: focus moves to the new page, not back to the menu button. */}
              <Link href="/admin" role="menuitem" onClick={() => closeMenu(false)} className={ADMIN_ITEM}>
                Admin dashboard
              </Link>
              <Link href="/admin/reports" role="menuitem" onClick={() => closeMenu(false)} className={ADMIN_ITEM}>
                Match reports
              </Link>
            </div>
          ) : null}
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
      {isCustomStatusOpen ? <CustomStatusDialog open own={own} onClose={() => setIsCustomStatusOpen(false)} /> : null}
      {isAnnouncementOpen ? <AnnouncementDialog open onClose={() => setIsAnnouncementOpen(false)} /> : null}
    </div>
  );
}

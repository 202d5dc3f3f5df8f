"use client";

import dynamic from "next/dynamic";
import { useState } from "react";

import { BellIcon } from "@/components/chat/icons";
import { ConfirmDialog } from "@/components/ui/dialog";
import { usePopover } from "@/components/ui/use-popover";
import { bellLabel } from "@/lib/notifications/notification-text";
import { selectUnreadCount, useNotificationStore } from "@/lib/stores/notification-store";
import { useNotificationActions } from "./use-notification-actions";

// The panel and the settings are fetched on first opening rather than with every page.
const NotificationPanel = dynamic(() => import("./notification-panel").then((module) => module.NotificationPanel));
const NotificationPreferencesDialog = dynamic(() => import("./notification-preferences-dialog").then((module) => module.NotificationPreferencesDialog));

/** The header's bell: the unread count (the same on every device) and the panel it opens. */
export function NotificationBell() {
  const unreadCount = useNotificationStore(selectUnreadCount);
  const { isOpen, id: panelId, containerRef, buttonRef, close, toggle } = usePopover();
  const [isSettingsOpen, setIsSettingsOpen] = useState(false);
  const [isConfirmingClear, setIsConfirmingClear] = useState(false);
  const actions = useNotificationActions();

  return (
    <div className="relative" ref={containerRef}>
      <button
        ref={buttonRef}
        type="button"
        data-testid="notification-bell"
        aria-label={bellLabel(unreadCount)}
        aria-expanded={isOpen}
        aria-controls={panelId}
        onClick={toggle}
        className="relative rounded-md p-2 text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-slate-300 dark:hover:bg-slate-800"
      >
        <BellIcon className="h-5 w-5" />
        {unreadCount > 0 ? (
          // The count is in the button's name; the badge is for the eyes.
          <span
            aria-hidden="true"
            data-testid="notification-badge"
            data-count={unreadCount}
            className="absolute -right-0.5 -top-0.5 min-w-4 rounded-full bg-red-600 px-1 text-center text-[10px] font-semibold leading-4 text-white"
          >
            {unreadCount > 99 ? "99+" : unreadCount}
          </span>
        ) : null}
      </button>
      {isOpen ? (
        <NotificationPanel
          id={panelId}
          onClose={() => close(false)}
          onOpenSettings={() => setIsSettingsOpen(true)}
          onClearAll={() => setIsConfirmingClear(true)}
        />
      ) : null}
      {isSettingsOpen ? <NotificationPreferencesDialog open onClose={() => setIsSettingsOpen(false)} /> : null}
      <ConfirmDialog
        open={isConfirmingClear}
        title="Clear all notifications?"
        description="They are deleted on every device. This cannot be undone."
        confirmLabel="Clear all"
        onCancel={() => setIsConfirmingClear(false)}
        onConfirm={() => {
          setIsConfirmingClear(false);
          void actions.clear();
        }}
      />
    </div>
  );
}

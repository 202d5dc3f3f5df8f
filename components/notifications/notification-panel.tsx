"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { toast } from "sonner";

import { SettingsIcon } from "@/components/chat/icons";
import { errorText } from "@/components/contacts/use-contact-actions";
import { useNow } from "@/hooks/use-now";
import { useSocket } from "@/hooks/use-socket";
import { notificationHref } from "@/lib/notifications/notification-text";
import { loadNotifications } from "@/lib/realtime/client/notification-sync";
import type { NotificationDto } from "@/lib/realtime/protocol";
import { selectNotificationList, useNotificationStore } from "@/lib/stores/notification-store";
import { DesktopPermissionButton } from "./desktop-permission-button";
import { NotificationRow } from "./notification-row";
import { useNotificationActions } from "./use-notification-actions";

type NotificationPanelProps = {
  id: string;
  onClose: () => void;
  onOpenSettings: () => void;
  onClearAll: () => void;
};

const headerButton =
  "rounded-md px-2 py-1 text-xs font-medium text-indigo-700 hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-indigo-500 disabled:cursor-not-allowed disabled:opacity-50 dark:text-indigo-300 dark:hover:bg-indigo-500/10";

/** The bell's panel: newest first, paged, each row opening its source. */
export function NotificationPanel({ id, onClose, onOpenSettings, onClearAll }: NotificationPanelProps) {
  const items = useNotificationStore(selectNotificationList);
  const unreadCount = useNotificationStore((state) => state.unreadCount);
  const isLoaded = useNotificationStore((state) => state.isLoaded);
  const hasMore = useNotificationStore((state) => state.hasMore);
  const socket = useSocket();
  const router = useRouter();
  const now = useNow(30_000);
  const actions = useNotificationActions();
  const [isLoadingMore, setIsLoadingMore] = useState(false);

  // The bridge loads the first page on connect; this covers a panel opened before that finished.
  useEffect(() => {
    if (socket && !useNotificationStore.getState().isLoaded) loadNotifications(socket, { append: false }).catch((caught: unknown) => toast.error(errorText(caught)));
  }, [socket]);

  async function loadMore() {
    if (!socket) return;
    setIsLoadingMore(true);
    try {
      await loadNotifications(socket, { append: true });
    } catch (caught) {
      toast.error(errorText(caught));
    }
    setIsLoadingMore(false);
  }

  function open(notification: NotificationDto) {
    if (!notification.readAt) void actions.markRead([notification.id]);
    const href = notificationHref(notification);
    if (!href) return;
    onClose();
    router.push(href);
  }

  return (
    <div
      id={id}
      role="dialog"
      aria-label="Notifications"
      className="absolute right-0 z-40 mt-2 flex max-h-[min(32rem,80dvh)] w-[min(24rem,calc(100vw-1.5rem))] flex-col rounded-lg border border-slate-200 bg-white text-sm shadow-lg dark:border-slate-700 dark:bg-slate-900"
    >
      <div className="flex items-center gap-1 border-b border-slate-200 px-3 py-2 dark:border-slate-700">
        <h2 className="flex-1 font-semibold">Notifications</h2>
        <button type="button" className={headerButton} disabled={unreadCount === 0} onClick={() => void actions.markAllRead()}>
          Mark all read
        </button>
        <button
          type="button"
          aria-label="Notification settings"
          title="Notification settings"
          onClick={onOpenSettings}
          className="rounded-md p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-slate-400 dark:hover:bg-slate-800 dark:hover:text-white"
        >
          <SettingsIcon className="h-4 w-4" />
        </button>
      </div>
      <div className="min-h-0 flex-1 overflow-y-auto pt-2">
        <DesktopPermissionButton />
        {!isLoaded && items.length === 0 ? (
          <p className="px-4 py-6 text-center text-slate-500 dark:text-slate-400" aria-busy="true">
            Loading…
          </p>
        ) : items.length === 0 ? (
          <p className="px-4 py-6 text-center text-slate-500 dark:text-slate-400" data-testid="notifications-empty">
            You are all caught up.
          </p>
        ) : (
          <ul aria-label="Notification list" className="space-y-0.5 px-1.5 pb-2">
            {items.map((notification) => (
              <NotificationRow
                key={notification.id}
                notification={notification}
                now={now}
                onOpen={open}
                onMarkRead={(itemId) => void actions.markRead([itemId])}
                onDelete={(itemId) => void actions.remove([itemId])}
              />
            ))}
          </ul>
        )}
        {hasMore ? (
          <div className="px-3 pb-3">
            <button type="button" className={`${headerButton} w-full py-1.5`} disabled={isLoadingMore} aria-busy={isLoadingMore || undefined} onClick={() => void loadMore()}>
              {isLoadingMore ? "Loading…" : "Load more"}
            </button>
          </div>
        ) : null}
      </div>
      {items.length > 0 ? (
        <div className="border-t border-slate-200 px-3 py-2 text-right dark:border-slate-700">
          <button
            type="button"
            onClick={onClearAll}
            className="rounded-md px-2 py-1 text-xs font-medium text-red-700 hover:bg-red-50 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-red-400 dark:hover:bg-red-950"
          >
            Clear all
          </button>
        </div>
      ) : null}
    </div>
  );
}

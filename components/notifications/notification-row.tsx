"use client";

import { clsx } from "clsx";

import { formatRelativeTime } from "@/components/chat/conversation-list-item";
import { BellIcon, CheckIcon, TrashIcon } from "@/components/chat/icons";
import { Avatar } from "@/components/ui/avatar";
import { notificationDetail, notificationText } from "@/lib/notifications/notification-text";
import type { NotificationDto } from "@/lib/realtime/protocol";

type NotificationRowProps = {
  notification: NotificationDto;
  now: number;
  onOpen: (notification: NotificationDto) => void;
  onMarkRead: (id: string) => void;
  onDelete: (id: string) => void;
};

const iconButton =
  "rounded-md p-1.5 text-slate-500 hover:bg-slate-200 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-indigo-500 dark:text-slate-400 dark:hover:bg-slate-700 dark:hover:text-white";

/** One notification: the whole text opens its source (and marks it read); read and delete beside it. */
export function NotificationRow({ notification, now, onOpen, onMarkRead, onDelete }: NotificationRowProps) {
  const isUnread = notification.readAt === null;
  const text = notificationText(notification);
  const detail = notificationDetail(notification);
  return (
    <li
      data-testid="notification-item"
      data-unread={isUnread}
      className={clsx("group flex items-start gap-1 rounded-lg px-2 py-1.5", isUnread ? "bg-indigo-50 dark:bg-indigo-500/10" : "hover:bg-slate-100 dark:hover:bg-slate-800/60")}
    >
      <button type="button" onClick={() => onOpen(notification)} className="flex min-w-0 flex-1 items-start gap-2.5 rounded-md p-1 text-left focus-visible:outline-2 focus-visible:outline-indigo-500">
        {notification.actor ? (
          <Avatar name={notification.actor.name} color={notification.actor.avatarColor} size="sm" />
        ) : (
          <span aria-hidden="true" className="flex h-7 w-7 shrink-0 items-center justify-center rounded-full bg-amber-100 text-amber-700 dark:bg-amber-500/20 dark:text-amber-300">
            <BellIcon className="h-4 w-4" />
          </span>
        )}
        <span className="flex min-w-0 flex-1 flex-col">
          {isUnread ? <span className="sr-only">Unread: </span> : null}
          <span className={clsx("break-words text-sm", isUnread ? "font-semibold" : "text-slate-700 dark:text-slate-300")}>{text}</span>
          {detail ? <span className="truncate text-xs text-slate-500 dark:text-slate-400">{detail}</span> : null}
          <time dateTime={notification.updatedAt} title={new Date(notification.updatedAt).toLocaleString()} className="text-xs text-slate-500 dark:text-slate-400">
            {formatRelativeTime(notification.updatedAt, now)}
          </time>
        </span>
        {isUnread ? <span aria-hidden="true" className="mt-1.5 h-2 w-2 shrink-0 rounded-full bg-indigo-600" /> : null}
      </button>
      <span className="flex shrink-0 flex-col">
        {isUnread ? (
          <button type="button" aria-label={`Mark as read: ${text}`} title="Mark as read" onClick={() => onMarkRead(notification.id)} className={iconButton}>
            <CheckIcon className="h-4 w-4" />
          </button>
        ) : null}
        <button type="button" aria-label={`Delete notification: ${text}`} title="Delete" onClick={() => onDelete(notification.id)} className={iconButton}>
          <TrashIcon className="h-4 w-4" />
        </button>
      </span>
    </li>
  );
}

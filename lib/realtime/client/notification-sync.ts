/**
 * Notification pages into the store: the first page after every (re)connect (what happened while
 * away, and what other devices read or deleted meanwhile), older pages on "Load more".
 */
import "client-only";

import { selectOldestCursor, useNotificationStore } from "@/lib/stores/notification-store";
import { request } from "./request";
import type { AppClientSocket } from "./socket-manager";

const store = () => useNotificationStore.getState();

export async function loadNotifications(socket: AppClientSocket, { append }: { append: boolean }): Promise<void> {
  const before = append ? selectOldestCursor(store()) : null;
  if (append && !before) return;
  const countVersion = store().countVersion;
  const page = await request(socket, "notifications:list", before ? { before } : {});
  store().applyPage(page, { append, countVersion });
}

/** Marks one notification read (a toast's or desktop notification's "Open"); the ack has the new count. */
export async function markNotificationRead(socket: AppClientSocket, id: string): Promise<void> {
  const { unreadCount } = await request(socket, "notifications:mark-read", { ids: [id] });
  store().markRead([id], unreadCount);
}

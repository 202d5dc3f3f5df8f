"use client";

import { useMemo } from "react";
import { toast } from "sonner";

import { errorText } from "@/components/contacts/use-contact-actions";
import { useRequest } from "@/hooks/use-request";
import { useNotificationStore } from "@/lib/stores/notification-store";

const store = () => useNotificationStore.getState();

/**
 * Mark read, delete, clear: each ack carries the new unread count and is applied at once (the
 * server tells the user's other tabs and devices with `notification:read|deleted`). A refusal or
 * timeout becomes a toast.
 */
export function useNotificationActions() {
  const call = useRequest();
  return useMemo(() => {
    const attempt = async (action: () => Promise<void>) => {
      try {
        await action();
      } catch (caught) {
        toast.error(errorText(caught));
      }
    };
    return {
      markRead: (ids: string[]) => attempt(async () => store().markRead(ids, (await call("notifications:mark-read", { ids })).unreadCount)),
      markAllRead: () => attempt(async () => store().markRead(null, (await call("notifications:mark-all-read", {})).unreadCount)),
      remove: (ids: string[]) => attempt(async () => store().remove(ids, (await call("notifications:delete", { ids })).unreadCount)),
      clear: () => attempt(async () => store().remove(null, (await call("notifications:clear", {})).unreadCount)),
    };
  }, [call]);
}

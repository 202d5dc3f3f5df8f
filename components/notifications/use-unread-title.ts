"use client";

import { useEffect } from "react";

import { titleWithCount } from "@/lib/notifications/notification-text";
import { selectUnreadCount, useNotificationStore } from "@/lib/stores/notification-store";

/**
 * "(3) Chat · Parley": the unread notification count in the tab's title, live. Next.js rewrites
 * the title on every navigation, so the prefix is re-applied whenever the <title> changes.
 */
export function useUnreadTitle(): void {
  const unreadCount = useNotificationStore(selectUnreadCount);

  useEffect(() => {
    const apply = () => {
      const next = titleWithCount(document.title, unreadCount);
      if (next !== document.title) document.title = next;
    };
    apply();
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { subtree: true, childList: true, characterData: true });
    return () => {
      observer.disconnect();
      document.title = titleWithCount(document.title, 0);
    };
  }, [unreadCount]);
}

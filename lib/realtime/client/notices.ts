/**
 * Toasts for what concerns the signed-in user but happens elsewhere. Since notifications exist,
 * every such toast comes from one `notification:upserted` (a mention, a contact request, being
 * added to a group, a message…), so nothing toasts twice. Called by the bridge; text only (sonner
 * renders strings as text, never as HTML). None while the user is in Do not disturb: the
 * notification is still stored and listed, only the interruption is dropped.
 */
import "client-only";
import { toast } from "sonner";

import { notificationHref, notificationText } from "@/lib/notifications/notification-text";
import type { NotificationDto } from "@/lib/realtime/protocol";
import { usePresenceStore } from "@/lib/stores/presence-store";
import { showDesktopNotification } from "./desktop-notifications";

type Navigate = (href: string) => void;

// The bridge lives outside React; the shell hands it the router so "Open" is a client-side
// navigation instead of a full reload. A full navigation is the fallback before that happens.
let navigate: Navigate = (href) => window.location.assign(href);

/** Registers the client-side navigation; returns a function restoring the fallback. */
export function setNoticeNavigator(next: Navigate): () => void {
  navigate = next;
  return () => {
    if (navigate === next) navigate = (href) => window.location.assign(href);
  };
}

/** Opens a notification's source through the registered navigation. */
export function openSource(href: string): void {
  navigate(href);
}

function isDoNotDisturb(): boolean {
  return usePresenceStore.getState().own?.mode === "dnd";
}

/** Whether the user is looking at this conversation right now (then a toast would only be noise). */
export function isConversationOpen(conversationId: string): boolean {
  return typeof window !== "undefined" && window.location.pathname === `/chat/${conversationId}`;
}

function isTabVisible(): boolean {
  return typeof document === "undefined" || document.visibilityState === "visible";
}

/** The source is on screen: its conversation, or the contacts page for contact requests. */
function isLookingAtSource(notification: NotificationDto, href: string | null): boolean {
  if (!isTabVisible()) return false;
  if (notification.conversationId && href?.startsWith("/chat/")) return isConversationOpen(notification.conversationId);
  return href !== null && !href.startsWith("/chat/") && typeof window !== "undefined" && window.location.pathname === href;
}

/**
 * A new or grown notification: a toast, and a desktop notification while the tab is hidden.
 * Opening either goes to the source and marks the notification read (`markRead`).
 */
export function noticeNotification(notification: NotificationDto, markRead: () => void = () => {}): void {
  // Do not disturb silences every notice (docs/ARCHITECTURE.md, "Presence"); the store still has it.
  if (notification.readAt || isDoNotDisturb()) return;
  const href = notificationHref(notification);
  if (isLookingAtSource(notification, href)) return;
  const text = notificationText(notification);
  const open = () => {
    markRead();
    if (href) navigate(href);
  };
  // A stable id makes a coalesced update or a repeated delivery replace the toast, not stack.
  toast(text, { id: `notification:${notification.id}`, ...(href ? { action: { label: "Open", onClick: open } } : {}) });
  if (!isTabVisible()) showDesktopNotification(notification.id, text, open);
}

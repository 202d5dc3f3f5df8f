/**
 * What a notification says and where it leads, in one place so the panel, the toast and the
 * desktop notification never disagree. Plain text only: callers render it as text, never as HTML.
 */
import type { NotificationDto } from "@/lib/realtime/protocol";

type Source = Pick<NotificationDto, "kind" | "actor" | "title" | "preview" | "count" | "conversationId" | "seq">;

const SOMEONE = "Someone";

function others(count: number): string {
  return count === 1 ? "1 other" : `${count} others`;
}

function inTitle(title: string | null): string {
  return title ? ` in ${title}` : "";
}

/** One sentence: "Ana: hello", "Ana mentioned you in Crew", "Ana and 2 others reacted 👍". */
export function notificationText(notification: Source): string {
  const actor = notification.actor?.name ?? SOMEONE;
  const { count, preview, title } = notification;
  switch (notification.kind) {
    case "message": {
      const more = count > 1 ? ` (+${count - 1} more)` : "";
      return `${actor}: ${preview || "sent an attachment"}${more}`;
    }
    case "mention":
      return `${actor} mentioned you${inTitle(title)}`;
    case "reply":
      return `${actor} replied to you${inTitle(title)}`;
    case "reaction": {
      // Coalesced reactions: the count is people (reactions), the actor the latest of them.
      const who = count > 1 ? `${actor} and ${others(count - 1)}` : actor;
      return `${who} reacted${preview ? ` ${preview}` : " to your message"}`;
    }
    case "friend_request":
      return `${actor} sent you a contact request`;
    case "friend_accepted":
      return `${actor} accepted your contact request`;
    case "added_to_group":
      return `${actor} added you to ${title ?? "a group"}`;
    case "missed_call":
      return count > 1 ? `${count} missed calls from ${actor}` : `Missed call from ${actor}`;
    case "announcement":
      return preview || title || "Announcement";
  }
}

/** A second line where the sentence leaves something out (a reply's or mention's text). */
export function notificationDetail(notification: Source): string | null {
  if (notification.kind === "reply" || notification.kind === "mention") return notification.preview || null;
  if (notification.kind === "message" && notification.title && notification.title !== notification.actor?.name) return notification.title;
  if (notification.kind === "announcement") return "Announcement";
  return null;
}

/** Where clicking it leads: the conversation at that message, the contacts page, or nowhere. */
export function notificationHref(notification: Source): string | null {
  switch (notification.kind) {
    case "friend_request":
    case "friend_accepted":
      return "/contacts";
    case "announcement":
      return null;
    default: {
      if (!notification.conversationId) return null;
      const path = `/chat/${encodeURIComponent(notification.conversationId)}`;
      return notification.seq ? `${path}?seq=${notification.seq}` : path;
    }
  }
}

// Any number of count prefixes, with or without their space: the browser trims a title that was
// only "(3) " (a page between titles) to "(3)", and a stricter pattern then stacked "(3) (3)".
const TITLE_COUNT = /^\(\d{1,6}\+?\)\s*/;

/** "(3) Chat · Parley": the unread count in front of whatever title the page has ("Parley" when it has none yet). */
export function titleWithCount(title: string, unreadCount: number): string {
  let bare = title;
  while (TITLE_COUNT.test(bare)) bare = bare.replace(TITLE_COUNT, "");
  if (unreadCount <= 0) return bare;
  return `(${unreadCount > 99 ? "99+" : unreadCount}) ${bare || "Parley"}`;
}

/** The bell's accessible name. */
export function bellLabel(unreadCount: number): string {
  return unreadCount > 0 ? `Notifications, ${unreadCount} unread` : "Notifications";
}

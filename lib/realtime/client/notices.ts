/**
 * Toasts for live events that concern the signed-in user but happen elsewhere: being added to a
 * conversation, contact requests, mentions. Called by the bridge; text only (sonner renders
 * strings as text, never as HTML). None while the user is in Do not disturb.
 */
import "client-only";
import { toast } from "sonner";

import type { ConversationDto, FriendRequestDto, MentionEventDto, PublicUserDto } from "@/lib/realtime/protocol";
import { useChatStore } from "@/lib/stores/chat-store";
import { usePresenceStore } from "@/lib/stores/presence-store";

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

function show(id: string, message: string, href: string): void {
  // Do not disturb silences every notice (docs/ARCHITECTURE.md, "Presence"); the events still reach the stores.
  if (usePresenceStore.getState().own?.mode === "dnd") return;
  // A stable id makes a repeated delivery (another tab's event, a resync) replace, not stack.
  toast(message, { id, action: { label: "Open", onClick: () => navigate(href) } });
}

export function noticeAddedToConversation(conversation: ConversationDto, addedBy: PublicUserDto): void {
  if (addedBy.id === useChatStore.getState().selfId) return;
  show(`added:${conversation.id}`, `${addedBy.name} added you to ${conversation.title}`, `/chat/${conversation.id}`);
}

export function noticeFriendRequest(request: FriendRequestDto): void {
  show(`request:${request.id}`, `${request.from.name} sent you a contact request`, "/contacts");
}

export function noticeFriendAccepted(request: FriendRequestDto): void {
  show(`accepted:${request.id}`, `${request.to.name} accepted your contact request`, "/contacts");
}

export function noticeMention(event: MentionEventDto): void {
  const conversation = useChatStore.getState().conversations[event.conversationId];
  const author = conversation?.members.find((member) => member.id === event.byUserId)?.name ?? "Someone";
  const where = conversation ? ` in ${conversation.title}` : "";
  show(`mention:${event.messageId}`, `${author} mentioned you${where}`, `/chat/${event.conversationId}?seq=${event.seq}`);
}

/** Whether the user is looking at this conversation right now (then a toast would only be noise). */
export function isConversationOpen(conversationId: string): boolean {
  return typeof window !== "undefined" && window.location.pathname === `/chat/${conversationId}`;
}

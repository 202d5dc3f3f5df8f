"use client";

import { useShallow } from "zustand/react/shallow";

import { selectConversationList, selectTotalUnread, useChatStore } from "@/lib/stores/chat-store";

/** The caller's conversations, latest activity first, with live unread counts (derived, never stored). */
export function useConversations() {
  const conversations = useChatStore(useShallow(selectConversationList));
  const readSeqByConversation = useChatStore((state) => state.readSeqByConversation);
  const isLoaded = useChatStore((state) => state.isListLoaded);
  const totalUnread = useChatStore(selectTotalUnread);
  const withUnread = conversations.map((conversation) => ({
    conversation,
    unreadCount: Math.max(0, conversation.lastSeq - (readSeqByConversation[conversation.id] ?? 0)),
  }));
  return { conversations: withUnread, isLoaded, totalUnread };
}

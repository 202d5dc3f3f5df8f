"use client";

import { activeMute } from "@/lib/notifications/mute-text";
import { useChatStore } from "@/lib/stores/chat-store";

/** Until when this conversation is muted for the signed-in user (part of the conversation as the server sent it). */
export function useMutedUntil(conversationId: string, now: number): string | null {
  return useChatStore((state) => activeMute(state.conversations[conversationId]?.mutedUntil ?? null, now));
}

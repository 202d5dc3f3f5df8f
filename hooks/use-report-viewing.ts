"use client";

import { useEffect } from "react";

import { setViewedConversation } from "@/lib/realtime/client/viewing";

/** While mounted, this conversation is the one the tab shows (for notifications, see viewing.ts). */
export function useReportViewing(conversationId: string): void {
  useEffect(() => {
    setViewedConversation(conversationId);
    return () => setViewedConversation(null);
  }, [conversationId]);
}

"use client";

import { useEffect, useState } from "react";

import { request } from "@/lib/realtime/client/request";
import { useChatStore } from "@/lib/stores/chat-store";
import { useConnectionStore } from "@/lib/stores/connection-store";
import { useSocket } from "./use-socket";

function isPageAttended(): boolean {
  return typeof document !== "undefined" && document.visibilityState === "visible" && document.hasFocus();
}

/** Marks the conversation read up to its newest message, but only while it is open, visible and focused. */
export function useMarkRead(conversationId: string, newestSeq: number | null) {
  const socket = useSocket();
  const isConnected = useConnectionStore((state) => state.status === "connected");
  const readSeq = useChatStore((state) => state.readSeqByConversation[conversationId] ?? 0);
  const [isAttended, setIsAttended] = useState(isPageAttended);

  useEffect(() => {
    const update = () => setIsAttended(isPageAttended());
    document.addEventListener("visibilitychange", update);
    window.addEventListener("focus", update);
    window.addEventListener("blur", update);
    return () => {
      document.removeEventListener("visibilitychange", update);
      window.removeEventListener("focus", update);
      window.removeEventListener("blur", update);
    };
  }, []);

  useEffect(() => {
    if (!socket || !isConnected || !isAttended || newestSeq === null || newestSeq <= readSeq) return;
    const timer = setTimeout(() => {
      request(socket, "chat:mark-read", { conversationId, seq: newestSeq })
        .then((update) => useChatStore.getState().applyReadUpdate(update))
        .catch(() => undefined);
    }, 150);
    return () => clearTimeout(timer);
  }, [socket, isConnected, isAttended, conversationId, newestSeq, readSeq]);
}

"use client";

import { useCallback } from "react";

import { discardMessage, enqueueMessage, retryMessage } from "@/lib/realtime/client/outbox";
import { useConnectionStore } from "@/lib/stores/connection-store";
import { useSocket } from "./use-socket";

/** Sends through the persistent outbox: "sending" at once, "failed, retry" on a permanent error. */
export function useSendMessage(conversationId: string) {
  const socket = useSocket();
  const userId = useConnectionStore((state) => state.user?.id ?? null);

  const send = useCallback(
    (body: string, options: { replyToId?: string; attachmentIds?: string[] } = {}) => {
      if (!userId) return Promise.resolve(null);
      return enqueueMessage(socket, { conversationId, userId, body, ...options });
    },
    [socket, conversationId, userId],
  );
  const retry = useCallback((clientMessageId: string) => retryMessage(socket, clientMessageId), [socket]);
  const discard = useCallback((clientMessageId: string) => discardMessage(clientMessageId), []);

  return { send, retry, discard };
}

"use client";

import { useCallback, useEffect, useRef, useState } from "react";

import { request, RequestError } from "@/lib/realtime/client/request";
import type { RealtimeError } from "@/lib/realtime/protocol";
import { selectConversation, selectMessages, selectOutbox, useChatStore } from "@/lib/stores/chat-store";
import { useConnectionStore } from "@/lib/stores/connection-store";
import { useSocket } from "./use-socket";

/**
 * One conversation's messages: loads the latest page when first opened (and after a reconnect
 * if nothing is loaded yet), pages older history on demand, and exposes the pending outbox rows.
 */
export function useConversation(conversationId: string) {
  const socket = useSocket();
  const conversation = useChatStore(selectConversation(conversationId));
  const messages = useChatStore(selectMessages(conversationId));
  const pending = useChatStore(selectOutbox(conversationId));
  const hasOlder = useChatStore((state) => state.hasOlderByConversation[conversationId] ?? true);
  const isConnected = useConnectionStore((state) => state.status === "connected");
  const [isLoadingOlder, setIsLoadingOlder] = useState(false);
  const [error, setError] = useState<RealtimeError | null>(null);
  const loadingRef = useRef(false);

  const hasMessages = messages.length > 0;
  useEffect(() => {
    if (!socket || !isConnected || hasMessages) return;
    let isCancelled = false;
    request(socket, "chat:history", { conversationId })
      .then((page) => {
        if (!isCancelled) useChatStore.getState().receiveMessages(conversationId, page.messages, { hasOlder: page.hasMore });
      })
      .catch((caught: unknown) => {
        if (!isCancelled && caught instanceof RequestError) setError(caught.error);
      });
    return () => {
      isCancelled = true;
    };
  }, [socket, isConnected, conversationId, hasMessages]);

  const loadOlder = useCallback(async () => {
    const first = useChatStore.getState().messagesByConversation[conversationId]?.[0];
    if (!socket || loadingRef.current || !first || first.seq <= 1) return;
    loadingRef.current = true;
    setIsLoadingOlder(true);
    try {
      const page = await request(socket, "chat:history", { conversationId, beforeSeq: first.seq });
      useChatStore.getState().receiveMessages(conversationId, page.messages, { hasOlder: page.hasMore });
    } catch (caught) {
      if (caught instanceof RequestError) setError(caught.error);
    } finally {
      loadingRef.current = false;
      setIsLoadingOlder(false);
    }
  }, [socket, conversationId]);

  /** Loads the page around a message (search result, reply jump) when it is not loaded yet. */
  const loadAround = useCallback(
    async (seq: number) => {
      const loaded = useChatStore.getState().messagesByConversation[conversationId] ?? [];
      if (!socket || loaded.some((message) => message.seq === seq)) return;
      const page = await request(socket, "chat:around", { conversationId, seq });
      useChatStore.getState().receiveMessages(conversationId, page.messages);
    },
    [socket, conversationId],
  );

  return { conversation, messages, pending, hasOlder: hasOlder && (messages[0]?.seq ?? 1) > 1, isLoadingOlder, loadOlder, loadAround, error };
}

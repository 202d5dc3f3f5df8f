"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { useShallow } from "zustand/react/shallow";

import { TYPING_EXPIRE_MS, TYPING_THROTTLE_MS } from "@/lib/realtime/protocol-constants";
import { selectTypingUsers, useChatStore } from "@/lib/stores/chat-store";
import { useSocket } from "./use-socket";

/**
 * The composer's side: at most one "typing" emit every 2 s while keys are pressed, and a "stopped"
 * emit 3 s after the last keystroke or on send. Volatile: a lost one costs nothing.
 */
export function useTypingEmitter(conversationId: string) {
  const socket = useSocket();
  const lastSentAt = useRef(0);
  const stopTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const stop = useCallback(() => {
    if (stopTimer.current) clearTimeout(stopTimer.current);
    stopTimer.current = null;
    if (lastSentAt.current === 0) return;
    lastSentAt.current = 0;
    socket?.volatile.emit("chat:typing", { conversationId, isTyping: false });
  }, [socket, conversationId]);

  const onKeystroke = useCallback(() => {
    const now = Date.now();
    if (now - lastSentAt.current >= TYPING_THROTTLE_MS) {
      lastSentAt.current = now;
      socket?.volatile.emit("chat:typing", { conversationId, isTyping: true });
    }
    if (stopTimer.current) clearTimeout(stopTimer.current);
    stopTimer.current = setTimeout(stop, TYPING_EXPIRE_MS);
  }, [socket, conversationId, stop]);

  useEffect(() => stop, [stop]);
  return { onKeystroke, onSend: stop };
}

/** "A is typing", "A and B are typing", "Several people are typing", or null. */
export function describeTyping(names: string[]): string | null {
  if (names.length === 0) return null;
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return "Several people are typing…";
}

/** The readers' side: who is typing now (entries expire 3 s after the last signal). */
export function useTypingText(conversationId: string, nameOf: (userId: string) => string): string | null {
  const typing = useChatStore(useShallow(selectTypingUsers(conversationId)));
  const [now, setNow] = useState(() => Date.now());
  const active = Object.entries(typing).filter(([, expiresAt]) => expiresAt > now);
  useEffect(() => {
    if (Object.keys(typing).length === 0) return;
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [typing]);
  return describeTyping(active.map(([userId]) => nameOf(userId)));
}

"use client";

import { useCallback } from "react";

import { request, type DataOf, type InputOf, type RequestEvent } from "@/lib/realtime/client/request";
import { useSocket } from "./use-socket";

/**
 * Typed request/ack calls for components: `const call = useRequest(); await call("chat:edit", {...})`.
 * Rejects with RequestError (`error.error` is `{ code, message }`) when the server refuses or times out.
 */
export function useRequest() {
  const socket = useSocket();
  return useCallback(
    <E extends RequestEvent>(event: E, input: InputOf<E>): Promise<DataOf<E>> => {
      if (!socket) return Promise.reject(new Error("Not connected yet."));
      return request(socket, event, input);
    },
    [socket],
  );
}

/**
 * Owns the one browser socket per tab. Consumers acquire/release; the connection opens on the
 * first acquire and closes DISCONNECT_GRACE_MS after the last release, so StrictMode double
 * mounts and route changes never reconnect. The bridge is bound once per socket, never per component.
 */
import "client-only";
import { io, type Socket } from "socket.io-client";

import type { ClientToServerEvents, ServerToClientEvents } from "@/lib/realtime/protocol";
import { resetRealtimeStores } from "@/lib/stores/reset-stores";
import { activityForHandshake } from "./activity";
import { bindRealtimeBridge } from "./bridge";
import { fetchSocketToken } from "./token";

export type AppClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>; // reversed vs server

export const DISCONNECT_GRACE_MS = 2_000;

export type SocketManager = {
  acquire: () => AppClientSocket;
  release: () => void;
  /** Sign-out: drop the socket and every store so the next identity starts clean. */
  destroy: () => void;
  current: () => AppClientSocket | null;
  refCount: () => number;
};

export type SocketManagerOptions = {
  createSocket: () => AppClientSocket;
  bind: (socket: AppClientSocket) => () => void;
  onDestroy?: () => void;
  graceMs?: number;
};

export function createSocketManager(options: SocketManagerOptions): SocketManager {
  const graceMs = options.graceMs ?? DISCONNECT_GRACE_MS;
  let socket: AppClientSocket | null = null;
  let unbind: (() => void) | null = null;
  let count = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const clearTimer = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };

  return {
    acquire() {
      clearTimer();
      if (!socket) {
        socket = options.createSocket();
        unbind = options.bind(socket);
      }
      count += 1;
      if (!socket.connected && !socket.active) socket.connect();
      return socket;
    },
    release() {
      if (count === 0) return;
      count -= 1;
      if (count > 0) return;
      clearTimer();
      timer = setTimeout(() => {
        timer = null;
        if (count === 0) socket?.disconnect();
      }, graceMs);
    },
    destroy() {
      clearTimer();
      unbind?.();
      socket?.disconnect();
      socket = null;
      unbind = null;
      count = 0;
      options.onDestroy?.();
    },
    current: () => socket,
    refCount: () => count,
  };
}

let socketUrl: string | null = null;
let lastUserId: string | null = null;

/** Where the realtime server lives when it is not this page's origin (preview deploys). */
export function configureSocketUrl(url: string | null): void {
  socketUrl = url;
}

function createBrowserSocket(): AppClientSocket {
  return io(socketUrl ?? undefined, {
    autoConnect: false,
    transports: ["websocket", "polling"],
    // reconnect.ts owns every retry (backoff with jitter, next-try time, resume on online/visible).
    reconnection: false,
    // A function, so every (re)connect carries a fresh short-lived token and the tab's activity now.
    auth: (callback) => {
      void fetchSocketToken().then((outcome) => {
        if (outcome.kind !== "ok") return callback({});
        if (lastUserId !== null && lastUserId !== outcome.userId) resetRealtimeStores();
        lastUserId = outcome.userId;
        callback({ token: outcome.token, activity: activityForHandshake() });
      });
    },
  });
}

export const socketManager: SocketManager = createSocketManager({
  createSocket: createBrowserSocket,
  bind: bindRealtimeBridge,
  onDestroy: () => {
    lastUserId = null;
    resetRealtimeStores();
  },
});

/**
 * Who is connected right now, per process. Behind an interface so a shared store (Redis) can
 * replace the memory one; memory starts empty after a restart, so nobody stale is online.
 */
import type { PresenceMode, PresenceStatus } from "@/lib/realtime/protocol";

export type SocketActivity = { isIdle: boolean; isHidden: boolean };
/** Connection-derived status, before the user's chosen mode is applied. */
export type ConnectionStatus = "online" | "away" | "offline";

export interface PresenceState {
  addSocket(userId: string, socketId: string): void;
  /** Returns how many sockets the user still has. The user lingers (still connected) until `expire`. */
  removeSocket(userId: string, socketId: string): number;
  setActivity(userId: string, socketId: string, activity: SocketActivity): void;
  /** Drops a lingering user with no sockets; true if the user is now offline. */
  expire(userId: string): boolean;
  connectionOf(userId: string): ConnectionStatus;
}

/** Away only when every open socket is idle or hidden; a user without sockets keeps the last status. */
export function connectionFromSockets(sockets: readonly SocketActivity[], previous: ConnectionStatus): ConnectionStatus {
  if (sockets.length === 0) return previous;
  return sockets.every((socket) => socket.isIdle || socket.isHidden) ? "away" : "online";
}

/** What everyone else sees: invisible looks exactly like offline, DND wins over online/away. */
export function visibleStatus(mode: PresenceMode, connection: ConnectionStatus): PresenceStatus {
  if (connection === "offline" || mode === "invisible") return "offline";
  if (mode === "dnd") return "dnd";
  return connection;
}

type Entry = { sockets: Map<string, SocketActivity>; last: ConnectionStatus };

export function createMemoryPresenceState(): PresenceState {
  const users = new Map<string, Entry>();
  const refresh = (entry: Entry) => {
    entry.last = connectionFromSockets([...entry.sockets.values()], entry.last);
  };
  return {
    addSocket(userId, socketId) {
      const entry = users.get(userId) ?? { sockets: new Map(), last: "online" };
      entry.sockets.set(socketId, { isIdle: false, isHidden: false });
      refresh(entry);
      users.set(userId, entry);
    },
    removeSocket(userId, socketId) {
      const entry = users.get(userId);
      if (!entry) return 0;
      entry.sockets.delete(socketId);
      refresh(entry);
      return entry.sockets.size;
    },
    setActivity(userId, socketId, activity) {
      const entry = users.get(userId);
      if (!entry?.sockets.has(socketId)) return;
      entry.sockets.set(socketId, { isIdle: activity.isIdle, isHidden: activity.isHidden });
      refresh(entry);
    },
    expire(userId) {
      const entry = users.get(userId);
      if (!entry) return true;
      if (entry.sockets.size > 0) return false;
      users.delete(userId);
      return true;
    },
    connectionOf(userId) {
      return users.get(userId)?.last ?? "offline";
    },
  };
}

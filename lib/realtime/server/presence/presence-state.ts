/**
 * Who is connected right now. Behind an interface so a shared store (Redis, see
 * redis-presence-state.ts) can replace the memory one; memory starts empty after a restart, so
 * nobody stale is online. Every method is async because the shared store is; each change is atomic.
 */
import { exposeCount } from "@/lib/ops/debug-counts";
import type { PresenceMode, PresenceStatus } from "@/lib/realtime/protocol";

export type SocketActivity = { isIdle: boolean; isHidden: boolean };
/** Connection-derived status, before the user's chosen mode is applied. */
export type ConnectionStatus = "online" | "away" | "offline";

/**
 * `epoch` counts the user's connects. A grace timer started when the last socket closed passes it
 * to `expire`, so a timer that outlived a reconnect (possibly on another process) decides nothing.
 */
export type RemoveResult = { remaining: number; epoch: number; changed: boolean };

/** A socket that has not reported its activity counts as active and visible. */
export const ACTIVE: SocketActivity = { isIdle: false, isHidden: false };

/**
 * The changes return whether the user's connection status changed with them (decided atomically,
 * so of two processes changing one user at once each learns whether its own change mattered):
 * only then is there something new to announce.
 */
export interface PresenceState {
  /** `activity`: what the client reported in its handshake, so a background tab never looks active for a moment. */
  addSocket(userId: string, socketId: string, activity?: SocketActivity): Promise<boolean>;
  /** Idempotent. The user lingers (still connected, last status) until `expire`. */
  removeSocket(userId: string, socketId: string): Promise<RemoveResult>;
  /** Ignored (false) for a socket the state does not hold. */
  setActivity(userId: string, socketId: string, activity: SocketActivity): Promise<boolean>;
  /**
   * Drops a lingering user: true if the user is now offline; false while a socket is open or when a
   * connect happened after the removal that returned `epoch`.
   */
  expire(userId: string, epoch: number): Promise<boolean>;
  connectionOf(userId: string): Promise<ConnectionStatus>;
  /** The ids of the user's open sockets, on every process (the handshake's socket cap counts them). */
  socketsOf(userId: string): Promise<string[]>;
  /** One read for many users (snapshots); every requested id is in the map. */
  connectionsOf(userIds: readonly string[]): Promise<Map<string, ConnectionStatus>>;
  /**
   * Records `key` as the user's latest announcement: true if it differs from the previous one (so
   * it should be emitted). Shared, because every process announces the same user. Not kept for
   * long: memory keeps it while the user is connected or lingering, Redis for a day; a forgotten
   * key only costs one repeated, identical emit.
   */
  markAnnounced(userId: string, key: string): Promise<boolean>;
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

type Entry = { sockets: Map<string, SocketActivity>; last: ConnectionStatus; epoch: number };

export function createMemoryPresenceState(): PresenceState {
  const users = new Map<string, Entry>();
  const announced = new Map<string, string>();
  exposeCount("presence.users", () => users.size);
  exposeCount("presence.announced", () => announced.size);
  /** Recomputes the status: true if it changed from `before`. */
  const refresh = (entry: Entry, before: ConnectionStatus) => {
    entry.last = connectionFromSockets([...entry.sockets.values()], entry.last);
    return entry.last !== before;
  };
  const connectionOf = (userId: string): ConnectionStatus => users.get(userId)?.last ?? "offline";
  return {
    async addSocket(userId, socketId, activity = ACTIVE) {
      const before = connectionOf(userId);
      const entry = users.get(userId) ?? { sockets: new Map(), last: "online", epoch: 0 };
      entry.sockets.set(socketId, { isIdle: activity.isIdle, isHidden: activity.isHidden });
      entry.epoch += 1;
      users.set(userId, entry);
      return refresh(entry, before);
    },
    async removeSocket(userId, socketId) {
      const entry = users.get(userId);
      if (!entry) return { remaining: 0, epoch: 0, changed: false };
      entry.sockets.delete(socketId);
      const changed = refresh(entry, entry.last);
      return { remaining: entry.sockets.size, epoch: entry.epoch, changed };
    },
    async setActivity(userId, socketId, activity) {
      const entry = users.get(userId);
      if (!entry?.sockets.has(socketId)) return false;
      entry.sockets.set(socketId, { isIdle: activity.isIdle, isHidden: activity.isHidden });
      return refresh(entry, entry.last);
    },
    async expire(userId, epoch) {
      const entry = users.get(userId);
      if (!entry) return true;
      if (entry.sockets.size > 0 || entry.epoch !== epoch) return false;
      users.delete(userId);
      announced.delete(userId);
      return true;
    },
    async connectionOf(userId) {
      return connectionOf(userId);
    },
    async socketsOf(userId) {
      return [...(users.get(userId)?.sockets.keys() ?? [])];
    },
    async connectionsOf(userIds) {
      return new Map(userIds.map((userId) => [userId, connectionOf(userId)]));
    },
    async markAnnounced(userId, key) {
      if (announced.get(userId) === key) return false;
      // Only for users held here: kept for offline users too, it would grow by every user who ever
      // connected, for the life of the process (found by test/reliability/memory.integration.test.ts).
      if (users.has(userId)) announced.set(userId, key);
      else announced.delete(userId);
      return true;
    },
  };
}

let state: PresenceState = createMemoryPresenceState();

/** The process-wide state: memory by default, Redis when installed at startup (shared-state-presence.ts). */
export function getPresenceState(): PresenceState {
  return state;
}

export function setPresenceState(next: PresenceState): void {
  state = next;
}

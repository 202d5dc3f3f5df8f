/**
 * Which conversation each socket shows right now (open and visible). Behind an interface so a
 * shared store (Redis, redis-viewing-state.ts) can replace the memory one, like presence-state.ts.
 * Memory starts empty after a restart; clients report again after every connect.
 */
import { exposeCount } from "@/lib/ops/debug-counts";

export interface ViewingState {
  /** `conversationId` null: this socket shows no conversation (another page, or the tab is hidden). */
  set(userId: string, socketId: string, conversationId: string | null): Promise<void>;
  /** The socket closed. Idempotent. */
  remove(userId: string, socketId: string): Promise<void>;
  /** True if any socket of the user shows the conversation. */
  isViewing(userId: string, conversationId: string): Promise<boolean>;
  /** Which of `userIds` have a socket showing the conversation: one read for a whole room. */
  viewersAmong(userIds: readonly string[], conversationId: string): Promise<Set<string>>;
}

export function createMemoryViewingState(): ViewingState {
  /** userId → socketId → conversationId. Only sockets that show a conversation are kept. */
  const users = new Map<string, Map<string, string>>();
  exposeCount("viewing.users", () => users.size);
  const remove = (userId: string, socketId: string) => {
    const sockets = users.get(userId);
    if (!sockets) return;
    sockets.delete(socketId);
    if (sockets.size === 0) users.delete(userId);
  };
  const isViewing = (userId: string, conversationId: string) => {
    const sockets = users.get(userId);
    if (!sockets) return false;
    for (const shown of sockets.values()) if (shown === conversationId) return true;
    return false;
  };
  return {
    async set(userId, socketId, conversationId) {
      if (conversationId === null) return remove(userId, socketId);
      const sockets = users.get(userId) ?? new Map<string, string>();
      sockets.set(socketId, conversationId);
      users.set(userId, sockets);
    },
    async remove(userId, socketId) {
      remove(userId, socketId);
    },
    async isViewing(userId, conversationId) {
      return isViewing(userId, conversationId);
    },
    async viewersAmong(userIds, conversationId) {
      return new Set(userIds.filter((userId) => isViewing(userId, conversationId)));
    },
  };
}

let state: ViewingState = createMemoryViewingState();

/** The process-wide state shared by the handlers that record it and the notifier that reads it. */
export function getViewingState(): ViewingState {
  return state;
}

/** Tests and the shared store (shared-state-presence.ts) swap it here. */
export function setViewingState(next: ViewingState): void {
  state = next;
}

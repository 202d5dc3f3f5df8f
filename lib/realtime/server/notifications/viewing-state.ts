/**
 * Which conversation each socket shows right now (open and visible), per process. Behind an
 * interface so a shared store (Redis) can replace the memory one, like presence-state.ts. Memory
 * starts empty after a restart; clients report again after every connect.
 */
export interface ViewingState {
  /** `conversationId` null: this socket shows no conversation (another page, or the tab is hidden). */
  set(userId: string, socketId: string, conversationId: string | null): void;
  /** The socket closed. */
  remove(userId: string, socketId: string): void;
  /** True if any socket of the user shows the conversation. */
  isViewing(userId: string, conversationId: string): boolean;
}

export function createMemoryViewingState(): ViewingState {
  /** userId → socketId → conversationId. Only sockets that show a conversation are kept. */
  const users = new Map<string, Map<string, string>>();
  const remove = (userId: string, socketId: string) => {
    const sockets = users.get(userId);
    if (!sockets) return;
    sockets.delete(socketId);
    if (sockets.size === 0) users.delete(userId);
  };
  return {
    set(userId, socketId, conversationId) {
      if (conversationId === null) return remove(userId, socketId);
      const sockets = users.get(userId) ?? new Map<string, string>();
      sockets.set(socketId, conversationId);
      users.set(userId, sockets);
    },
    remove,
    isViewing(userId, conversationId) {
      const sockets = users.get(userId);
      if (!sockets) return false;
      for (const shown of sockets.values()) if (shown === conversationId) return true;
      return false;
    },
  };
}

let state: ViewingState = createMemoryViewingState();

/** The process-wide state shared by the handlers that record it and the notifier that reads it. */
export function getViewingState(): ViewingState {
  return state;
}

/** Tests and a future shared store swap it here. */
export function setViewingState(next: ViewingState): void {
  state = next;
}

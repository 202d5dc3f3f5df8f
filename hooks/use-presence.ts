"use client";

import { useMemo } from "react";

import type { OwnPresenceDto, PresenceDto, PresenceStatus } from "@/lib/realtime/protocol";
import { usePresenceStore } from "@/lib/stores/presence-store";

/** The status others see for the signed-in user: invisible looks offline to everyone else. */
export function ownVisibleStatus(own: OwnPresenceDto): PresenceStatus {
  return own.mode === "invisible" ? "offline" : own.status;
}

/**
 * What the signed-in user may know of someone's presence, or null when it is not known: people
 * outside one's audience (no shared conversation, not a contact) never arrive, and nobody does
 * before the connect snapshot. The UI then shows nothing rather than a guessed "Offline".
 * One's own entry (a note to self) is built from `own`, as others see it.
 */
export function usePresence(userId: string | null | undefined): PresenceDto | null {
  const own = usePresenceStore((state) => (userId && state.own?.userId === userId ? state.own : null));
  const other = usePresenceStore((state) => (userId ? (state.presenceByUser[userId] ?? null) : null));
  // Built outside the selector: a selector returning a new object on every call would loop.
  return useMemo(() => (own ? { ...own, status: ownVisibleStatus(own) } : other), [own, other]);
}

/** The signed-in user's own status: mode, custom status and expiry (null until the server sent it). */
export function useOwnPresence(): OwnPresenceDto | null {
  return usePresenceStore((state) => state.own);
}

/** How many of these users are connected (online, away or busy), the signed-in user included. */
export function useConnectedCount(userIds: readonly string[]): number {
  // A number is a stable selector result: the caller re-renders only when the count changes.
  return usePresenceStore((state) =>
    userIds.reduce((count, userId) => {
      const status = state.own?.userId === userId ? ownVisibleStatus(state.own) : state.presenceByUser[userId]?.status;
      return status && status !== "offline" ? count + 1 : count;
    }, 0),
  );
}

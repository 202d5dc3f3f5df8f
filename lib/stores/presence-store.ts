import "client-only";
import { create } from "zustand";

import type { OwnPresenceDto, PresenceDto, PresenceStatus } from "@/lib/realtime/protocol";

export type { PresenceStatus };

export type PresenceState = {
  statusByUser: Record<string, PresenceStatus>;
  presenceByUser: Record<string, PresenceDto>;
  /** The signed-in user's own status (mode, custom text, expiry). */
  own: OwnPresenceDto | null;
};
export type PresenceActions = {
  replaceAll: (statusByUser: Record<string, PresenceStatus>) => void;
  setStatus: (userId: string, status: PresenceStatus) => void;
  /** The connect snapshot: replaces everything the user may see. */
  replaceSnapshot: (presences: PresenceDto[]) => void;
  upsertPresence: (presence: PresenceDto) => void;
  setOwn: (own: OwnPresenceDto) => void;
  reset: () => void;
};
export type PresenceStore = PresenceState & PresenceActions;

export const initialPresenceState: PresenceState = { statusByUser: {}, presenceByUser: {}, own: null };

export const usePresenceStore = create<PresenceStore>()((set) => ({
  ...initialPresenceState,
  replaceAll: (statusByUser) => set({ statusByUser }),
  setStatus: (userId, status) =>
    set((state) => (state.statusByUser[userId] === status ? state : { statusByUser: { ...state.statusByUser, [userId]: status } })),
  replaceSnapshot: (presences) =>
    set({
      presenceByUser: Object.fromEntries(presences.map((presence) => [presence.userId, presence])),
      statusByUser: Object.fromEntries(presences.map((presence) => [presence.userId, presence.status])),
    }),
  upsertPresence: (presence) =>
    set((state) => ({
      presenceByUser: { ...state.presenceByUser, [presence.userId]: presence },
      statusByUser: { ...state.statusByUser, [presence.userId]: presence.status },
    })),
  setOwn: (own) => set({ own }),
  reset: () => set(initialPresenceState),
}));

export const selectPresenceOf = (userId: string) => (state: PresenceStore): PresenceStatus => state.statusByUser[userId] ?? "offline";
export const selectPresenceDtoOf = (userId: string) => (state: PresenceStore): PresenceDto | null => state.presenceByUser[userId] ?? null;

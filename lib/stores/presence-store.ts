import "client-only";
import { create } from "zustand";

export type PresenceStatus = "online" | "away" | "dnd" | "offline";

export type PresenceState = { statusByUser: Record<string, PresenceStatus> };
export type PresenceActions = {
  replaceAll: (statusByUser: Record<string, PresenceStatus>) => void;
  setStatus: (userId: string, status: PresenceStatus) => void;
  reset: () => void;
};
export type PresenceStore = PresenceState & PresenceActions;

export const initialPresenceState: PresenceState = { statusByUser: {} };

export const usePresenceStore = create<PresenceStore>()((set) => ({
  ...initialPresenceState,
  replaceAll: (statusByUser) => set({ statusByUser }),
  setStatus: (userId, status) =>
    set((state) => (state.statusByUser[userId] === status ? state : { statusByUser: { ...state.statusByUser, [userId]: status } })),
  reset: () => set(initialPresenceState),
}));

export const selectPresenceOf = (userId: string) => (state: PresenceStore): PresenceStatus => state.statusByUser[userId] ?? "offline";

import "client-only";
import { create } from "zustand";

export type NotificationItem = { id: string; title: string; createdAt: string; readAt: string | null };

export type NotificationState = { items: NotificationItem[]; unreadCount: number };
export type NotificationActions = {
  add: (item: NotificationItem) => void;
  setUnreadCount: (count: number) => void;
  reset: () => void;
};
export type NotificationStore = NotificationState & NotificationActions;

export const initialNotificationState: NotificationState = { items: [], unreadCount: 0 };

export const useNotificationStore = create<NotificationStore>()((set) => ({
  ...initialNotificationState,
  add: (item) =>
    set((state) => {
      if (state.items.some((existing) => existing.id === item.id)) return state;
      return { items: [item, ...state.items], unreadCount: state.unreadCount + (item.readAt ? 0 : 1) };
    }),
  setUnreadCount: (count) => set({ unreadCount: Math.max(0, count) }),
  reset: () => set(initialNotificationState),
}));

export const selectUnreadCount = (state: NotificationStore) => state.unreadCount;

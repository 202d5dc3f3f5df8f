import "client-only";
import { create } from "zustand";

import type { NotificationDto, NotificationKind, NotificationPageDto } from "@/lib/realtime/protocol";

export type NotificationState = {
  byId: Record<string, NotificationDto>;
  /** Ids, newest `updatedAt` first (a coalesced notification that grows moves to the top). */
  order: string[];
  /** The server's number, never counted here: every event and ack carries the new total. */
  unreadCount: number;
  /** Bumped by every count the server pushes, so a page answered before one cannot overwrite it. */
  countVersion: number;
  /** Whether the first page has arrived since the last (re)connect. */
  isLoaded: boolean;
  hasMore: boolean;
  /** Per-kind toggles once fetched. */
  preferences: Record<NotificationKind, boolean> | null;
};

export type PageOptions = {
  /** Next page (`before` a cursor) rather than the first one. */
  append: boolean;
  /** `countVersion` when the request left: a newer live count wins over the page's. */
  countVersion: number;
};

export type NotificationActions = {
  upsert: (notification: NotificationDto, unreadCount: number) => void;
  applyPage: (page: NotificationPageDto, options: PageOptions) => void;
  /** `ids` null means all; `readAt` is the local time the read was learnt. */
  markRead: (ids: string[] | null, unreadCount: number, readAt?: string) => void;
  remove: (ids: string[] | null, unreadCount: number) => void;
  setUnreadCount: (count: number) => void;
  setPreferences: (kinds: Record<NotificationKind, boolean>) => void;
  reset: () => void;
};
export type NotificationStore = NotificationState & NotificationActions;

export const initialNotificationState: NotificationState = {
  byId: {},
  order: [],
  unreadCount: 0,
  countVersion: 0,
  isLoaded: false,
  hasMore: false,
  preferences: null,
};

function sortedIds(byId: Record<string, NotificationDto>): string[] {
  return Object.values(byId)
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.id.localeCompare(a.id))
    .map((item) => item.id);
}

function counted(state: NotificationState, unreadCount: number) {
  return { unreadCount: Math.max(0, unreadCount), countVersion: state.countVersion + 1 };
}

/**
 * The first page replaces what is held (items deleted elsewhere disappear), except items newer
 * than the page's newest: those arrived live while the request was on its way.
 */
function pageItems(state: NotificationState, page: NotificationPageDto, append: boolean, raced: boolean): Record<string, NotificationDto> {
  const byId: Record<string, NotificationDto> = {};
  const newest = page.items[0]?.updatedAt;
  for (const item of Object.values(state.byId)) {
    if (append || (newest ? item.updatedAt > newest : raced)) byId[item.id] = item;
  }
  for (const item of page.items) {
    const held = byId[item.id];
    if (!held || held.updatedAt <= item.updatedAt) byId[item.id] = item;
  }
  return byId;
}

export const useNotificationStore = create<NotificationStore>()((set) => ({
  ...initialNotificationState,
  upsert: (notification, unreadCount) =>
    set((state) => {
      const held = state.byId[notification.id];
      // A replayed or late delivery must not roll back a newer version (or a read made since).
      const byId = held && held.updatedAt > notification.updatedAt ? state.byId : { ...state.byId, [notification.id]: notification };
      return { byId, order: byId === state.byId ? state.order : sortedIds(byId), ...counted(state, unreadCount) };
    }),
  applyPage: (page, { append, countVersion }) =>
    set((state) => {
      const isCountStale = state.countVersion !== countVersion;
      const byId = pageItems(state, page, append, isCountStale);
      return {
        byId,
        order: sortedIds(byId),
        isLoaded: true,
        hasMore: page.hasMore,
        ...(isCountStale ? {} : { unreadCount: Math.max(0, page.unreadCount) }),
      };
    }),
  markRead: (ids, unreadCount, readAt = new Date().toISOString()) =>
    set((state) => {
      const byId = { ...state.byId };
      for (const id of ids ?? state.order) {
        const item = byId[id];
        if (item && !item.readAt) byId[id] = { ...item, readAt };
      }
      return { byId, ...counted(state, unreadCount) };
    }),
  remove: (ids, unreadCount) =>
    set((state) => {
      if (ids === null) return { byId: {}, order: [], hasMore: false, ...counted(state, unreadCount) };
      const byId = { ...state.byId };
      for (const id of ids) delete byId[id];
      return { byId, order: state.order.filter((id) => byId[id]), ...counted(state, unreadCount) };
    }),
  setUnreadCount: (count) => set((state) => counted(state, count)),
  setPreferences: (kinds) => set({ preferences: kinds }),
  reset: () => set(initialNotificationState),
}));

export const selectUnreadCount = (state: NotificationStore) => state.unreadCount;

let lastOrder: string[] | null = null;
let lastById: NotificationState["byId"] | null = null;
let lastList: NotificationDto[] = [];
/** The held notifications, newest first; a stable array while nothing changed. */
export const selectNotificationList = (state: NotificationStore): NotificationDto[] => {
  if (state.order !== lastOrder || state.byId !== lastById) {
    lastOrder = state.order;
    lastById = state.byId;
    lastList = state.order.flatMap((id) => state.byId[id] ?? []);
  }
  return lastList;
};

/** The paging cursor for "Load more": the oldest held item's. */
export const selectOldestCursor = (state: NotificationStore): string | null => {
  const last = state.order.at(-1);
  return last ? (state.byId[last]?.cursor ?? null) : null;
};

import { beforeEach, describe, expect, it } from "vitest";

import { notificationFixture as notification } from "@/lib/notifications/notification-fixture";
import { initialNotificationState, selectNotificationList, selectOldestCursor, useNotificationStore } from "./notification-store";

const store = useNotificationStore;
const ids = () => selectNotificationList(store.getState()).map((item) => item.id);
const at = (minute: number) => `2030-01-01T10:${String(minute).padStart(2, "0")}:00.000Z`;

beforeEach(() => store.getState().reset());

describe("notification store", () => {
  it("orders by updatedAt, newest first, and takes the unread count from the server", () => {
    store.getState().upsert(notification({ id: "a", updatedAt: at(1) }), 1);
    store.getState().upsert(notification({ id: "b", updatedAt: at(2) }), 2);
    expect(ids()).toEqual(["b", "a"]);
    expect(store.getState().unreadCount).toBe(2);
  });

  it("a coalesced notification that grows replaces its old version and moves to the top", () => {
    store.getState().upsert(notification({ id: "a", updatedAt: at(1) }), 1);
    store.getState().upsert(notification({ id: "b", updatedAt: at(2) }), 2);
    store.getState().upsert(notification({ id: "a", updatedAt: at(3), count: 5 }), 2);
    expect(ids()).toEqual(["a", "b"]);
    expect(store.getState().byId.a?.count).toBe(5);
  });

  it("a late, older delivery does not roll a notification back", () => {
    store.getState().upsert(notification({ id: "a", updatedAt: at(3), count: 5 }), 1);
    store.getState().upsert(notification({ id: "a", updatedAt: at(1), count: 1 }), 1);
    expect(store.getState().byId.a?.count).toBe(5);
  });

  it("markRead marks the given ids, or all with null, and applies the count", () => {
    store.getState().upsert(notification({ id: "a", updatedAt: at(1) }), 1);
    store.getState().upsert(notification({ id: "b", updatedAt: at(2) }), 2);
    store.getState().markRead(["a"], 1, at(5));
    expect(store.getState().byId.a?.readAt).toBe(at(5));
    expect(store.getState().byId.b?.readAt).toBeNull();
    expect(store.getState().unreadCount).toBe(1);
    store.getState().markRead(null, 0, at(6));
    expect(store.getState().byId.b?.readAt).toBe(at(6));
    expect(store.getState().unreadCount).toBe(0);
  });

  it("remove drops the given ids, or everything with null", () => {
    store.getState().upsert(notification({ id: "a", updatedAt: at(1) }), 1);
    store.getState().upsert(notification({ id: "b", updatedAt: at(2) }), 2);
    store.getState().remove(["b"], 1);
    expect(ids()).toEqual(["a"]);
    store.getState().remove(null, 0);
    expect(ids()).toEqual([]);
    expect(store.getState()).toMatchObject({ unreadCount: 0, hasMore: false });
  });

  it("the first page replaces held items but keeps ones that arrived live meanwhile", () => {
    store.getState().upsert(notification({ id: "deleted-elsewhere", updatedAt: at(1) }), 1);
    const version = store.getState().countVersion;
    store.getState().upsert(notification({ id: "live", updatedAt: at(9) }), 4);
    store.getState().applyPage({ items: [notification({ id: "p1", updatedAt: at(5) }), notification({ id: "p2", updatedAt: at(4) })], hasMore: true, unreadCount: 3 }, { append: false, countVersion: version });
    expect(ids()).toEqual(["live", "p1", "p2"]);
    // The live event's count is newer than the page's.
    expect(store.getState().unreadCount).toBe(4);
    expect(store.getState()).toMatchObject({ isLoaded: true, hasMore: true });
  });

  it("a page without a race sets the count; later pages append and page by the oldest cursor", () => {
    const version = store.getState().countVersion;
    store.getState().applyPage({ items: [notification({ id: "p1", updatedAt: at(5) })], hasMore: true, unreadCount: 3 }, { append: false, countVersion: version });
    expect(store.getState().unreadCount).toBe(3);
    expect(selectOldestCursor(store.getState())).toBe("cursor-p1");
    store.getState().applyPage({ items: [notification({ id: "p0", updatedAt: at(2) })], hasMore: false, unreadCount: 3 }, { append: true, countVersion: store.getState().countVersion });
    expect(ids()).toEqual(["p1", "p0"]);
    expect(selectOldestCursor(store.getState())).toBe("cursor-p0");
    expect(store.getState().hasMore).toBe(false);
  });

  it("selectNotificationList is stable while nothing changed", () => {
    store.getState().upsert(notification({ id: "a" }), 1);
    const first = selectNotificationList(store.getState());
    store.getState().setUnreadCount(0);
    expect(selectNotificationList(store.getState())).toBe(first);
  });

  it("reset forgets everything", () => {
    store.getState().upsert(notification({ id: "a" }), 1);
    store.getState().reset();
    expect(store.getState()).toMatchObject(initialNotificationState);
  });
});

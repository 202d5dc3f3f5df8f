import { beforeEach, describe, expect, it } from "vitest";

import { callFixture } from "@/lib/calls/call-fixture";
import type { ConversationDto, SessionUserDto } from "@/lib/realtime/protocol";
import { initialCallState, useCallStore } from "./call-store";
import { initialChatState, selectConversationList, useChatStore } from "./chat-store";
import { initialConnectionState, useConnectionStore } from "./connection-store";
import { initialContactsState, useContactsStore } from "./contacts-store";
import { initialNotificationState, useNotificationStore } from "./notification-store";
import { initialPresenceState, selectPresenceOf, usePresenceStore } from "./presence-store";
import { resetRealtimeStores } from "./reset-stores";

const ALICE: SessionUserDto = { id: "u-alice", name: "Alice", email: "alice@example.com", role: "user" };

function conversation(id: string, lastActivityAt: string, overrides: Partial<ConversationDto> = {}): ConversationDto {
  return {
    id,
    kind: "group",
    title: `Conversation ${id}`,
    members: [],
    lastSeq: 0,
    lastVersion: 0,
    lastActivityAt,
    lastMessagePreview: null,
    lastMessageAuthorId: null,
    unreadCount: 0,
    myRole: "member",
    mutedUntil: null,
    ...overrides,
  };
}

beforeEach(() => {
  useConnectionStore.getState().reset();
  useChatStore.getState().reset();
  useContactsStore.getState().reset();
  useNotificationStore.getState().reset();
  usePresenceStore.getState().reset();
  useCallStore.getState().reset();
});

describe("connection store", () => {
  const store = useConnectionStore;

  it("starts idle and signed-out of any identity", () => {
    expect(store.getState()).toMatchObject(initialConnectionState);
  });

  it("setStatus changes status and error", () => {
    store.getState().setStatus("reconnecting", "transport close");
    expect(store.getState()).toMatchObject({ status: "reconnecting", lastError: "transport close" });
    store.getState().setStatus("reconnecting");
    expect(store.getState().lastError).toBeNull();
  });

  it("setStatus with the same status and error keeps the same state reference", () => {
    store.getState().setStatus("connecting");
    const before = store.getState();
    store.getState().setStatus("connecting");
    expect(store.getState()).toBe(before);
    store.getState().setStatus("connecting", null);
    expect(store.getState()).toBe(before);

    store.getState().setStatus("connecting", "boom");
    expect(store.getState()).not.toBe(before);
  });

  it("sessionReady sets user, connected, hasConnected and clears the error", () => {
    store.getState().setStatus("reconnecting", "ping timeout");
    store.getState().sessionReady(ALICE);
    expect(store.getState()).toMatchObject({ user: ALICE, status: "connected", hasConnected: true, lastError: null });
  });

  it("recordEcho counts deliveries per nonce", () => {
    const { recordEcho } = store.getState();
    recordEcho("n1");
    recordEcho("n2");
    recordEcho("n1");
    expect(store.getState().echoDeliveries).toEqual({ n1: 2, n2: 1 });
  });

  it("reset returns to the initial state without sharing mutated objects", () => {
    store.getState().sessionReady(ALICE);
    store.getState().recordEcho("n1");
    store.getState().setLatency(42);
    store.getState().reset();
    expect(store.getState()).toMatchObject(initialConnectionState);
    expect(store.getState().echoDeliveries).toEqual({});
    expect(initialConnectionState.echoDeliveries).toEqual({});
  });
});

describe("chat store", () => {
  const store = useChatStore;

  it("setConversations indexes by id and marks the list loaded", () => {
    const a = conversation("a", "2030-01-01T00:00:00.000Z");
    const b = conversation("b", "2030-01-02T00:00:00.000Z");
    store.getState().setConversations([a, b]);
    expect(store.getState().conversations).toEqual({ a, b });
    expect(store.getState().isListLoaded).toBe(true);
  });

  it("upsertConversation adds and replaces by id", () => {
    store.getState().upsertConversation(conversation("a", "2030-01-01T00:00:00.000Z", { title: "Old" }));
    store.getState().upsertConversation(conversation("a", "2030-01-01T00:00:00.000Z", { title: "New" }));
    expect(Object.keys(store.getState().conversations)).toEqual(["a"]);
    expect(store.getState().conversations.a?.title).toBe("New");
  });

  it("no-op updates keep the same state reference", () => {
    store.getState().setSelf("u-alice");
    const before = store.getState();
    store.getState().setSelf("u-alice");
    store.getState().receiveMessages("a", []);
    store.getState().removeOutbox("unknown");
    expect(store.getState()).toBe(before);
  });

  it("selectConversationList sorts by latest activity, newest first", () => {
    store.getState().setConversations([
      conversation("old", "2030-01-01T00:00:00.000Z"),
      conversation("new", "2030-01-03T00:00:00.000Z"),
      conversation("mid", "2030-01-02T00:00:00.000Z"),
    ]);
    expect(selectConversationList(store.getState()).map((item) => item.id)).toEqual(["new", "mid", "old"]);

    store.getState().upsertConversation(conversation("old", "2030-01-04T00:00:00.000Z"));
    expect(selectConversationList(store.getState()).map((item) => item.id)).toEqual(["old", "new", "mid"]);
  });

  it("selectConversationList returns a stable array for an unchanged map", () => {
    store.getState().setConversations([conversation("a", "2030-01-01T00:00:00.000Z")]);
    const first = selectConversationList(store.getState());
    store.getState().setSelf("u-alice"); // unrelated change: new state, same conversations map
    const second = selectConversationList(store.getState());
    expect(second).toBe(first);

    store.getState().upsertConversation(conversation("b", "2030-01-02T00:00:00.000Z"));
    expect(selectConversationList(store.getState())).not.toBe(first);
  });

  it("reset empties conversations", () => {
    store.getState().setConversations([conversation("a", "2030-01-01T00:00:00.000Z")]);
    store.getState().reset();
    expect(store.getState()).toMatchObject(initialChatState);
    expect(selectConversationList(store.getState())).toEqual([]);
  });
});

describe("presence store", () => {
  const store = usePresenceStore;

  it("setStatus records a status; the same status keeps the same reference", () => {
    store.getState().setStatus("u1", "online");
    const before = store.getState();
    expect(before.statusByUser).toEqual({ u1: "online" });
    store.getState().setStatus("u1", "online");
    expect(store.getState()).toBe(before);
    store.getState().setStatus("u1", "away");
    expect(store.getState().statusByUser).toEqual({ u1: "away" });
  });

  it("selectPresenceOf defaults to offline", () => {
    store.getState().setStatus("u1", "dnd");
    expect(selectPresenceOf("u1")(store.getState())).toBe("dnd");
    expect(selectPresenceOf("nobody")(store.getState())).toBe("offline");
  });

  it("replaceAll replaces the whole map", () => {
    store.getState().setStatus("u1", "online");
    store.getState().replaceAll({ u2: "away" });
    expect(store.getState().statusByUser).toEqual({ u2: "away" });
  });
});

describe("call store", () => {
  const store = useCallStore;
  const call = (kind: "audio" | "video" = "video") => callFixture({ kind });

  it("a new call starts with fresh media flags and the peer's video guessed from its kind", () => {
    store.getState().setLocal({ audioMuted: true });
    store.getState().dispatch({ type: "incoming", call: call("audio") });
    expect(store.getState()).toMatchObject({ phase: "incoming-ringing", role: "callee", local: { audioMuted: false }, peer: { videoOff: true } });
  });

  it("events about the same call keep the media flags", () => {
    store.getState().dispatch({ type: "dialed", call: call() });
    store.getState().setLocal({ audioMuted: true, hasVideo: true });
    store.getState().dispatch({ type: "accepted", call: { ...call(), status: "active" }, at: 1 });
    expect(store.getState()).toMatchObject({ phase: "connecting", local: { audioMuted: true, hasVideo: true } });
  });

  it("reset returns to idle", () => {
    store.getState().dispatch({ type: "dialed", call: call() });
    store.getState().reset();
    expect(store.getState()).toMatchObject(initialCallState);
  });
});

describe("resetRealtimeStores", () => {
  it("clears every realtime store", () => {
    useConnectionStore.getState().sessionReady(ALICE);
    useConnectionStore.getState().recordEcho("n1");
    useChatStore.getState().setSelf(ALICE.id);
    useChatStore.getState().setConversations([conversation("a", "2030-01-01T00:00:00.000Z")]);
    useContactsStore.getState().setSelf(ALICE.id);
    useContactsStore.getState().setContacts({
      contacts: [{ id: "u2", name: "Bob", avatarColor: "#000" }],
      incoming: [],
      outgoing: [],
      blocked: [],
    });
    useNotificationStore.getState().setUnreadCount(3);
    usePresenceStore.getState().setStatus("u2", "online");
    useCallStore.getState().setAnsweredElsewhere("c1");

    resetRealtimeStores();

    expect(useConnectionStore.getState()).toMatchObject(initialConnectionState);
    expect(useChatStore.getState()).toMatchObject(initialChatState);
    expect(useContactsStore.getState()).toMatchObject(initialContactsState);
    expect(useNotificationStore.getState()).toMatchObject(initialNotificationState);
    expect(usePresenceStore.getState()).toMatchObject(initialPresenceState);
    expect(useCallStore.getState()).toMatchObject(initialCallState);
  });
});

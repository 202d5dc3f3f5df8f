import { describe, expect, it } from "vitest";

import { connectionFromSockets, createMemoryPresenceState, visibleStatus } from "./presence-state";

describe("connectionFromSockets", () => {
  it("is away only when every socket is idle or hidden", () => {
    expect(connectionFromSockets([{ isIdle: true, isHidden: false }, { isIdle: false, isHidden: true }], "online")).toBe("away");
    expect(connectionFromSockets([{ isIdle: true, isHidden: false }, { isIdle: false, isHidden: false }], "away")).toBe("online");
  });
  it("keeps the previous status when no socket is left (grace period)", () => {
    expect(connectionFromSockets([], "away")).toBe("away");
    expect(connectionFromSockets([], "online")).toBe("online");
  });
});

describe("visibleStatus", () => {
  it("shows invisible as offline and DND over online or away", () => {
    expect(visibleStatus("invisible", "online")).toBe("offline");
    expect(visibleStatus("dnd", "away")).toBe("dnd");
    expect(visibleStatus("dnd", "offline")).toBe("offline");
    expect(visibleStatus("auto", "away")).toBe("away");
  });
});

describe("memory presence state", () => {
  it("goes offline only after the last socket closes and the user expires", () => {
    const state = createMemoryPresenceState();
    state.addSocket("u", "s1");
    state.addSocket("u", "s2");
    expect(state.removeSocket("u", "s1")).toBe(1);
    expect(state.expire("u")).toBe(false);
    expect(state.removeSocket("u", "s2")).toBe(0);
    expect(state.connectionOf("u")).toBe("online");
    expect(state.expire("u")).toBe(true);
    expect(state.connectionOf("u")).toBe("offline");
  });
  it("follows activity reports and ignores unknown sockets", () => {
    const state = createMemoryPresenceState();
    state.addSocket("u", "s1");
    state.setActivity("u", "other", { isIdle: true, isHidden: true });
    expect(state.connectionOf("u")).toBe("online");
    state.setActivity("u", "s1", { isIdle: false, isHidden: true });
    expect(state.connectionOf("u")).toBe("away");
    state.addSocket("u", "s2");
    expect(state.connectionOf("u")).toBe("online");
  });
});

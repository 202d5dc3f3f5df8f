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
  it("lists the user's open sockets (the handshake's socket cap)", async () => {
    const state = createMemoryPresenceState();
    expect(await state.socketsOf("u")).toEqual([]);
    await state.addSocket("u", "s1");
    await state.addSocket("u", "s2");
    await state.addSocket("other", "s3");
    await state.removeSocket("u", "s1");
    expect(await state.socketsOf("u")).toEqual(["s2"]);
  });
  it("goes offline only after the last socket closes and the user expires", async () => {
    const state = createMemoryPresenceState();
    await state.addSocket("u", "s1");
    await state.addSocket("u", "s2");
    const first = await state.removeSocket("u", "s1");
    expect(first.remaining).toBe(1);
    expect(await state.expire("u", first.epoch)).toBe(false);
    const last = await state.removeSocket("u", "s2");
    expect(last.remaining).toBe(0);
    expect(await state.connectionOf("u")).toBe("online");
    expect(await state.expire("u", last.epoch)).toBe(true);
    expect(await state.connectionOf("u")).toBe("offline");
  });
  it("a grace timer that outlived a reconnect expires nobody", async () => {
    const state = createMemoryPresenceState();
    await state.addSocket("u", "s1");
    const gone = await state.removeSocket("u", "s1");
    await state.addSocket("u", "s2");
    const again = await state.removeSocket("u", "s2");
    expect(await state.expire("u", gone.epoch)).toBe(false);
    expect(await state.connectionOf("u")).toBe("online");
    expect(await state.expire("u", again.epoch)).toBe(true);
  });
  it("follows activity reports and ignores unknown sockets", async () => {
    const state = createMemoryPresenceState();
    await state.addSocket("u", "s1");
    await state.setActivity("u", "other", { isIdle: true, isHidden: true });
    expect(await state.connectionOf("u")).toBe("online");
    await state.setActivity("u", "s1", { isIdle: false, isHidden: true });
    expect(await state.connectionOf("u")).toBe("away");
    await state.addSocket("u", "s2");
    expect(await state.connectionsOf(["u", "nobody"])).toEqual(new Map([["u", "online"], ["nobody", "offline"]]));
  });
  it("counts a socket with the activity its handshake reported, and says which changes moved the status", async () => {
    const state = createMemoryPresenceState();
    const hidden = { isIdle: false, isHidden: true };
    expect(await state.addSocket("u", "s1", hidden)).toBe(true); // offline → away
    expect(await state.connectionOf("u")).toBe("away");
    expect(await state.addSocket("u", "s2", hidden)).toBe(false); // another background tab: no news
    expect(await state.setActivity("u", "s2", { isIdle: false, isHidden: false })).toBe(true); // → online
    expect(await state.setActivity("u", "s1", { isIdle: true, isHidden: true })).toBe(false);
    expect(await state.setActivity("u", "unknown", hidden)).toBe(false);
    expect(await state.removeSocket("u", "s2")).toMatchObject({ remaining: 1, changed: true }); // → away
    expect(await state.connectionOf("u")).toBe("away");
    expect(await state.removeSocket("u", "s1")).toMatchObject({ remaining: 0, changed: false }); // lingers as it was
    expect(await state.addSocket("u", "s3")).toBe(true); // no report: active → online
    expect(await state.addSocket("v", "s4")).toBe(true);
  });
  it("marks an announcement only when it differs from the previous one", async () => {
    const state = createMemoryPresenceState();
    await state.addSocket("u", "s1");
    await state.addSocket("v", "s2");
    expect(await state.markAnnounced("u", "online")).toBe(true);
    expect(await state.markAnnounced("u", "online")).toBe(false);
    expect(await state.markAnnounced("u", "offline")).toBe(true);
    expect(await state.markAnnounced("v", "online")).toBe(true);
  });
  it("keeps no announcement of a user who went offline", async () => {
    const state = createMemoryPresenceState();
    await state.addSocket("u", "s1");
    expect(await state.markAnnounced("u", "online")).toBe(true);
    const gone = await state.removeSocket("u", "s1");
    expect(await state.markAnnounced("u", "online")).toBe(false); // lingering: still deduplicated
    expect(await state.expire("u", gone.epoch)).toBe(true);
    // The offline announcement is emitted, and not kept: the same again is emitted again (harmless).
    expect(await state.markAnnounced("u", "offline")).toBe(true);
    expect(await state.markAnnounced("u", "offline")).toBe(true);
    await state.addSocket("u", "s2");
    expect(await state.markAnnounced("u", "online")).toBe(true);
  });
});

import { describe, expect, it } from "vitest";

import { createMemoryViewingState } from "./viewing-state";

describe("memory viewing state", () => {
  it("counts a user as viewing while any socket shows the conversation", async () => {
    const state = createMemoryViewingState();
    await state.set("u1", "s1", "c1");
    await state.set("u1", "s2", "c2");
    expect(await state.isViewing("u1", "c1")).toBe(true);
    expect(await state.isViewing("u1", "c2")).toBe(true);
    expect(await state.isViewing("u2", "c1")).toBe(false);
    await state.set("u1", "s1", null);
    expect(await state.isViewing("u1", "c1")).toBe(false);
    await state.remove("u1", "s2");
    expect(await state.isViewing("u1", "c2")).toBe(false);
    await state.remove("u1", "unknown"); // harmless
  });

  it("a socket shows one conversation at a time", async () => {
    const state = createMemoryViewingState();
    await state.set("u1", "s1", "c1");
    await state.set("u1", "s1", "c2");
    expect(await state.isViewing("u1", "c1")).toBe(false);
    expect(await state.isViewing("u1", "c2")).toBe(true);
  });

  it("finds the viewers of a conversation among many users at once", async () => {
    const state = createMemoryViewingState();
    await state.set("u1", "s1", "c1");
    await state.set("u2", "s2", "c2");
    await state.set("u3", "s3", "c2");
    await state.set("u3", "s4", "c1");
    expect(await state.viewersAmong(["u1", "u2", "u3", "u4"], "c1")).toEqual(new Set(["u1", "u3"]));
    expect(await state.viewersAmong([], "c1")).toEqual(new Set());
  });
});

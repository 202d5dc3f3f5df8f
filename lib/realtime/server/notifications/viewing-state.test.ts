import { describe, expect, it } from "vitest";

import { createMemoryViewingState } from "./viewing-state";

describe("memory viewing state", () => {
  it("counts a user as viewing while any socket shows the conversation", () => {
    const state = createMemoryViewingState();
    state.set("u1", "s1", "c1");
    state.set("u1", "s2", "c2");
    expect(state.isViewing("u1", "c1")).toBe(true);
    expect(state.isViewing("u1", "c2")).toBe(true);
    expect(state.isViewing("u2", "c1")).toBe(false);
    state.set("u1", "s1", null);
    expect(state.isViewing("u1", "c1")).toBe(false);
    state.remove("u1", "s2");
    expect(state.isViewing("u1", "c2")).toBe(false);
    state.remove("u1", "unknown"); // harmless
  });

  it("a socket shows one conversation at a time", () => {
    const state = createMemoryViewingState();
    state.set("u1", "s1", "c1");
    state.set("u1", "s1", "c2");
    expect(state.isViewing("u1", "c1")).toBe(false);
    expect(state.isViewing("u1", "c2")).toBe(true);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import type { AppClientSocket } from "./socket-manager";
import { setViewedConversation, trackViewing } from "./viewing";

type Listener = () => void;

/** Just what viewing.ts uses of a socket and of the document. */
function fakes() {
  const socketListeners = new Map<string, Listener>();
  const emit = vi.fn();
  const socket = { connected: true, emit, on: (event: string, listener: Listener) => socketListeners.set(event, listener), off: (event: string) => socketListeners.delete(event) };
  let visibilityListener: Listener = () => {};
  const document = {
    visibilityState: "visible",
    addEventListener: (_: string, listener: Listener) => (visibilityListener = listener),
    removeEventListener: () => {},
  };
  vi.stubGlobal("document", document);
  return {
    socket: socket as unknown as AppClientSocket,
    emitted: () => emit.mock.calls.map(([, input]) => (input as { conversationId: string | null }).conversationId),
    setVisibility: (state: "visible" | "hidden") => {
      document.visibilityState = state;
      visibilityListener();
    },
    reconnect: () => socketListeners.get("session:ready")?.(),
  };
}

const settle = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe("viewing reporter", () => {
  let stop: () => void = () => {};
  beforeEach(() => setViewedConversation(null));
  afterEach(async () => {
    stop();
    await settle();
    vi.unstubAllGlobals();
  });

  it("reports the open conversation, null when hidden, and again when visible", async () => {
    const env = fakes();
    stop = trackViewing(env.socket);
    setViewedConversation("c1");
    await settle();
    env.setVisibility("hidden");
    env.setVisibility("visible");
    expect(env.emitted()).toEqual(["c1", null, "c1"]);
  });

  it("switching conversations in one render sends only the new one", async () => {
    const env = fakes();
    stop = trackViewing(env.socket);
    setViewedConversation("c1");
    await settle();
    setViewedConversation(null);
    setViewedConversation("c2");
    await settle();
    setViewedConversation(null);
    await settle();
    expect(env.emitted()).toEqual(["c1", "c2", null]);
  });

  it("re-sends the conversation after a reconnect, and nothing when none is open", async () => {
    const env = fakes();
    stop = trackViewing(env.socket);
    env.reconnect();
    expect(env.emitted()).toEqual([]);
    setViewedConversation("c1");
    await settle();
    env.reconnect();
    expect(env.emitted()).toEqual(["c1", "c1"]);
  });
});

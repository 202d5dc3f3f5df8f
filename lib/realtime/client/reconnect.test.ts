import { EventEmitter } from "node:events";

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const tokenOutcome = vi.hoisted(() => ({ current: null as null | { kind: string } }));
vi.mock("./token", () => ({ getLastTokenOutcome: () => tokenOutcome.current }));

import { useConnectionStore } from "@/lib/stores/connection-store";
import { bindConnectionLifecycle, crowdedDelayMs, onServerRestarting, restartDelayMs, RESTART_MIN_DELAY_MS } from "./reconnect";
import type { AppClientSocket } from "./socket-manager";

class FakeSocket extends EventEmitter {
  connected = false;
  io = new EventEmitter();
  connect = vi.fn(() => this);
  disconnect = vi.fn(() => {
    const wasConnected = this.connected;
    this.connected = false;
    if (wasConnected) this.emit("disconnect", "io client disconnect");
    return this;
  });
  /** The server accepted the handshake. */
  accept() {
    this.connected = true;
    this.emit("connect");
  }
  drop(reason = "transport close") {
    this.connected = false;
    this.emit("disconnect", reason);
  }
}

const windowEvents = new EventEmitter();
const documentEvents = new EventEmitter();
let online = true;
let visibility: "visible" | "hidden" = "visible";
let socket: FakeSocket;
let unbind: () => void;

const state = () => useConnectionStore.getState();

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(1_000_000);
  vi.spyOn(Math, "random").mockReturnValue(0.5); // centre of the jitter: exact delays
  online = true;
  visibility = "visible";
  tokenOutcome.current = { kind: "ok" };
  vi.stubGlobal("window", {
    addEventListener: (type: string, listener: () => void) => windowEvents.on(type, listener),
    removeEventListener: (type: string, listener: () => void) => windowEvents.off(type, listener),
  });
  vi.stubGlobal("document", {
    get visibilityState() {
      return visibility;
    },
    addEventListener: (type: string, listener: () => void) => documentEvents.on(type, listener),
    removeEventListener: (type: string, listener: () => void) => documentEvents.off(type, listener),
  });
  vi.stubGlobal("navigator", {
    get onLine() {
      return online;
    },
  });
  useConnectionStore.getState().reset();
  socket = new FakeSocket();
  unbind = bindConnectionLifecycle(socket as unknown as AppClientSocket);
  socket.accept();
  state().sessionReady({ id: "u1", name: "U", email: "u@example.test", role: "user" });
});

afterEach(() => {
  unbind();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe("bindConnectionLifecycle", () => {
  it("after a dropped transport, says when it retries, backs off, and clears the time once connected", () => {
    socket.drop();
    expect(state().status).toBe("reconnecting");
    expect(state().nextRetryAt).toBe(1_000_000 + 1_000);
    vi.advanceTimersByTime(999);
    expect(socket.connect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(socket.connect).toHaveBeenCalledTimes(1);
    expect(state().nextRetryAt).toBeNull();

    socket.emit("connect_error", new Error("xhr poll error"));
    expect(state().nextRetryAt).toBe(Date.now() + 2_000); // doubled
    vi.advanceTimersByTime(2_000);
    expect(socket.connect).toHaveBeenCalledTimes(2);
    socket.accept();
    expect(state().nextRetryAt).toBeNull();
    socket.drop();
    expect(state().nextRetryAt).toBe(Date.now() + 1_000); // a success resets the backoff
  });

  it("tries at once when the browser comes back online or the tab becomes visible", () => {
    socket.drop();
    socket.emit("connect_error", new Error("down"));
    windowEvents.emit("online");
    expect(socket.connect).toHaveBeenCalledTimes(1);
    expect(state().nextRetryAt).toBeNull();

    socket.emit("connect_error", new Error("still down"));
    visibility = "hidden";
    documentEvents.emit("visibilitychange");
    expect(socket.connect).toHaveBeenCalledTimes(1);
    visibility = "visible";
    documentEvents.emit("visibilitychange");
    expect(socket.connect).toHaveBeenCalledTimes(2);
  });

  it("an offline browser closes the socket and waits for the network instead of burning attempts", () => {
    online = false;
    windowEvents.emit("offline");
    expect(state().status).toBe("offline");
    vi.advanceTimersByTime(60_000);
    expect(socket.connect).not.toHaveBeenCalled();
    online = true;
    windowEvents.emit("online");
    expect(socket.connect).toHaveBeenCalledTimes(1);
  });

  it("a deliberate disconnect is not healed, and a refused session stops all retries", () => {
    socket.disconnect();
    expect(state().status).toBe("idle");
    documentEvents.emit("visibilitychange");
    windowEvents.emit("online");
    vi.advanceTimersByTime(60_000);
    expect(socket.connect).not.toHaveBeenCalled();

    tokenOutcome.current = { kind: "signed-out" };
    socket.emit("connect_error", new Error("UNAUTHORIZED"));
    expect(state().status).toBe("signed-out");
    expect(state().nextRetryAt).toBeNull();
    vi.advanceTimersByTime(60_000);
    windowEvents.emit("online");
    expect(socket.connect).not.toHaveBeenCalled();
  });

  it("TOO_MANY_CONNECTIONS waits 10 s doubling to 60 s, says why, and a connect starts over", () => {
    socket.drop();
    vi.advanceTimersByTime(1_000);
    const waits: number[] = [];
    for (let refusal = 0; refusal < 4; refusal += 1) {
      const calls = socket.connect.mock.calls.length;
      socket.emit("connect_error", new Error("TOO_MANY_CONNECTIONS"));
      expect(state().status).toBe("reconnecting");
      expect(state().lastError).toBe("TOO_MANY_CONNECTIONS");
      const wait = (state().nextRetryAt ?? 0) - Date.now();
      waits.push(wait);
      vi.advanceTimersByTime(wait - 1);
      expect(socket.connect).toHaveBeenCalledTimes(calls);
      vi.advanceTimersByTime(1);
      expect(socket.connect).toHaveBeenCalledTimes(calls + 1);
    }
    expect(waits).toEqual([10_000, 20_000, 40_000, 60_000]);
    // The tab coming back tries once, without shortening the next wait.
    socket.emit("connect_error", new Error("TOO_MANY_CONNECTIONS"));
    documentEvents.emit("visibilitychange");
    socket.emit("connect_error", new Error("TOO_MANY_CONNECTIONS"));
    expect((state().nextRetryAt ?? 0) - Date.now()).toBe(60_000);
    socket.accept();
    socket.drop();
    vi.advanceTimersByTime(1_000);
    socket.emit("connect_error", new Error("TOO_MANY_CONNECTIONS"));
    expect((state().nextRetryAt ?? 0) - Date.now()).toBe(10_000);
  });

  it("crowdedDelayMs stays within ±50 % and never above a minute", () => {
    expect(crowdedDelayMs(0, () => 0)).toBe(5_000);
    expect(crowdedDelayMs(0, () => 1)).toBe(15_000);
    expect(crowdedDelayMs(50, () => 1)).toBe(60_000);
  });

  it("a server-side disconnect (sign-out elsewhere or restart) asks again at once", () => {
    socket.drop("io server disconnect");
    expect(socket.connect).toHaveBeenCalledTimes(1);
  });

  it("after a restart notice, the server's disconnect reconnects after the jittered delay, not at once", () => {
    onServerRestarting(socket as unknown as AppClientSocket, { reconnectWithinMs: 3_000 });
    socket.drop("io server disconnect");
    const delay = RESTART_MIN_DELAY_MS + 1_500; // Math.random() is 0.5 here
    expect(state().status).toBe("reconnecting");
    expect(state().nextRetryAt).toBe(1_000_000 + delay);
    vi.advanceTimersByTime(delay - 1);
    expect(socket.connect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(socket.connect).toHaveBeenCalledTimes(1);
    // The notice is used once: a later plain server disconnect asks again at once.
    socket.accept();
    socket.drop("io server disconnect");
    expect(socket.connect).toHaveBeenCalledTimes(2);
  });

  it("a notice followed by a dropped transport (process gone first) also waits the jittered delay", () => {
    onServerRestarting(socket as unknown as AppClientSocket, { reconnectWithinMs: 1_000 });
    socket.drop("transport close");
    expect(state().nextRetryAt).toBe(1_000_000 + RESTART_MIN_DELAY_MS + 500);
  });
});

describe("restartDelayMs", () => {
  it("spreads over the window the server gave, never below the minimum, capped at a minute", () => {
    expect(restartDelayMs({ reconnectWithinMs: 3_000 }, () => 0)).toBe(RESTART_MIN_DELAY_MS);
    expect(restartDelayMs({ reconnectWithinMs: 3_000 }, () => 0.999)).toBe(RESTART_MIN_DELAY_MS + 2_997);
    expect(restartDelayMs({ reconnectWithinMs: -5 }, () => 0.5)).toBe(RESTART_MIN_DELAY_MS);
    expect(restartDelayMs({ reconnectWithinMs: 10_000_000 }, () => 1)).toBe(RESTART_MIN_DELAY_MS + 60_000);
  });
});

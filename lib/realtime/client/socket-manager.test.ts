import { afterEach, beforeEach, describe, expect, it, type Mock, vi } from "vitest";

// Keep the module's production wiring (bridge, token fetch, stores) out of these unit tests.
vi.mock("@/lib/realtime/client/bridge", () => ({ bindRealtimeBridge: vi.fn(() => () => {}) }));
vi.mock("@/lib/realtime/client/token", () => ({ fetchSocketToken: vi.fn() }));
vi.mock("@/lib/stores/reset-stores", () => ({ resetRealtimeStores: vi.fn() }));

import { type AppClientSocket, createSocketManager, DISCONNECT_GRACE_MS } from "./socket-manager";

type FakeSocket = {
  id: number;
  connected: boolean;
  active: boolean;
  connect: Mock<() => void>;
  disconnect: Mock<() => void>;
};

const GRACE = 1_000;

let sockets: FakeSocket[];
let unbinds: Mock<() => void>[];
let createSocket: Mock<() => AppClientSocket>;
let bind: Mock<(socket: AppClientSocket) => () => void>;
let onDestroy: Mock<() => void>;

function fakeSocket(id: number): FakeSocket {
  const socket: FakeSocket = {
    id,
    connected: false,
    active: false,
    // Like socket.io-client: connect() makes the socket active at once, connected later.
    connect: vi.fn<() => void>(() => {
      socket.active = true;
    }),
    disconnect: vi.fn<() => void>(() => {
      socket.active = false;
      socket.connected = false;
    }),
  };
  return socket;
}

const asFake = (socket: AppClientSocket | null) => socket as unknown as FakeSocket;

function makeManager(options: { graceMs?: number } = { graceMs: GRACE }) {
  return createSocketManager({
    createSocket,
    bind,
    onDestroy,
    ...options,
  });
}

beforeEach(() => {
  vi.useFakeTimers();
  sockets = [];
  unbinds = [];
  createSocket = vi.fn(() => {
    const socket = fakeSocket(sockets.length + 1);
    sockets.push(socket);
    return socket as unknown as AppClientSocket;
  });
  bind = vi.fn(() => {
    const unbind = vi.fn<() => void>();
    unbinds.push(unbind);
    return unbind;
  });
  onDestroy = vi.fn<() => void>();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("createSocketManager", () => {
  it("first acquire creates, binds once and connects", () => {
    const manager = makeManager();
    expect(manager.current()).toBeNull();

    const socket = asFake(manager.acquire());
    expect(createSocket).toHaveBeenCalledTimes(1);
    expect(bind).toHaveBeenCalledTimes(1);
    expect(bind).toHaveBeenCalledWith(socket);
    expect(socket.connect).toHaveBeenCalledTimes(1);
    expect(manager.current()).toBe(socket);
    expect(manager.refCount()).toBe(1);
  });

  it("further acquires reuse the socket without binding or connecting again", () => {
    const manager = makeManager();
    const first = manager.acquire();
    asFake(first).connected = true;
    const second = manager.acquire();
    const third = manager.acquire();

    expect(second).toBe(first);
    expect(third).toBe(first);
    expect(createSocket).toHaveBeenCalledTimes(1);
    expect(bind).toHaveBeenCalledTimes(1);
    expect(asFake(first).connect).toHaveBeenCalledTimes(1);
    expect(manager.refCount()).toBe(3);
  });

  it("does not call connect again while the socket is still connecting (active)", () => {
    const manager = makeManager();
    const socket = asFake(manager.acquire());
    expect(socket.active).toBe(true);
    expect(socket.connected).toBe(false);
    manager.acquire();
    expect(socket.connect).toHaveBeenCalledTimes(1);
  });

  it("StrictMode double mount (acquire, release, acquire) neither disconnects nor reconnects", () => {
    const manager = makeManager();
    const socket = asFake(manager.acquire());
    manager.release();
    expect(manager.acquire()).toBe(socket);

    vi.advanceTimersByTime(GRACE * 10);
    expect(socket.disconnect).not.toHaveBeenCalled();
    expect(socket.connect).toHaveBeenCalledTimes(1);
    expect(bind).toHaveBeenCalledTimes(1);
    expect(createSocket).toHaveBeenCalledTimes(1);
    expect(manager.refCount()).toBe(1);
  });

  it("disconnects only graceMs after the last release", () => {
    const manager = makeManager();
    const socket = asFake(manager.acquire());
    manager.acquire();

    manager.release();
    vi.advanceTimersByTime(GRACE * 10);
    expect(socket.disconnect).not.toHaveBeenCalled(); // one consumer left

    manager.release();
    expect(manager.refCount()).toBe(0);
    vi.advanceTimersByTime(GRACE - 1);
    expect(socket.disconnect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(socket.disconnect).toHaveBeenCalledTimes(1);
    // The socket object is kept (and stays bound) for the next acquire.
    expect(manager.current()).toBe(socket);
  });

  it("defaults the grace period to DISCONNECT_GRACE_MS", () => {
    const manager = makeManager({});
    const socket = asFake(manager.acquire());
    manager.release();
    vi.advanceTimersByTime(DISCONNECT_GRACE_MS - 1);
    expect(socket.disconnect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(socket.disconnect).toHaveBeenCalledTimes(1);
  });

  it("an acquire during the grace period cancels the pending disconnect", () => {
    const manager = makeManager();
    const socket = asFake(manager.acquire());
    socket.connected = true;
    manager.release();
    vi.advanceTimersByTime(GRACE - 1);

    manager.acquire();
    vi.advanceTimersByTime(GRACE * 10);
    expect(socket.disconnect).not.toHaveBeenCalled();
    expect(socket.connect).toHaveBeenCalledTimes(1);

    // And a later last release still schedules a fresh, full grace period.
    manager.release();
    vi.advanceTimersByTime(GRACE - 1);
    expect(socket.disconnect).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(socket.disconnect).toHaveBeenCalledTimes(1);
  });

  it("reconnects the same socket (no new bind) when acquired after the grace disconnect", () => {
    const manager = makeManager();
    const socket = asFake(manager.acquire());
    manager.release();
    vi.advanceTimersByTime(GRACE);
    expect(socket.disconnect).toHaveBeenCalledTimes(1);

    expect(manager.acquire()).toBe(socket);
    expect(socket.connect).toHaveBeenCalledTimes(2);
    expect(createSocket).toHaveBeenCalledTimes(1);
    expect(bind).toHaveBeenCalledTimes(1);
  });

  it("ignores releases below zero", () => {
    const manager = makeManager();
    manager.release();
    expect(manager.refCount()).toBe(0);
    expect(vi.getTimerCount()).toBe(0);

    const socket = asFake(manager.acquire());
    manager.release();
    manager.release();
    manager.release();
    expect(manager.refCount()).toBe(0);

    // Had the count gone negative, this acquire would leave it at ≤ 0 and the disconnect would still fire.
    manager.acquire();
    expect(manager.refCount()).toBe(1);
    vi.advanceTimersByTime(GRACE * 10);
    expect(socket.disconnect).not.toHaveBeenCalled();
  });

  it("destroy() unbinds, disconnects, calls onDestroy and resets the count", () => {
    const manager = makeManager();
    const socket = asFake(manager.acquire());
    manager.acquire();

    manager.destroy();
    expect(unbinds[0]).toHaveBeenCalledTimes(1);
    expect(socket.disconnect).toHaveBeenCalledTimes(1);
    expect(onDestroy).toHaveBeenCalledTimes(1);
    expect(manager.refCount()).toBe(0);
    expect(manager.current()).toBeNull();
  });

  it("after destroy() the next acquire creates and binds a new socket", () => {
    const manager = makeManager();
    const old = asFake(manager.acquire());
    manager.destroy();

    const fresh = asFake(manager.acquire());
    expect(fresh).not.toBe(old);
    expect(createSocket).toHaveBeenCalledTimes(2);
    expect(bind).toHaveBeenCalledTimes(2);
    expect(bind).toHaveBeenLastCalledWith(fresh);
    expect(fresh.connect).toHaveBeenCalledTimes(1);
    expect(manager.refCount()).toBe(1);
    expect(unbinds[1]).not.toHaveBeenCalled();
  });

  it("destroy() during the grace period cancels the pending disconnect timer", () => {
    const manager = makeManager();
    const old = asFake(manager.acquire());
    manager.release();
    manager.destroy();
    expect(old.disconnect).toHaveBeenCalledTimes(1);

    const fresh = asFake(manager.acquire());
    vi.advanceTimersByTime(GRACE * 10);
    expect(old.disconnect).toHaveBeenCalledTimes(1);
    expect(fresh.disconnect).not.toHaveBeenCalled();
  });

  it("a stale release after destroy() does not touch the next socket's count", () => {
    const manager = makeManager();
    manager.acquire();
    manager.destroy();
    manager.release(); // the component that held the old socket unmounts later
    const fresh = asFake(manager.acquire());
    expect(manager.refCount()).toBe(1);
    vi.advanceTimersByTime(GRACE * 10);
    expect(fresh.disconnect).not.toHaveBeenCalled();
  });

  it("destroy() without a socket still resets and calls onDestroy", () => {
    const manager = makeManager();
    expect(() => manager.destroy()).not.toThrow();
    expect(onDestroy).toHaveBeenCalledTimes(1);
    expect(bind).not.toHaveBeenCalled();
  });
});

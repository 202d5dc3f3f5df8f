/**
 * One write per socket for all the packets a socket is sent in one tick.
 *
 * Engine.IO sends a socket's first packet at once and queues the ones that follow until that write
 * completes; the WebSocket transport then writes each queued packet as its own WebSocket frame, and
 * each frame was its own `writev` system call. A send batch delivers a few messages to every
 * member of a room at once plus the sender's ack, so at capacity those calls were ~40 % of the
 * main thread (docs/PERFORMANCE.md). Two changes:
 * - a socket's flush waits for the end of the current tick (`process.nextTick`), so every packet
 *   emitted to it meanwhile leaves in one flush;
 * - the WebSocket transport corks the TCP socket while it writes a flush's frames, so the frames
 *   leave in one system call;
 * - an accepted upgrade's TCP socket stays corked until the end of that turn of the event loop, so
 *   the HTTP 101 response and Engine.IO's open packet leave together (two system calls per
 *   handshake were one: ~6 % of a burst of handshakes).
 * The frames, their bytes and their order are unchanged.
 *
 * This reaches into two libraries' internals: Engine.IO 6's `Socket#flush` and WebSocket transport
 * (`send(packets)`, `socket` = the `ws` WebSocket), and `ws` 8's `_socket` (its net.Socket) and
 * `WebSocketServer#completeUpgrade` (run only for an upgrade that passed every check; a refused
 * one is answered and destroyed at once, uncorked). Anything not of that shape is left as it is;
 * corked-writes.test.ts fails if the packets of a tick stop leaving in one write or stop arriving
 * whole and in order. Node-only.
 */
import { Socket, transports } from "engine.io";
import { WebSocketServer } from "ws";

type Corkable = { cork(): void; uncork(): void };
type WebSocketTransport = { socket?: { _socket?: Partial<Corkable> }; send(packets: unknown[]): void };
type EngineSocket = { flush(): void; close(...args: unknown[]): unknown };

const PATCHED = Symbol.for("parley.coalescedWrites");
const FLUSH_PENDING = Symbol.for("parley.flushPending");

type Patchable<T> = { prototype: T & { [PATCHED]?: true } };

function corkableOf(transport: WebSocketTransport): Corkable | null {
  const raw = transport.socket?._socket;
  return raw && typeof raw.cork === "function" && typeof raw.uncork === "function" ? (raw as Corkable) : null;
}

function corkTransportSends(transport: Patchable<WebSocketTransport> | undefined): void {
  const prototype = transport?.prototype;
  if (!prototype || prototype[PATCHED] || typeof prototype.send !== "function") return;
  const send = prototype.send;
  prototype.send = function (this: WebSocketTransport, packets: unknown[]): void {
    const raw = packets.length > 1 ? corkableOf(this) : null;
    if (!raw) return send.call(this, packets);
    raw.cork();
    try {
      send.call(this, packets);
    } finally {
      raw.uncork();
    }
  };
  prototype[PATCHED] = true;
}

function deferFlushes(socket: Patchable<EngineSocket>): void {
  const prototype = socket.prototype;
  if (prototype[PATCHED] || typeof prototype.flush !== "function" || typeof prototype.close !== "function") return;
  const { flush, close } = prototype;
  // Module-level, not a closure per call: this runs for every packet sent.
  const runFlush = (target: EngineSocket & { [FLUSH_PENDING]?: boolean }) => {
    // Already run by a close in the same tick.
    if (!target[FLUSH_PENDING]) return;
    target[FLUSH_PENDING] = false;
    flush.call(target);
  };
  prototype.flush = function (this: EngineSocket & { [FLUSH_PENDING]?: boolean }): void {
    if (this[FLUSH_PENDING]) return;
    this[FLUSH_PENDING] = true;
    process.nextTick(runFlush, this);
  };
  // A close in the same tick (a server disconnect, a shutdown) writes what is queued first, as an
  // immediate flush did: the client hears "io server disconnect", not a dropped transport.
  prototype.close = function (this: EngineSocket & { [FLUSH_PENDING]?: boolean }, ...args: unknown[]): unknown {
    if (this[FLUSH_PENDING]) runFlush(this);
    return close.apply(this, args);
  };
  prototype[PATCHED] = true;
}

type Upgrader = { completeUpgrade(...args: unknown[]): unknown };
/** completeUpgrade's arguments: (extensions, key, protocols, request, socket, head, callback). */
const UPGRADE_SOCKET_ARGUMENT = 4;

const uncork = (raw: Corkable) => raw.uncork();

function corkUpgrades(server: Patchable<Upgrader>): void {
  const prototype = server.prototype;
  if (prototype[PATCHED] || typeof prototype.completeUpgrade !== "function") return;
  const completeUpgrade = prototype.completeUpgrade;
  prototype.completeUpgrade = function (this: Upgrader, ...args: unknown[]): unknown {
    const raw = args[UPGRADE_SOCKET_ARGUMENT] as Partial<Corkable> | undefined;
    if (raw && typeof raw.cork === "function" && typeof raw.uncork === "function") {
      raw.cork();
      // After this turn's nextTick flushes: the open packet is written by then.
      setImmediate(uncork, raw as Corkable);
    }
    return completeUpgrade.apply(this, args);
  };
  prototype[PATCHED] = true;
}

/** Idempotent: patches Engine.IO's and ws's prototypes once per process. */
export function coalesceSocketWrites(): void {
  corkUpgrades(WebSocketServer as unknown as Patchable<Upgrader>);
  deferFlushes(Socket as unknown as Patchable<EngineSocket>);
  corkTransportSends((transports as unknown as Record<string, Patchable<WebSocketTransport> | undefined>).websocket);
}

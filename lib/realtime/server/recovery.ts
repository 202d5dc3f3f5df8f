/**
 * Connection-state recovery, made safe (DESIGN.md, traps). Stock Socket.IO restores a session from
 * the pid/offset a client presents *before* any middleware runs: it joins the old rooms and writes
 * the missed packets to the wire at once, so a replayed pid leaks someone else's traffic. Here a
 * restore hands out nothing: no rooms, no packets. The missed packets are parked on `socket.data`
 * with the owner's id; the auth middleware refuses the socket unless the token is the owner's; rooms
 * are recomputed from the database by the normal connect path; only then are the parked packets
 * replayed, filtered by those fresh rooms. A session can be restored once.
 */
import { Adapter, type BroadcastOptions, SessionAwareAdapter } from "socket.io-adapter";

import { createFrameSlabs } from "./frame-slabs";
import type { AppServerSocket, ParkedRecovery, SocketData } from "./types";

/** Short gaps only: longer ones resync from the database, and the buffer of broadcasts stays small. */
export const RECOVERY_WINDOW_MS = 30_000;

/**
 * A kept broadcast: where its frame as Socket.IO encoded it for the wire (`2[...]`) sits in the
 * frame slabs, or its data when the encoding is not that plain form. Off the heap, the frames no
 * longer grow the old generation for the whole window (frame-slabs.ts); as data they were the whole
 * object graph of every message of the last 30 s (docs/PERFORMANCE.md, the 1,000-user tail).
 */
type StoredPacket = {
  id: string;
  emittedAt: number;
  slab: Buffer | null;
  start: number;
  end: number;
  data: unknown[] | null;
  rooms: KeptRooms;
  except: readonly string[] | null;
};
/**
 * The broadcast's rooms: the one room's name (almost every broadcast: a conversation or a user), or
 * a list. Not the broadcast's own Sets: two per kept packet were ~0.4 KB of the ~7 KB per message
 * promoted to the old generation at 2,000 msgs/s, and each young-generation collection copies what
 * it promotes (docs/PERFORMANCE.md, the 1,000-user tail).
 */
type KeptRooms = string | readonly string[];

const keptRooms = (rooms: ReadonlySet<string>): KeptRooms => (rooms.size === 1 ? (rooms.values().next().value as string) : [...rooms]);
const roomList = (rooms: KeptRooms): string[] => (typeof rooms === "string" ? [rooms] : [...rooms]);
type StoredSession = { sid: string; pid: string; rooms: string[]; data: unknown; disconnectedAt: number };
type AdapterInternals = { sessions: Map<string, StoredSession>; packets: StoredPacket[] };

function isSocketData(data: unknown): data is SocketData {
  return typeof data === "object" && data !== null && typeof (data as SocketData).userId === "string";
}

/**
 * What a socket is sent when it connects (a recovered one too) besides `session:ready`: the current
 * state, sent again by every connect, so a replay would only repeat it. With recovery on, Socket.IO
 * routes even `socket.emit` through the adapter, which kept each of these for the whole window:
 * the largest part of an idle socket's memory (docs/PERFORMANCE.md, the heap diff).
 * `session:ready` is still kept: its offset is what lets a socket that has been sent nothing else
 * recover after a blip.
 */
const CONNECT_STATE_EVENTS: ReadonlySet<unknown> = new Set(["chat:unread-counts", "notification:count", "presence:snapshot", "presence:own-changed"]);

/** How often packets older than the window are dropped (Socket.IO's own sweep runs once a minute). */
const TRIM_INTERVAL_MS = 5_000;

type Packet = Parameters<Adapter["broadcast"]>[0];

/** Socket.IO's EVENT packet type. */
const EVENT = 2;

type Encoding = { _encode(packet: Packet, packetOpts: unknown): unknown[] };
/** What the adapter's `_encode` returned last: read right after the broadcast that encoded it, in the same synchronous call. */
let lastEncoded: unknown[] | undefined;

/** The plain frame of an event for the default namespace with no ack and no binary: `2` + JSON of the data. */
function plainFrame(encoded: unknown[] | undefined): string | undefined {
  const [frame] = encoded ?? [];
  return encoded?.length === 1 && typeof frame === "string" && frame.startsWith("2[") ? frame : undefined;
}

/** One set of slabs per process: the frames are the same bytes for every namespace. */
const frameSlabs = createFrameSlabs();

/** Offsets: opaque to the client, unique within this process's buffer. */
const OFFSET_PREFIX = Math.random().toString(36).slice(2, 8);
let offsets = 0;

export class GuardedSessionAdapter extends SessionAwareAdapter {
  constructor(nsp: ConstructorParameters<typeof SessionAwareAdapter>[0]) {
    super(nsp);
    // Every broadcast is kept for the window: a sweep once a minute kept them up to three times as long.
    const trim = setInterval(() => {
      const { packets } = this as unknown as AdapterInternals;
      const threshold = Date.now() - RECOVERY_WINDOW_MS;
      let expired = 0;
      while (expired < packets.length && packets[expired]!.emittedAt < threshold) expired += 1;
      if (expired > 0) packets.splice(0, expired);
    }, TRIM_INTERVAL_MS);
    trim.unref();
  }

  /** SessionAwareAdapter's own keeping (the same packets, the same offset at the end of the data), with the frame kept instead of the data. */
  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    const kept = packet.type === EVENT && packet.id === undefined && opts.flags?.volatile === undefined && !this.#isConnectState(packet, opts);
    if (!kept) {
      Adapter.prototype.broadcast.call(this, packet, opts);
      return;
    }
    const id = `${OFFSET_PREFIX}${(offsets += 1).toString(36)}`;
    (packet.data as unknown[]).push(id);
    lastEncoded = undefined;
    Adapter.prototype.broadcast.call(this, packet, opts);
    const frame = plainFrame(lastEncoded);
    lastEncoded = undefined;
    const except = opts.except && opts.except.size > 0 ? [...opts.except] : null;
    const range = frame === undefined ? null : frameSlabs.keep(frame);
    (this as unknown as AdapterInternals).packets.push({
      id,
      emittedAt: Date.now(),
      slab: range?.slab ?? null,
      start: range?.start ?? 0,
      end: range?.end ?? 0,
      data: range ? null : (packet.data as unknown[]),
      rooms: keptRooms(opts.rooms),
      except,
    });
  }

  /** One socket's own copy of the connect state (not the same event sent to a user's room). */
  #isConnectState(packet: Packet, opts: BroadcastOptions): boolean {
    if (opts.rooms.size !== 1 || !Array.isArray(packet.data) || !CONNECT_STATE_EVENTS.has(packet.data[0])) return false;
    const [room] = opts.rooms;
    return room !== undefined && this.nsp.sockets.has(room);
  }
  override restoreSession(pid: string, offset: string): ReturnType<SessionAwareAdapter["restoreSession"]> {
    // The stock adapter keeps these private; their shape is pinned by the socket.io-adapter version.
    const { sessions, packets } = this as unknown as AdapterInternals;
    const session = sessions.get(pid);
    sessions.delete(pid); // one use: a replay of the same pid finds nothing
    const index = packets.findIndex((packet) => packet.id === offset);
    if (!session || !isSocketData(session.data) || index === -1 || session.disconnectedAt + RECOVERY_WINDOW_MS < Date.now()) {
      return Promise.resolve(null as never);
    }
    const recovery: ParkedRecovery = {
      ownerId: session.data.userId,
      packets: packets.slice(index + 1).map((packet) => ({
        // The frame is `2` (one byte) and the JSON of the data.
        data: packet.slab ? (JSON.parse(packet.slab.toString("utf8", packet.start + 1, packet.end)) as unknown[]) : (packet.data ?? []),
        rooms: roomList(packet.rooms),
        except: packet.except ? [...packet.except] : [],
      })),
    };
    const data: Partial<SocketData> = { recovery };
    return Promise.resolve({ sid: session.sid, pid: session.pid, rooms: [], data, missedPackets: [] });
  }
}

// Records what Adapter#broadcast encodes, for the kept frame above (`_encode` is private in the typings).
const adapterEncode = (Adapter.prototype as unknown as Encoding)._encode;
(GuardedSessionAdapter.prototype as unknown as Encoding)._encode = function (this: Adapter, packet: Packet, packetOpts: unknown): unknown[] {
  const encoded = adapterEncode.call(this, packet, packetOpts);
  lastEncoded = encoded;
  return encoded;
};

/** After rooms are recomputed: replays the parked packets this socket may still receive, in order. */
export function replayRecoveredPackets(socket: AppServerSocket, recovery: ParkedRecovery | undefined): number {
  if (!recovery) return 0;
  const rooms = [...socket.rooms];
  let replayed = 0;
  for (const packet of recovery.packets) {
    const included = packet.rooms.length === 0 || packet.rooms.some((room) => socket.rooms.has(room));
    const excluded = packet.except.some((room) => rooms.includes(room));
    if (!included || excluded) continue;
    // The stored data is [event, ...args, offset]: the offset keeps the client's recovery position current.
    (socket.emit as (...args: unknown[]) => boolean)(...packet.data);
    replayed += 1;
  }
  return replayed;
}

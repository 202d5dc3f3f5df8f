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

import type { AppServerSocket, ParkedRecovery, SocketData } from "./types";

/** Short gaps only: longer ones resync from the database, and the buffer of broadcasts stays small. */
export const RECOVERY_WINDOW_MS = 30_000;

type StoredPacket = { id: string; emittedAt: number; data: unknown[]; opts: { rooms: Set<string>; except: Set<string> } };
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

  override broadcast(packet: Packet, opts: BroadcastOptions): void {
    if (this.#isConnectState(packet, opts)) {
      Adapter.prototype.broadcast.call(this, packet, opts);
      return;
    }
    super.broadcast(packet, opts);
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
      packets: packets.slice(index + 1).map((packet) => ({ data: packet.data, rooms: [...packet.opts.rooms], except: [...packet.opts.except] })),
    };
    const data: Partial<SocketData> = { recovery };
    return Promise.resolve({ sid: session.sid, pid: session.pid, rooms: [], data, missedPackets: [] });
  }
}

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

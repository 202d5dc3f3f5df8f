/**
 * Connection-state recovery, made safe (DESIGN.md, traps). Stock Socket.IO restores a session from
 * the pid/offset a client presents *before* any middleware runs: it joins the old rooms and writes
 * the missed packets to the wire at once, so a replayed pid leaks someone else's traffic. Here a
 * restore hands out nothing: no rooms, no packets. The missed packets are parked on `socket.data`
 * with the owner's id; the auth middleware refuses the socket unless the token is the owner's; rooms
 * are recomputed from the database by the normal connect path; only then are the parked packets
 * replayed, filtered by those fresh rooms. A session can be restored once.
 */
import { SessionAwareAdapter } from "socket.io-adapter";

import type { AppServerSocket, ParkedRecovery, SocketData } from "./types";

/** Short gaps only: longer ones resync from the database, and the buffer of broadcasts stays small. */
export const RECOVERY_WINDOW_MS = 30_000;

type StoredPacket = { id: string; emittedAt: number; data: unknown[]; opts: { rooms: Set<string>; except: Set<string> } };
type StoredSession = { sid: string; pid: string; rooms: string[]; data: unknown; disconnectedAt: number };
type AdapterInternals = { sessions: Map<string, StoredSession>; packets: StoredPacket[] };

function isSocketData(data: unknown): data is SocketData {
  return typeof data === "object" && data !== null && typeof (data as SocketData).userId === "string";
}

export class GuardedSessionAdapter extends SessionAwareAdapter {
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

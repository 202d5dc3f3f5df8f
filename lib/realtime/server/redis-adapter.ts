/**
 * Scale-out: Socket.IO's Redis Streams adapter (broadcasts reach every process; the stream is also
 * the buffer connection-state recovery replays from, so recovery keeps working when a client comes
 * back on another process). Its stock `restoreSession` has the trap recovery.ts closes for the
 * memory adapter: it hands the old rooms and the missed packets to whoever presents the pid. This
 * one does what `GuardedSessionAdapter` does: nothing is handed out; the missed packets are parked
 * with the owner's id, the auth middleware refuses anyone else, and they are replayed only through
 * the rooms recomputed from the database. A session is restored once (GET and DEL in one MULTI).
 */
import { decode } from "@msgpack/msgpack";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import type { Redis } from "ioredis";
import type { Adapter } from "socket.io-adapter";

import type { ParkedRecovery, SocketData } from "./types";

const STREAM = "parley:sio";
const SESSION_PREFIX = "parley:sio:session:";
/** Messages kept in the stream: the recovery buffer across processes (a 30 s gap at ~300 broadcasts/s). */
const STREAM_MAX_LEN = 10_000;
/** Bounds one restore's work: XRANGE pages of 100. */
const MAX_RESTORE_PAGES = 100;
const BROADCAST = "3";

type Session = { sid: string; pid: string; rooms: string[]; data: unknown };
type RestoredSession = Session & { missedPackets: unknown[][] };
type BroadcastData = { packet: { data: unknown[] }; opts: { rooms?: string[]; except?: string[] } };
type Decode = (raw: Record<string, string>) => { type: number; nsp: string; data?: unknown };
type AdapterFactory = (nsp: unknown) => Adapter;

const isSocketData = (data: unknown): data is SocketData => typeof data === "object" && data !== null && typeof (data as SocketData).userId === "string";
const nextOffset = (offset: string) => {
  const [time, sequence] = offset.split("-");
  return `${time}-${Number(sequence) + 1}`;
};
const fieldsOf = (flat: string[]): Record<string, string> => {
  const fields: Record<string, string> = {};
  for (let index = 0; index + 1 < flat.length; index += 2) fields[flat[index] as string] = flat[index + 1] as string;
  return fields;
};

async function restoreGuarded(redis: Redis, nsp: string, decodeMessage: Decode, pid: string, offset: string): Promise<RestoredSession | null> {
  if (!/^[0-9]+-[0-9]+$/.test(offset)) return null;
  const key = SESSION_PREFIX + pid;
  const [taken, offsetEntries] = await Promise.all([redis.multi().get(key).del(key).exec(), redis.xrange(STREAM, offset, offset)]);
  const raw = taken?.[0]?.[1];
  const offsetEntry = offsetEntries[0];
  if (typeof raw !== "string" || !offsetEntry) return null;
  const session = decode(Buffer.from(raw, "base64")) as Session;
  if (!isSocketData(session.data)) return null;

  const packets: ParkedRecovery["packets"] = [];
  let from = nextOffset(offset);
  for (let page = 0; page < MAX_RESTORE_PAGES; page += 1) {
    const entries = await redis.xrange(STREAM, from, "+", "COUNT", 100);
    if (entries.length === 0) break;
    for (const [id, flat] of entries) {
      from = nextOffset(id);
      const fields = fieldsOf(flat);
      if (fields.nsp !== nsp || fields.type !== BROADCAST) continue;
      const { packet, opts } = decodeMessage(fields).data as BroadcastData;
      const rooms = opts.rooms ?? [];
      const except = opts.except ?? [];
      // Only what the old session could have received; the fresh rooms filter again on replay.
      const reached = rooms.length === 0 || session.rooms.some((room) => rooms.includes(room));
      if (!reached || session.rooms.some((room) => except.includes(room))) continue;
      packets.push({ data: [...packet.data, id], rooms, except });
    }
  }
  const recovery: ParkedRecovery = { ownerId: session.data.userId, packets };
  return { sid: session.sid, pid: session.pid, rooms: [], data: { recovery }, missedPackets: [] };
}

export type RedisAdapterFactory = AdapterFactory & {
  /**
   * Whether every connection the adapter uses is up: the publisher and the duplicates it makes
   * for its subscriber and stream readers. Each reconnects on its own schedule after an outage;
   * until the subscriber is back, other processes count one server fewer and their cross-process
   * requests (fetchSockets) silently skip this one, so readiness waits for all of them.
   */
  connectionsReady(): boolean;
};

/** The adapter factory for `new Server({ adapter })`. `redis` must be an "adapter" connection (lib/redis/client.ts). */
export function createRedisAdapterFactory(redis: Redis): RedisAdapterFactory {
  const connections: Redis[] = [redis];
  const duplicate = redis.duplicate.bind(redis);
  redis.duplicate = ((...args: Parameters<Redis["duplicate"]>) => {
    const connection = duplicate(...args);
    connections.push(connection);
    return connection;
  }) as Redis["duplicate"];
  const factory = createAdapter(redis, {
    streamName: STREAM,
    sessionKeyPrefix: SESSION_PREFIX,
    channelPrefix: "parley:sio",
    maxLen: STREAM_MAX_LEN,
  }) as unknown as AdapterFactory;
  // Socket.IO calls it with `new`: a plain function (not an arrow) returning the adapter.
  const guardedAdapter = function guardedAdapter(nsp: unknown): Adapter {
    const adapter = factory(nsp);
    const decodeMessage = (adapter.constructor as unknown as { decode: Decode }).decode;
    const name = (nsp as { name: string }).name;
    adapter.restoreSession = ((pid: string, offset: string) =>
      restoreGuarded(redis, name, decodeMessage, pid, offset)) as unknown as Adapter["restoreSession"];
    return adapter;
  };
  return Object.assign(guardedAdapter, { connectionsReady: () => connections.every((connection) => connection.status === "ready") });
}

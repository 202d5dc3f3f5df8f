/**
 * What the memory suite reads inside the server process, through the V8 inspector
 * (test/support/inspector.ts): the Socket.IO server's sockets, rooms and connection-recovery buffer
 * (reachable from the global scope: lib/realtime/server/registry.ts), the sizes of the module-level
 * maps (lib/ops/debug-counts.ts, PARLEY_DEBUG_COUNTS=1) and the process's active handles; then, in a
 * full probe, the JavaScript heap after a full GC and counts of live objects by prototype over the
 * whole heap: timers (unref'd ones too, which `getActiveResourcesInfo` leaves out), event emitters
 * and their listeners, Maps and Sets with their entries, promises. Test-only.
 */
import type { Inspector } from "@/test/support/inspector";

export type ServerState = {
  sockets: number;
  /** engine.io connections, and TCP connections of the http server (Next's keep-alive ones too). */
  engineClients: number;
  httpConnections: number;
  rooms: number;
  sids: number;
  /** Connection-state recovery: sessions kept for a reconnect, broadcasts kept for a replay, the oldest one's age. */
  recovery: { sessions: number; packets: number; oldestMs: number };
  /** `process.getActiveResourcesInfo()` by type: ref'd handles, requests and timers. */
  resources: Record<string, number>;
  /** Module-level state by name (lib/ops/debug-counts.ts). */
  counts: Record<string, number>;
};

export type Probe = ServerState & {
  /** Bytes of JavaScript heap in use after a full GC. */
  heapUsed: number;
  /** Live timers (neither cleared nor fired), unref'd ones included. */
  timers: number;
  emitters: number;
  listeners: number;
  maps: { count: number; entries: number };
  sets: { count: number; entries: number };
  promises: number;
};

const SERVER_STATE = `(async () => {
  const io = globalThis.__parleyRealtime;
  if (!io) throw new Error("no realtime server in globalThis.__parleyRealtime");
  if (typeof globalThis.__parleyDebugCounts !== "function") throw new Error("no __parleyDebugCounts: start the server with PARLEY_DEBUG_COUNTS=1");
  const nsp = io.of("/");
  const adapter = nsp.adapter;
  const now = Date.now();
  let oldest = now;
  for (const session of adapter.sessions.values()) oldest = Math.min(oldest, session.disconnectedAt);
  if (adapter.packets.length > 0) oldest = Math.min(oldest, adapter.packets[0].emittedAt);
  const resources = {};
  for (const type of process.getActiveResourcesInfo()) resources[type] = (resources[type] ?? 0) + 1;
  const httpConnections = await new Promise((resolve) => io.httpServer.getConnections((error, count) => resolve(error ? -1 : count)));
  return {
    sockets: nsp.sockets.size,
    engineClients: io.engine.clientsCount,
    httpConnections,
    rooms: adapter.rooms.size,
    sids: adapter.sids.size,
    recovery: { sessions: adapter.sessions.size, packets: adapter.packets.length, oldestMs: now - oldest },
    resources,
    counts: globalThis.__parleyDebugCounts(),
  };
})()`;

/** Node's Timeout class has no global name: its prototype is taken from a timer made and cleared at once. */
const TIMEOUT_PROTOTYPE = "(() => { const timer = setTimeout(() => {}, 0); clearTimeout(timer); return Object.getPrototypeOf(timer); })()";
/** EventEmitter.prototype: the first object up process's prototype chain that owns setMaxListeners. */
const EMITTER_PROTOTYPE = "(() => { let p = process; while (p && !Object.prototype.hasOwnProperty.call(p, 'setMaxListeners')) p = Object.getPrototypeOf(p); return p; })()";
// The arrays hold subclass prototypes too (their chain has the prototype): those throw, and are skipped.
const LISTENERS = `(all) => all.reduce((sum, emitter) => {
  try { return { emitters: sum.emitters + 1, listeners: sum.listeners + emitter.eventNames().reduce((n, name) => n + emitter.listenerCount(name), 0) }; }
  catch { return sum; }
}, { emitters: 0, listeners: 0 })`;
const ENTRIES = `(all) => all.reduce((sum, collection) => {
  try { return { count: sum.count + 1, entries: sum.entries + collection.size }; }
  catch { return sum; }
}, { count: 0, entries: 0 })`;

/** An answer takes milliseconds; a lost one is asked again rather than waited for (the inspector's own limit is 2 min). */
const STATE_TIMEOUT_MS = 15_000;
const STATE_ATTEMPTS = 3;

/**
 * Sockets, rooms, the recovery buffer, handles and the module-level counts: cheap, no GC. Asked
 * again if no answer comes: once in a CI run (PostgreSQL) the first of these calls was never
 * answered while the server went on serving sockets; a server that really stopped answers none.
 */
export async function serverState(inspector: Inspector): Promise<ServerState> {
  for (let attempt = 1; ; attempt += 1) {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the server state: no answer within ${STATE_TIMEOUT_MS} ms (attempt ${attempt} of ${STATE_ATTEMPTS})`)), STATE_TIMEOUT_MS);
    });
    try {
      return await Promise.race([inspector.evaluate<ServerState>(SERVER_STATE), late]);
    } catch (error) {
      if (attempt >= STATE_ATTEMPTS || !String((error as Error).message).includes("no answer")) throw error;
      console.warn(`[memory probe] ${(error as Error).message}; asking again`);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** The heap after a full GC. */
export async function heapAfterGc(inspector: Inspector): Promise<number> {
  await inspector.collectGarbage();
  return inspector.heapUsed();
}

/** Everything, after a full GC (each object query collects garbage and walks the heap: about a second each). */
export async function probe(inspector: Inspector): Promise<Probe> {
  await inspector.collectGarbage();
  const state = await serverState(inspector);
  const timers = await inspector.queryObjects<number>(TIMEOUT_PROTOTYPE, "(all) => all.filter((timer) => timer._destroyed === false).length");
  const { emitters, listeners } = await inspector.queryObjects<{ emitters: number; listeners: number }>(EMITTER_PROTOTYPE, LISTENERS);
  const maps = await inspector.queryObjects<Probe["maps"]>("Map.prototype", ENTRIES);
  const sets = await inspector.queryObjects<Probe["sets"]>("Set.prototype", ENTRIES);
  const promises = await inspector.queryObjects("Promise.prototype");
  // Last: the queries above allocate a little.
  const heapUsed = await heapAfterGc(inspector);
  return { ...state, heapUsed, timers, emitters, listeners, maps, sets, promises };
}

/** Samples the heap (no GC) every `everyMs` until stopped; `peak` is the largest sample. */
export function heapSampler(inspector: Inspector, everyMs = 500): { peak: () => number; stop: () => Promise<void> } {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, await inspector.heapUsed().catch(() => 0));
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    peak: () => peak,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * Read-only sizes of the process's in-memory state (presence, viewing, limiter keys, caches, queues),
 * for the memory reliability suite (test/reliability/memory.integration.test.ts). That suite looks
 * into a running server through the V8 inspector, whose `Runtime.evaluate` sees the global scope
 * only: the Socket.IO server is reachable there (registry.ts), but module-level maps are not, so
 * each registers a size getter here. Nothing is recorded unless PARLEY_DEBUG_COUNTS=1 (a test flag,
 * never set in production); then `globalThis.__parleyDebugCounts()` returns every count by name.
 * Numbers only: nothing here can reach or change the state itself.
 *
 * The getters live on globalThis, like the registry, because Next bundles its route handlers apart
 * from server.ts: a module in both keeps two copies of its state, and both copies are counted (summed
 * under one name).
 */
type Counter = () => number;
type Slot = { __parleyDebugCounters?: Map<string, Counter[]>; __parleyDebugCounts?: () => Record<string, number> };

const enabled = process.env.PARLEY_DEBUG_COUNTS === "1";

/** Registers `count` under `name` (only with PARLEY_DEBUG_COUNTS=1). Call once per long-lived instance. */
export function exposeCount(name: string, count: Counter): void {
  if (!enabled) return;
  const slot = globalThis as Slot;
  const counters = (slot.__parleyDebugCounters ??= new Map<string, Counter[]>());
  counters.set(name, [...(counters.get(name) ?? []), count]);
  slot.__parleyDebugCounts ??= () => Object.fromEntries([...counters].map(([key, getters]) => [key, getters.reduce((sum, get) => sum + get(), 0)]));
}

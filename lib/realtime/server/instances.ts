/**
 * Processes and the sockets they hold (scale-out): lets the survivors clean up after a process
 * that died without running its disconnect handlers (SIGKILL, OOM, a lost host).
 *
 * Each process keeps `parley:instance:<id>` alive with a TTL and lists its sockets
 * (`userId|socketId`) in `parley:instance:<id>:sockets`. Every process also reaps: an instance in
 * `parley:instances` whose alive key expired is claimed by exactly one reaper (SET NX), which calls
 * the dead-instance listeners once and the dead-socket listeners once per socket, then deletes the
 * bookkeeping. A socket whose listeners failed stays listed and is retried when the claim expires,
 * so listeners must be idempotent; they may also see a socket whose own disconnect handler had
 * already run partly (the process died in between).
 *
 * Presence tracks sockets (presence-handlers.ts: tracked before the socket is added anywhere,
 * untracked after it was removed everywhere). Without Redis nothing here runs: `trackSocket` and
 * `untrackSocket` do nothing and no listener is ever called. Node-only.
 */
import type { Logger } from "pino";

import { INSTANCE_ID } from "@/lib/ops/instance";
import { type RedisClient, withRedis } from "@/lib/redis/client";
import { luaScript } from "@/lib/redis/lua-script";

export const INSTANCES_KEY = "parley:instances";
const aliveKey = (instanceId: string) => `parley:instance:${instanceId}`;
const socketsKey = (instanceId: string) => `parley:instance:${instanceId}:sockets`;
const claimKey = (instanceId: string) => `parley:instance:${instanceId}:reaper`;

export const INSTANCE_TTL_MS = 15_000;
export const INSTANCE_REFRESH_MS = 5_000;
export const REAP_INTERVAL_MS = 5_000;
/** How long one reaper owns a dead instance; a reaper that dies mid-way (or a failed socket) is retried after it. */
export const CLAIM_MS = 60_000;
/** Dead sockets handled at once: enough to be quick, few enough not to flood Redis and the database. */
const REAP_CONCURRENCY = 20;

export type DeadSocketListener = (userId: string, socketId: string) => Promise<void> | void;
export type DeadInstanceListener = (instanceId: string) => Promise<void> | void;
export type DeadListeners = { sockets: Set<DeadSocketListener>; instances: Set<DeadInstanceListener> };

export type InstanceTrackerOptions = {
  redis: RedisClient;
  logger: Logger;
  instanceId: string;
  listeners: DeadListeners;
  ttlMs?: number;
  refreshMs?: number;
  reapMs?: number;
  claimMs?: number;
  /**
   * Our alive key was gone when we refreshed it (a stall longer than the TTL, or Redis lost its
   * data): others may have reaped our sockets although they are still connected.
   */
  onPresumedDead?: () => void;
};

export type InstanceTracker = {
  readonly instanceId: string;
  track(userId: string, socketId: string): Promise<void>;
  untrack(userId: string, socketId: string): Promise<void>;
  /** One reaping pass (the timer runs it too); returns the instances this tracker reaped. */
  reap(): Promise<string[]>;
  /**
   * Stops refreshing and reaping. The alive key is left to expire: sockets and grace periods this
   * process still held are then reaped by another process (or by this one's successor).
   */
  stop(): void;
};

/**
 * KEYS: alive, sockets, instances, claim. ARGV: instanceId. Forgets a reaped instance unless it
 * came back meanwhile (it was only stalled) or listed sockets after we read them: those stay for
 * its own liveness or the next claim.
 */
const FORGET = luaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 or redis.call('SCARD', KEYS[2]) > 0 then return 0 end
redis.call('SREM', KEYS[3], ARGV[1])
redis.call('DEL', KEYS[4])
return 1
`);

const member = (userId: string, socketId: string) => `${userId}|${socketId}`;

/** Socket ids never contain "|" (base64url); user ids are not trusted to be free of it. */
function parseMember(value: string): { userId: string; socketId: string } | null {
  const at = value.lastIndexOf("|");
  return at > 0 ? { userId: value.slice(0, at), socketId: value.slice(at + 1) } : null;
}

async function inBatches<T>(items: readonly T[], size: number, each: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map(each));
}

export async function createInstanceTracker(options: InstanceTrackerOptions): Promise<InstanceTracker> {
  const { redis, logger, instanceId, listeners } = options;
  const ttlMs = options.ttlMs ?? INSTANCE_TTL_MS;
  const log = logger.child({ instanceId });

  const announce = () => redis.multi().set(aliveKey(instanceId), "1", "PX", ttlMs).sadd(INSTANCES_KEY, instanceId).exec();
  await withRedis(announce);

  let stopped = false;
  let refreshFailing = false;
  const refresh = async () => {
    try {
      // XX: only if it still exists. Gone means others may have reaped us in the meantime.
      const kept = await redis.set(aliveKey(instanceId), "1", "PX", ttlMs, "XX");
      if (kept === null && !stopped) {
        await announce();
        log.error("this process was presumed dead (its liveness key had expired)");
        options.onPresumedDead?.();
      }
      refreshFailing = false;
    } catch (error) {
      if (!refreshFailing) log.error({ err: error }, "could not refresh this process's liveness");
      refreshFailing = true;
    }
  };

  const reapOne = async (deadId: string): Promise<boolean> => {
    const claimed = await redis.set(claimKey(deadId), instanceId, "PX", options.claimMs ?? CLAIM_MS, "NX");
    if (claimed === null) return false;
    log.warn({ deadInstanceId: deadId }, "reaping a dead process");
    for (const listener of listeners.instances) await listener(deadId);
    const members = await redis.smembers(socketsKey(deadId));
    let failed = 0;
    await inBatches(members, REAP_CONCURRENCY, async (value) => {
      const parsed = parseMember(value);
      try {
        if (parsed) for (const listener of listeners.sockets) await listener(parsed.userId, parsed.socketId);
        await redis.srem(socketsKey(deadId), value);
      } catch (error) {
        failed += 1;
        log.error({ err: error, deadInstanceId: deadId, socket: value }, "could not release a dead process's socket");
      }
    });
    // Failed sockets stay listed; the claim expires and someone tries them again.
    if (failed > 0) return true;
    await FORGET(redis, [aliveKey(deadId), socketsKey(deadId), INSTANCES_KEY, claimKey(deadId)], [deadId]);
    return true;
  };

  let reaping: Promise<string[]> | null = null;
  const reapPass = async (): Promise<string[]> => {
    const others = (await redis.smembers(INSTANCES_KEY)).filter((id) => id !== instanceId);
    if (others.length === 0) return [];
    const pipeline = redis.pipeline();
    for (const id of others) pipeline.exists(aliveKey(id));
    const alive = (await pipeline.exec()) ?? [];
    const dead = others.filter((_, index) => {
      const [error, exists] = alive[index] ?? [null, 1];
      return !error && exists === 0;
    });
    const reaped: string[] = [];
    for (const id of dead) {
      try {
        if (await reapOne(id)) reaped.push(id);
      } catch (error) {
        // A listener for the whole instance failed (or Redis went away): the claim expires, someone retries.
        log.error({ err: error, deadInstanceId: id }, "could not reap a dead process");
      }
    }
    return reaped;
  };
  // One pass at a time per process: a slow pass is not overtaken by the next tick.
  const reap = () => {
    reaping ??= reapPass().finally(() => (reaping = null));
    return reaping;
  };

  const refreshTimer = setInterval(() => void refresh(), options.refreshMs ?? INSTANCE_REFRESH_MS);
  refreshTimer.unref();
  // Back from an outage: learn at once whether we were presumed dead, before others reap us or clients rely on us.
  const onReconnected = () => void refresh();
  redis.on("ready", onReconnected);
  let reapFailing = false;
  const reapTimer = setInterval(() => {
    reap().then(
      () => (reapFailing = false),
      (error: unknown) => {
        if (!reapFailing) log.error({ err: error }, "reaping failed");
        reapFailing = true;
      },
    );
  }, options.reapMs ?? REAP_INTERVAL_MS);
  reapTimer.unref();

  return {
    instanceId,
    async track(userId, socketId) {
      await withRedis(() => redis.sadd(socketsKey(instanceId), member(userId, socketId)));
    },
    async untrack(userId, socketId) {
      await withRedis(() => redis.srem(socketsKey(instanceId), member(userId, socketId)));
    },
    reap,
    stop() {
      stopped = true;
      redis.off("ready", onReconnected);
      clearInterval(refreshTimer);
      clearInterval(reapTimer);
    },
  };
}

// The process's tracker and listeners. Listeners may be registered before tracking starts (or
// when it never does: memory mode), so they live apart from the tracker.
const processListeners: DeadListeners = { sockets: new Set(), instances: new Set() };
let processTracker: InstanceTracker | null = null;

/** Called once per socket of a dead process, on the one process that reaped it. Returns an unregister function. */
export function onDeadInstanceSocket(listener: DeadSocketListener): () => void {
  processListeners.sockets.add(listener);
  return () => processListeners.sockets.delete(listener);
}

/** Called once per dead process, before its sockets, on the one process that reaped it. Returns an unregister function. */
export function onDeadInstance(listener: DeadInstanceListener): () => void {
  processListeners.instances.add(listener);
  return () => processListeners.instances.delete(listener);
}

/** Records a socket this process holds (nothing without Redis). Call before the socket enters any shared state. */
export async function trackSocket(userId: string, socketId: string): Promise<void> {
  await processTracker?.track(userId, socketId);
}

/** The socket closed normally (nothing without Redis). Call after it left every shared state. */
export async function untrackSocket(userId: string, socketId: string): Promise<void> {
  await processTracker?.untrack(userId, socketId);
}

/** Starts this process's liveness and reaper (INSTANCE_ID). Returns the stop function. */
export async function startInstanceTracking(
  redis: RedisClient,
  logger: Logger,
  options: Pick<InstanceTrackerOptions, "onPresumedDead" | "ttlMs" | "refreshMs" | "reapMs"> = {},
): Promise<() => void> {
  if (processTracker) throw new Error("instance tracking is already running");
  const tracker = await createInstanceTracker({ redis, logger, instanceId: INSTANCE_ID, listeners: processListeners, ...options });
  processTracker = tracker;
  return () => {
    tracker.stop();
    if (processTracker === tracker) processTracker = null;
  };
}

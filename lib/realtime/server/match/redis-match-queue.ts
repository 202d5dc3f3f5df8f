/**
 * The match queue in Redis, shared by every process. Each operation takes a Redis lock, loads the
 * queue's snapshot, rebuilds the same synchronous queue core the memory queue uses (queue-core.ts),
 * runs the operation, and saves the snapshot back (only if it changed, and only while the lock is
 * still ours). So pairing is atomic across processes with the rules written once, at the cost of
 * moving the whole queue per operation: fine for the hundreds who wait at once, not for millions.
 */
import { AppError } from "@/lib/errors";
import { type RedisClient, withRedis } from "@/lib/redis/client";
import { withLock } from "@/lib/redis/lock";
import type { MatchQueue } from "./match-queue";
import { createQueueCore, type IsBusy, type QueueCore, type QueueSnapshot } from "./queue-core";

const PREFIX = "parley:match:";
const STATE = `${PREFIX}queue`;
const SIZE = `${PREFIX}queue-size`;
const LOCK = `${PREFIX}queue-lock`;

/** KEYS: lock, state, size. ARGV: token, snapshot, size. 0 when the lock expired and another holder may have written. */
const SAVE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SET', KEYS[3], ARGV[3])
return 1`;

export type RedisMatchQueueOptions = {
  relaxAfterMs: number;
  /** Those in a live call (ringing too), skipped at pairing; asked once per operation for everyone waiting. */
  busyAmong: (userIds: readonly string[]) => Promise<ReadonlySet<string>>;
};

export function createRedisMatchQueue(redis: RedisClient, { relaxAfterMs, busyAmong }: RedisMatchQueueOptions): MatchQueue {
  /** One operation on the shared queue; `needsBusy`: it may pair, so who is busy is fetched first. */
  function locked<T>(needsBusy: boolean, operation: (core: QueueCore, isBusy: IsBusy) => T): Promise<T> {
    return withLock(redis, LOCK, async (token) => {
      const before = await withRedis(() => redis.get(STATE));
      const core = createQueueCore(relaxAfterMs, before ? (JSON.parse(before) as QueueSnapshot) : undefined);
      const busy = needsBusy ? await busyAmong(core.waitingIds()) : new Set<string>();
      const result = operation(core, (userId) => busy.has(userId));
      const after = JSON.stringify(core.snapshot());
      if (after !== before) {
        const saved = await withRedis(() => redis.eval(SAVE, 3, LOCK, STATE, SIZE, token, after, core.size()));
        // Nothing of this operation reached anyone yet: failing it is safe, saving over a successor is not.
        if (saved !== 1) throw new AppError("UNAVAILABLE", { message: "the match queue lock expired during an operation" });
      }
      return result;
    });
  }

  return {
    join: (request, now) => locked(true, (core, isBusy) => core.join(request, now, isBusy)),
    leave: (userId, options, now) => locked(false, (core) => core.leave(userId, options, now)),
    // Also under the lock: a status read marks "relaxed" as told.
    status: (userId, now) => locked(false, (core) => core.status(userId, now)),
    exclude: (userId, otherId) => locked(false, (core) => core.exclude(userId, otherId)),
    sweep: (now) => locked(true, (core, isBusy) => core.sweep(now, isBusy)),
    // Without the lock: a count for the sweeper and the dashboard may be a moment old.
    size: async () => Number((await withRedis(() => redis.get(SIZE))) ?? 0),
  };
}

/**
 * The match queue in this process's memory: one queue core (queue-core.ts) for the process. Who is
 * busy is fetched before each pairing turn; the turn itself is synchronous, so pairing stays atomic.
 * Memory is bounded by the people waiting (one entry each, removed when they leave, are paired or
 * their socket closes) plus a fixed ring of recent waits per language.
 */
import { exposeCount } from "@/lib/ops/debug-counts";
import type { MatchQueue } from "./match-queue";
import { createQueueCore, type IsBusy } from "./queue-core";

export type MemoryMatchQueueOptions = {
  relaxAfterMs: number;
  /** Those in a live call (ringing too): skipped at pairing, since a match call could not start. */
  busyAmong: (userIds: readonly string[]) => Promise<ReadonlySet<string>>;
};

export function createMemoryMatchQueue({ relaxAfterMs, busyAmong }: MemoryMatchQueueOptions): MatchQueue {
  const core = createQueueCore(relaxAfterMs);
  exposeCount("match.waiting", () => core.size());
  // Someone who joins during the fetch is not in the set: taken as free, as a call in flight is
  // (the match call's own begin refuses the busy).
  const busyNow = async (): Promise<IsBusy> => {
    const busy = await busyAmong(core.waitingIds());
    return (userId) => busy.has(userId);
  };

  return {
    async join(request, now) {
      const isBusy = await busyNow();
      return core.join(request, now, isBusy);
    },
    leave: (userId, options, now) => Promise.resolve(core.leave(userId, options, now)),
    status: (userId, now) => Promise.resolve(core.status(userId, now)),
    exclude(userId, otherId) {
      core.exclude(userId, otherId);
      return Promise.resolve();
    },
    async sweep(now) {
      const isBusy = await busyNow();
      return core.sweep(now, isBusy);
    },
    size: () => Promise.resolve(core.size()),
  };
}

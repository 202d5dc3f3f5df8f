/**
 * Scale-out (REDIS_URL): live calls, their timers and the match queue move to Redis, so a call
 * placed on one process to a user on another works, two people on different processes get matched,
 * and a timer survives the process that set it.
 *
 * Install before `createRealtimeServer`: its boot closes the unfinished calls of the database that
 * are not live in the call state, and with the memory state still installed that would close the
 * calls other processes are carrying. Node-only.
 */
import type { Logger } from "pino";

import { getServerEnv } from "@/lib/env";
import type { RedisClient } from "@/lib/redis/client";
import { getCallState, setCallState } from "./calls/call-state";
import { createRedisCallState } from "./calls/redis-call-state";
import { setMatchQueue } from "./match/match-queue";
import { createRedisMatchQueue } from "./match/redis-match-queue";

export function installRedisCallAndMatchState(redis: RedisClient, options: { logger?: Logger; relaxAfterMs?: number } = {}): void {
  const { logger } = options;
  setCallState(createRedisCallState(redis, { onError: (error) => logger?.error({ err: error }, "call timers failed") }));
  setMatchQueue(
    createRedisMatchQueue(redis, {
      relaxAfterMs: options.relaxAfterMs ?? getServerEnv().MATCH_RELAX_AFTER_MS,
      busyAmong: (userIds) => getCallState().busyAmong(userIds),
    }),
  );
}

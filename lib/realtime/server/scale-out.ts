/**
 * The scale-out setup (`REDIS_URL`): one place that connects Redis, swaps every piece of shared
 * realtime state to its Redis implementation (calls and their timers, the match queue, presence,
 * viewing, the membership cache's invalidation, rate limits), registers the readiness check and
 * hands io.ts the adapter. Without REDIS_URL none of this runs and the process keeps everything in
 * memory.
 */
import type { Logger } from "pino";

import { registerReadinessCheck } from "@/lib/ops/readiness";
import { createRedisClient, waitUntilReady } from "@/lib/redis/client";
import { setStateRedis } from "@/lib/redis/shared";
import { createMemoryCallState, setCallState } from "./calls/call-state";
import { releaseDeadSocket } from "./handlers/call-handlers";
import { onDeadInstanceSocket } from "./instances";
import { createRedisAdapterFactory } from "./redis-adapter";
import { installRedisCallAndMatchState } from "./shared-state-calls";
import { installRedisPresence } from "./shared-state-presence";
import type { AppServer, RealtimeDeps } from "./types";

export type ScaleOut = {
  adapter: NonNullable<RealtimeDeps["adapter"]>;
  /** Once the server exists: calls and queue places held by sockets of a dead process are released. */
  attach(io: AppServer, deps: RealtimeDeps): void;
  /** After io.close(): stops the pollers and the liveness refresh, closes the connections. */
  stop(): Promise<void>;
};

/** Must run before `createRealtimeServer` (its boot reads the call state; see shared-state-calls.ts). */
export async function startScaleOut(url: string, logger: Logger): Promise<ScaleOut> {
  const state = createRedisClient(url, "state", logger);
  const adapterClient = createRedisClient(url, "adapter", logger);
  await waitUntilReady(state);
  setStateRedis(state);
  const adapter = createRedisAdapterFactory(adapterClient);
  registerReadinessCheck("redis", async () => {
    await state.ping();
    if (!adapter.connectionsReady()) throw new Error("the Socket.IO adapter's Redis connections are not all up");
  });
  installRedisCallAndMatchState(state, { logger });
  const stopPresence = await installRedisPresence({ redis: state, logger });
  let detach: (() => void) | null = null;
  logger.info("scale-out: Redis adapter and shared state");
  return {
    adapter,
    attach(io, deps) {
      detach = onDeadInstanceSocket((userId, socketId) => releaseDeadSocket({ io, deps }, userId, socketId));
    },
    async stop() {
      detach?.();
      await stopPresence();
      setCallState(createMemoryCallState()); // closes the Redis state's timer poller
      registerReadinessCheck("redis", null);
      setStateRedis(null);
      await Promise.allSettled([state.quit(), adapterClient.quit()]);
    },
  };
}

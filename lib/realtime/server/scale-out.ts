/**
 * The scale-out setup (`REDIS_URL`): one place that connects Redis, swaps every piece of shared
 * realtime state to its Redis implementation, registers the readiness check and hands io.ts the
 * adapter. Without REDIS_URL none of this runs and the process keeps everything in memory.
 */
import type { Logger } from "pino";

import { registerReadinessCheck } from "@/lib/ops/readiness";
import { createRedisClient } from "@/lib/redis/client";
import { setStateRedis } from "@/lib/redis/shared";
import { createGuardedRedisAdapter } from "./redis-adapter";

export type ScaleOut = {
  adapter: ReturnType<typeof createGuardedRedisAdapter>;
  /** After io.close(): stops the shared-state pollers and closes the connections. */
  stop(): Promise<void>;
};

export function startScaleOut(url: string, logger: Logger): ScaleOut {
  const state = createRedisClient(url, "state", logger);
  const adapterClient = createRedisClient(url, "adapter", logger);
  setStateRedis(state);
  registerReadinessCheck("redis", () => state.ping());
  const stoppers: (() => Promise<void> | void)[] = [];
  logger.info("scale-out: Redis adapter and shared state");
  return {
    adapter: createGuardedRedisAdapter(adapterClient),
    async stop() {
      for (const stop of stoppers.reverse()) await stop();
      registerReadinessCheck("redis", null);
      setStateRedis(null);
      await Promise.allSettled([state.quit(), adapterClient.quit()]);
    },
  };
}

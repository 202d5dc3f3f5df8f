/**
 * "state" Redis clients for tests, as server.ts makes them (no offline queue), one per simulated
 * process, returned once connected (a "state" client refuses commands until then). Test-only.
 */
import { pino } from "pino";

import { createRedisClient, type RedisClient } from "@/lib/redis/client";

export async function connectStateRedis(url: string): Promise<RedisClient> {
  const client = createRedisClient(url, "state", pino({ level: "silent" }));
  if (client.status !== "ready") await new Promise<void>((resolve) => client.once("ready", () => resolve()));
  return client;
}

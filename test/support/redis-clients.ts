/**
 * "State" connections (lib/redis/client.ts) for tests, one per simulated server process. They have
 * no offline queue, so a test waits until each is ready before its first command. Test-only.
 */
import pino from "pino";

import { createRedisClient, type RedisClient, waitUntilReady } from "@/lib/redis/client";

export const silentLogger = pino({ level: "silent" });

export async function connectStateClient(url: string): Promise<RedisClient> {
  const client = createRedisClient(url, "state", silentLogger);
  await waitUntilReady(client);
  return client;
}

/** Closes whatever connected; a connection that never came up is just dropped. */
export async function closeClients(...clients: (RedisClient | undefined)[]): Promise<void> {
  await Promise.all(clients.map((client) => client?.quit().catch(() => client.disconnect())));
}

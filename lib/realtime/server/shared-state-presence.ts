/**
 * Scale-out for presence, "who is viewing what" and the membership cache (REDIS_URL): installs the
 * Redis states, starts this process's liveness and reaper (instances.ts) with the presence and
 * viewing listeners for dead processes' sockets, and the cross-process membership invalidation.
 * Without it everything stays in memory (the single-process default). Node-only.
 */
import type { Logger } from "pino";

import type { RedisClient } from "@/lib/redis/client";
import { startMembershipInvalidation } from "@/lib/services/membership-invalidation";
import { releaseDeadSocket, resumeGrace } from "./handlers/presence-handlers";
import { onDeadInstance, onDeadInstanceSocket, startInstanceTracking } from "./instances";
import { createRedisViewingState } from "./notifications/redis-viewing-state";
import { createMemoryViewingState, setViewingState } from "./notifications/viewing-state";
import { createMemoryPresenceState, setPresenceState } from "./presence/presence-state";
import { createRedisPresenceState } from "./presence/redis-presence-state";
import { getRealtimeServer } from "./registry";
import { INSTANCE_ID } from "@/lib/ops/instance";
import type { AppServer } from "./types";

/** Reaping emits presence changes: it waits (the claim expires, another pass retries) until the server exists. */
function requireServer(): AppServer {
  const io = getRealtimeServer();
  if (!io) throw new Error("the realtime server is not running yet");
  return io;
}

/**
 * Call once at startup, before the server accepts sockets, with the "state" connection
 * (lib/redis/client.ts). Returns the stop function (for shutdown, after the sockets are closed).
 */
export async function installRedisPresence({ redis, logger }: { redis: RedisClient; logger: Logger }): Promise<() => Promise<void>> {
  const presence = createRedisPresenceState(redis, { instanceId: INSTANCE_ID });
  const viewing = createRedisViewingState(redis);
  setPresenceState(presence);
  setViewingState(viewing);

  const unregister = [
    // Grace periods the dead process was running first, then its sockets (which may start new ones).
    onDeadInstance(async (deadId) => resumeGrace({ io: requireServer(), logger }, await presence.adoptLingering(deadId))),
    onDeadInstanceSocket((userId, socketId) => releaseDeadSocket({ io: requireServer(), logger }, userId, socketId)),
    onDeadInstanceSocket((userId, socketId) => viewing.remove(userId, socketId)),
  ];
  const stopTracking = await startInstanceTracking(redis, logger, {
    // Others may have reaped our sockets while we stalled: reconnecting them registers them again everywhere.
    onPresumedDead: () => getRealtimeServer()?.local.disconnectSockets(true),
  });
  const stopInvalidation = await startMembershipInvalidation(redis, logger);

  return async () => {
    stopTracking();
    for (const off of unregister) off();
    await stopInvalidation();
    setPresenceState(createMemoryPresenceState());
    setViewingState(createMemoryViewingState());
  };
}

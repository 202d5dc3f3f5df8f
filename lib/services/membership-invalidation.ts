/**
 * Scale-out: a membership change in one process clears the cached entry in every process. The
 * invalidating process publishes the conversation id on a Redis channel; every process (itself
 * included, harmlessly) drops its copy. Pub/sub is fire-and-forget, so whenever the subscriber
 * reconnects the whole cache is dropped: messages sent while it was away are lost, the database is
 * not. Node-only (server.ts); Next's route handlers share the cache through globalThis and
 * invalidate through the notifier installed here.
 */
import type { Logger } from "pino";

import type { RedisClient } from "@/lib/redis/client";
import { getMembershipCache, type MembershipCache } from "./membership-cache";

export const MEMBERSHIP_INVALIDATE_CHANNEL = "parley:membership:invalidate";

/** Subscribes (on a dedicated connection) and connects `cache` to its peers. Returns the stop function. */
export async function startMembershipInvalidation(redis: RedisClient, logger: Logger, cache: MembershipCache = getMembershipCache()): Promise<() => Promise<void>> {
  // A subscribed connection can do nothing else; it waits for Redis rather than failing fast.
  const subscriber = redis.duplicate({ connectionName: "parley-membership", enableOfflineQueue: true, maxRetriesPerRequest: null });
  subscriber.on("error", () => undefined); // the state connection already reports outages
  subscriber.on("message", (channel: string, conversationId: string) => {
    if (channel === MEMBERSHIP_INVALIDATE_CHANNEL) cache.forget(conversationId);
  });
  let subscribed = false;
  subscriber.on("ready", () => {
    // ioredis resubscribes by itself; what was published meanwhile is gone.
    if (subscribed) cache.clear();
  });
  await subscriber.subscribe(MEMBERSHIP_INVALIDATE_CHANNEL);
  subscribed = true;

  let failing = false;
  cache.setPeerNotifier((conversationId) => {
    redis.publish(MEMBERSHIP_INVALIDATE_CHANNEL, conversationId).then(
      () => (failing = false),
      (error: unknown) => {
        // The others' subscribers were most likely cut off as well, and clear everything when back.
        if (!failing) logger.error({ err: error, conversationId }, "could not send a membership invalidation");
        failing = true;
      },
    );
  });

  return async () => {
    cache.setPeerNotifier(null);
    await subscriber.quit().catch(() => subscriber.disconnect());
  };
}

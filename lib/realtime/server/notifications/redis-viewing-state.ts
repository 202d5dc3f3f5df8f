/**
 * What each socket shows, shared by every process through Redis (scale-out): one hash per user,
 * socketId → conversationId. Sockets of a process that died are removed by whoever reaps it
 * (instances.ts). Node-only.
 */
import { type RedisClient, withRedis } from "@/lib/redis/client";
import { luaScript } from "@/lib/redis/lua-script";
import type { ViewingState } from "./viewing-state";

export const VIEWING_PREFIX = "parley:viewing:";
const userKey = (userId: string) => `${VIEWING_PREFIX}${userId}`;

/** KEYS: one hash per user. ARGV: conversationId. Returns the 1-based indexes of the users viewing it. */
const VIEWERS_AMONG = luaScript(`
local found = {}
for i, key in ipairs(KEYS) do
  for _, shown in ipairs(redis.call('HVALS', key)) do
    if shown == ARGV[1] then
      found[#found + 1] = i
      break
    end
  end
end
return found
`);

export function createRedisViewingState(redis: RedisClient): ViewingState {
  const viewersAmong = async (userIds: readonly string[], conversationId: string): Promise<Set<string>> => {
    if (userIds.length === 0) return new Set();
    const found = (await withRedis(() => VIEWERS_AMONG(redis, userIds.map(userKey), [conversationId]))) as number[];
    return new Set(found.map((index) => userIds[index - 1] as string));
  };
  return {
    async set(userId, socketId, conversationId) {
      await withRedis(() => (conversationId === null ? redis.hdel(userKey(userId), socketId) : redis.hset(userKey(userId), socketId, conversationId)));
    },
    async remove(userId, socketId) {
      await withRedis(() => redis.hdel(userKey(userId), socketId));
    },
    async isViewing(userId, conversationId) {
      return (await viewersAmong([userId], conversationId)).has(userId);
    },
    viewersAmong,
  };
}

/**
 * Presence shared by every process through Redis (scale-out). One hash per user holds its sockets
 * (`s:<socketId>` → idle/hidden flags), the last connection status and the connect counter
 * (`epoch`); every change is one Lua script, so two processes changing the same user cannot
 * interleave. A user whose last socket closed is also listed under the process running the grace
 * timer (`lingering:<instanceId>`): if that process dies, whoever reaps it finishes the grace
 * (instances.ts). Node-only.
 */
import { type RedisClient, withRedis } from "@/lib/redis/client";
import { luaScript } from "@/lib/redis/lua-script";
import { ACTIVE, type ConnectionStatus, type PresenceState, type RemoveResult, type SocketActivity } from "./presence-state";

export const PRESENCE_PREFIX = "parley:presence:";
const userKey = (userId: string) => `${PRESENCE_PREFIX}user:${userId}`;
const lingeringKey = (instanceId: string) => `${PRESENCE_PREFIX}lingering:${instanceId}`;
const announcedKey = (userId: string) => `${PRESENCE_PREFIX}announced:${userId}`;
/** A lost announcement key only costs one repeated (identical) emit: no need to keep it forever. */
const ANNOUNCED_TTL_MS = 24 * 60 * 60 * 1000;

// Same rule as connectionFromSockets: away only when every socket is idle or hidden ("00" is
// neither); without sockets the last status stays. Returns how many sockets the user has and 1 if
// the status changed.
const RECOMPUTE = `
local function recompute(key)
  local before = redis.call('HGET', key, 'last')
  local fields = redis.call('HGETALL', key)
  local sockets, active = 0, false
  for i = 1, #fields, 2 do
    if string.sub(fields[i], 1, 2) == 's:' then
      sockets = sockets + 1
      if fields[i + 1] == '00' then active = true end
    end
  end
  if sockets == 0 then return sockets, 0 end
  local now = active and 'online' or 'away'
  redis.call('HSET', key, 'last', now)
  return sockets, (before == now) and 0 or 1
end
`;

/** KEYS: user, own lingering. ARGV: socketId, userId, flags. 1: the status changed. */
const ADD = luaScript(`${RECOMPUTE}
redis.call('HSET', KEYS[1], 's:' .. ARGV[1], ARGV[3])
redis.call('HINCRBY', KEYS[1], 'epoch', 1)
redis.call('HDEL', KEYS[2], ARGV[2])
local _, changed = recompute(KEYS[1])
return changed
`);

/** KEYS: user, own lingering. ARGV: socketId, userId. Returns {remaining, epoch, changed}. */
const REMOVE = luaScript(`${RECOMPUTE}
if redis.call('EXISTS', KEYS[1]) == 0 then return {0, 0, 0} end
redis.call('HDEL', KEYS[1], 's:' .. ARGV[1])
local sockets, changed = recompute(KEYS[1])
local epoch = tonumber(redis.call('HGET', KEYS[1], 'epoch')) or 0
if sockets == 0 then redis.call('HSET', KEYS[2], ARGV[2], epoch) end
return {sockets, epoch, changed}
`);

/** KEYS: user. ARGV: socketId, flags. 1: the status changed. */
const ACTIVITY = luaScript(`${RECOMPUTE}
if redis.call('HEXISTS', KEYS[1], 's:' .. ARGV[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 's:' .. ARGV[1], ARGV[2])
local _, changed = recompute(KEYS[1])
return changed
`);

/** KEYS: user, own lingering. ARGV: epoch, userId. 1: offline now. */
const EXPIRE = luaScript(`
if redis.call('HGET', KEYS[2], ARGV[2]) == ARGV[1] then redis.call('HDEL', KEYS[2], ARGV[2]) end
if redis.call('EXISTS', KEYS[1]) == 0 then return 1 end
local fields = redis.call('HKEYS', KEYS[1])
for _, field in ipairs(fields) do
  if string.sub(field, 1, 2) == 's:' then return 0 end
end
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
`);

/** KEYS: announced. ARGV: key, ttl. 1: differs from the previous announcement (now recorded). */
const MARK_ANNOUNCED = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`);

/** KEYS: dead lingering, own lingering. Moves the entries over (a newer own one wins) and returns them (flat: userId, epoch, ...). */
const ADOPT = luaScript(`
local entries = redis.call('HGETALL', KEYS[1])
for i = 1, #entries, 2 do
  local mine = tonumber(redis.call('HGET', KEYS[2], entries[i]))
  if not mine or mine < tonumber(entries[i + 1]) then redis.call('HSET', KEYS[2], entries[i], entries[i + 1]) end
end
redis.call('DEL', KEYS[1])
return entries
`);

const flagsOf = (activity: SocketActivity) => `${activity.isIdle ? 1 : 0}${activity.isHidden ? 1 : 0}`;
const asStatus = (value: string | null | undefined): ConnectionStatus => (value === "online" || value === "away" ? value : "offline");

export type LingeringUser = { userId: string; epoch: number };

export type RedisPresenceState = PresenceState & {
  /**
   * Takes over the grace periods a dead instance was running: its lingering users move under this
   * instance (so they survive this process dying too) and are returned with the epoch to expire.
   */
  adoptLingering(deadInstanceId: string): Promise<LingeringUser[]>;
};

/** `instanceId`: this process (lib/ops/instance.ts); tests pass one per simulated process. */
export function createRedisPresenceState(redis: RedisClient, options: { instanceId: string }): RedisPresenceState {
  const own = lingeringKey(options.instanceId);
  return {
    async addSocket(userId, socketId, activity = ACTIVE) {
      return (await withRedis(() => ADD(redis, [userKey(userId), own], [socketId, userId, flagsOf(activity)]))) === 1;
    },
    async removeSocket(userId, socketId): Promise<RemoveResult> {
      const [remaining, epoch, changed] = (await withRedis(() => REMOVE(redis, [userKey(userId), own], [socketId, userId]))) as [number, number, number];
      return { remaining, epoch, changed: changed === 1 };
    },
    async setActivity(userId, socketId, activity) {
      return (await withRedis(() => ACTIVITY(redis, [userKey(userId)], [socketId, flagsOf(activity)]))) === 1;
    },
    async expire(userId, epoch) {
      return (await withRedis(() => EXPIRE(redis, [userKey(userId), own], [epoch, userId]))) === 1;
    },
    async connectionOf(userId) {
      return asStatus(await withRedis(() => redis.hget(userKey(userId), "last")));
    },
    async socketsOf(userId) {
      const fields = await withRedis(() => redis.hkeys(userKey(userId)));
      return fields.filter((field) => field.startsWith("s:")).map((field) => field.slice(2));
    },
    async connectionsOf(userIds) {
      if (userIds.length === 0) return new Map();
      const pipeline = redis.pipeline();
      for (const userId of userIds) pipeline.hget(userKey(userId), "last");
      const replies = (await withRedis(() => pipeline.exec())) ?? [];
      return new Map(
        userIds.map((userId, index) => {
          const [error, value] = replies[index] ?? [null, null];
          if (error) throw error;
          return [userId, asStatus(value as string | null)];
        }),
      );
    },
    async markAnnounced(userId, key) {
      return (await withRedis(() => MARK_ANNOUNCED(redis, [announcedKey(userId)], [key, ANNOUNCED_TTL_MS]))) === 1;
    },
    async adoptLingering(deadInstanceId) {
      const flat = (await withRedis(() => ADOPT(redis, [lingeringKey(deadInstanceId), own], []))) as string[];
      const users: LingeringUser[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) users.push({ userId: flat[i] as string, epoch: Number(flat[i + 1]) });
      return users;
    },
  };
}

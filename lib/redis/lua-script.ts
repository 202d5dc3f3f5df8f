/**
 * A Lua script run by its SHA (EVALSHA), so the body crosses the wire once per Redis server, not
 * once per call; after a Redis restart (NOSCRIPT) it is sent again. Node-only.
 */
import { createHash } from "node:crypto";

import type { RedisClient } from "./client";

export type LuaScript = (redis: RedisClient, keys: readonly string[], args: readonly (string | number)[]) => Promise<unknown>;

export function luaScript(body: string): LuaScript {
  const sha = createHash("sha1").update(body).digest("hex");
  return async (redis, keys, args) => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return redis.eval(body, keys.length, ...keys, ...args);
    }
  };
}

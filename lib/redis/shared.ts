/**
 * The process's "state" Redis connection, or null in the embedded single-process setup. On
 * globalThis because Next's route handlers (a separate module graph in the same process) use it
 * too, for their rate limits; type-only import so ioredis never enters a Next bundle.
 */
import type { Redis } from "ioredis";

const slot = globalThis as unknown as { __parleyStateRedis?: Redis | null };

export function getStateRedis(): Redis | null {
  return slot.__parleyStateRedis ?? null;
}

export function setStateRedis(client: Redis | null): void {
  slot.__parleyStateRedis = client;
}

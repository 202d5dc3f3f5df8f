/**
 * Several real server.ts processes on one PostgreSQL database and one Redis, for the scale-out
 * tests: shared DATA_DIR (uploads), shared AUTH_SECRET (a session or socket token from one process
 * is valid on every other), REDIS_URL. Test-only.
 */
import { CHAT_SERVER_ENV } from "@/lib/realtime/server/handlers/chat-test-support";
import { TEST_POSTGRES_URL } from "@/test/support/database";
import type { TestRedis } from "@/test/support/redis";
import { createTempDir, databaseUrlFor, randomSecret, startServer, type TestServer } from "@/test/support/server";

export type Cluster = { env: Record<string, string>; databaseUrl: string; start(): Promise<TestServer> };

/** The environment every process of one deployment shares; `start()` boots one more process. */
export async function createCluster(redis: TestRedis, extra: Record<string, string> = {}, options: { databaseUrl?: string } = {}): Promise<Cluster> {
  if (!TEST_POSTGRES_URL) throw new Error("the scale-out tests need PostgreSQL: run them with `npm run test:redis` (or `npm test`)");
  const dataDir = createTempDir("parley-scale-");
  const databaseUrl = options.databaseUrl ?? (await databaseUrlFor(dataDir));
  const env = {
    ...CHAT_SERVER_ENV,
    DATA_DIR: dataDir,
    DATABASE_URL: databaseUrl,
    AUTH_SECRET: randomSecret(),
    REDIS_URL: redis.url,
    PRESENCE_OFFLINE_GRACE_MS: "300",
    ...extra,
  };
  return { env, databaseUrl, start: () => startServer({ env }) };
}

export { chatClient, type ChatClient, waitFor } from "@/test/support/chat-client";

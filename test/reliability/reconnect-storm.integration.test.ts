// Reliability: a reconnect storm. N clients in groups of 10 are connected and caught up; the server
// is SIGKILLed and started again, and every client reconnects at once (the test clients have no
// jitter, which makes the storm harsher than the browser's). Measured from the moment the new
// process is ready: the time until each client is back and has resynced (p50, p95, the last one),
// none left behind, and every client holding every message (some sent just before the kill, so
// resync has work to do). 100 clients here; RELIABILITY_SCALE=10 for 1,000 by hand.
import { afterAll, describe, it } from "vitest";

import { CHAT_SERVER_ENV } from "@/lib/realtime/server/handlers/chat-test-support";
import { chatClient, type ChatClient, waitFor } from "@/test/support/chat-client";
import { TEST_POSTGRES_URL } from "@/test/support/database";
import { freePort } from "@/test/support/redis";
import { createTempDir, randomSecret, startServer, type TestServer } from "@/test/support/server";
import { describeReport } from "./history-checker";
import { startWorkload } from "./workload";

const SCALE = Math.max(1, Number(process.env.RELIABILITY_SCALE) || 1);
const CLIENTS = 100 * SCALE;

let server: TestServer | null = null;
const clients: ChatClient[] = [];

afterAll(async () => {
  for (const client of clients) client.close();
  await server?.stop();
});

const percentile = (sorted: readonly number[], share: number) => sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * share) - 1)] ?? NaN;

describe(`reconnect storm: ${CLIENTS} clients after a restart`, () => {
  it("every client is back and resynced, none left behind, every client holds every message", async () => {
    const env = { ...CHAT_SERVER_ENV, PRESENCE_OFFLINE_GRACE_MS: "1000", DATA_DIR: createTempDir("parley-storm-"), AUTH_SECRET: randomSecret(), PORT: String(await freePort()) };
    server = await startServer({ env });
    const url = server.url;
    await Promise.all(Array.from({ length: 10 }, async (_, lane) => {
      for (let index = lane; index < CLIENTS; index += 10) clients[index] = await chatClient(url, `Client ${index}`);
    }));
    // One message per client, the last ones still being broadcast when the process dies.
    const workload = await startWorkload(clients, { groups: CLIENTS / 10, messages: CLIENTS });
    await waitFor(() => workload.acked() >= CLIENTS * 0.8, "most of the messages");
    server.kill();
    await new Promise((resolve) => server?.process.once("close", resolve));
    const readiesBefore = clients.map((client) => client.readies);
    server = await startServer({ env });
    const restartedAt = Date.now();
    const backAt = new Array<number>(CLIENTS).fill(0);
    await waitFor(
      () => {
        clients.forEach((client, index) => {
          if (!backAt[index] && client.readies > (readiesBefore[index] as number)) backAt[index] = Date.now() - restartedAt;
        });
        return backAt.every((at) => at > 0);
      },
      "every client back and resynced",
      60_000,
    );
    await workload.done;

    const sorted = [...backAt].sort((a, b) => a - b);
    await workload.verify(
      server.databaseUrl,
      (report) =>
        `reliability reconnect storm (${TEST_POSTGRES_URL ? "PostgreSQL" : "SQLite"}, ${CLIENTS} clients): back and resynced after the restart p50 ${percentile(sorted, 0.5)} ms, p95 ${percentile(sorted, 0.95)} ms, last ${sorted.at(-1)} ms; 0 left behind; ${describeReport(report)}`,
    );
    // After all of the above, nobody who left stays online (the offline grace is 1 s here).
    console.log(`reliability reconnect storm: no ghost online ${await workload.expectNoGhosts(server.url)} ms after everyone left`);
  }, 600_000);
});

// Reliability: the server process is SIGKILLed and restarted (same port, same data) several times
// while 20 clients send into shared conversations. Clients reconnect, resync and retry like the
// browser's; the history checker then counts lost, duplicated, gapped and reordered messages and
// clients whose view differs from the database. Runs on SQLite and, in the PostgreSQL pass, on
// PostgreSQL. Quick profile here; RELIABILITY_SCALE=10 for the ×10 profile by hand.
import { afterAll, describe, expect, it } from "vitest";

import { CHAT_SERVER_ENV } from "@/lib/realtime/server/handlers/chat-test-support";
import { chatClient, type ChatClient, waitFor } from "@/test/support/chat-client";
import { TEST_POSTGRES_URL } from "@/test/support/database";
import { freePort } from "@/test/support/redis";
import { createTempDir, randomSecret, startServer, type TestServer } from "@/test/support/server";
import { describeReport } from "./history-checker";
import { startWorkload } from "./workload";

const SCALE = Math.max(1, Number(process.env.RELIABILITY_SCALE) || 1);
const CLIENTS = 20;
const MESSAGES = 500 * SCALE;
const KILLS = 5;

let server: TestServer | null = null;
const clients: ChatClient[] = [];

afterAll(async () => {
  for (const client of clients) client.close();
  await server?.stop();
});

describe(`crash: ${CLIENTS} clients send ${MESSAGES} messages while the server is SIGKILLed and restarted ${KILLS} times`, () => {
  it("nothing lost, nothing duplicated, gap-free seq, every sender's order kept, every client converges", async () => {
    const env = { ...CHAT_SERVER_ENV, PRESENCE_OFFLINE_GRACE_MS: "1000", DATA_DIR: createTempDir("parley-crash-"), AUTH_SECRET: randomSecret(), PORT: String(await freePort()) };
    server = await startServer({ env });
    for (let index = 0; index < CLIENTS; index += 1) clients.push(await chatClient(server.url, `Client ${index}`));
    const startedAt = Date.now();
    const workload = await startWorkload(clients, { groups: 4, messages: MESSAGES });

    // Kill at evenly spaced points of the run; restart at once on the same port and data.
    const downtimes: number[] = [];
    for (let kill = 1; kill <= KILLS; kill += 1) {
      await waitFor(() => workload.acked() >= (MESSAGES * kill) / (KILLS + 1), `${kill}/${KILLS + 1} of the messages`, 120_000);
      const killedAt = Date.now();
      server.kill();
      await new Promise((resolve) => server?.process.once("close", resolve));
      server = await startServer({ env });
      downtimes.push(Date.now() - killedAt);
    }
    await workload.done;

    await workload.verify(
      server.databaseUrl,
      (report, reconnects) =>
        `reliability crash (${TEST_POSTGRES_URL ? "PostgreSQL" : "SQLite"}, ×${SCALE}): ${describeReport(report)}; ${KILLS} kills, downtime per restart ${Math.min(...downtimes)}–${Math.max(...downtimes)} ms, ${reconnects} reconnects, all converged ${Date.now() - startedAt} ms after the start`,
    );
    // Every client was cut (a client still reconnecting when the next kill comes is cut once for both).
    expect(clients.every((client) => client.disconnects > 0)).toBe(true);
    // After all of the above, nobody who left stays online (the offline grace is 1 s here).
    console.log(`reliability crash: no ghost online ${await workload.expectNoGhosts(server.url)} ms after everyone left`);
  }, 300_000);
});

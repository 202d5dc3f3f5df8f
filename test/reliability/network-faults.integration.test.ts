// Reliability: the same workload as the crash suite, with the server up but the network between
// it and the clients failing: every connection dropped at once (three times), all traffic stalled
// for longer than the clients' ack timeout (so sends are retried while their first try is still on
// its way), and 150 ms of added latency each way. The history checker judges. SQLite and, in the
// PostgreSQL pass, PostgreSQL; RELIABILITY_SCALE=10 for the ×10 profile by hand.
import { afterAll, describe, expect, it } from "vitest";

import { CHAT_SERVER_ENV } from "@/lib/realtime/server/handlers/chat-test-support";
import { chatClient, type ChatClient, waitFor } from "@/test/support/chat-client";
import { TEST_POSTGRES_URL } from "@/test/support/database";
import { type FaultProxy, startFaultProxy } from "@/test/support/fault-proxy";
import { startServer, type TestServer } from "@/test/support/server";
import { describeReport } from "./history-checker";
import { startWorkload } from "./workload";

const SCALE = Math.max(1, Number(process.env.RELIABILITY_SCALE) || 1);
const CLIENTS = 20;
const MESSAGES = 500 * SCALE;

let server: TestServer;
let proxy: FaultProxy;
const clients: ChatClient[] = [];

afterAll(async () => {
  for (const client of clients) client.close();
  await proxy?.close();
  await server?.stop();
});

describe(`network faults: ${CLIENTS} clients send ${MESSAGES} messages through a proxy that drops, stalls and slows`, () => {
  it("nothing lost, nothing duplicated, gap-free seq, every sender's order kept, every client converges", async () => {
    server = await startServer({ env: { ...CHAT_SERVER_ENV, PRESENCE_OFFLINE_GRACE_MS: "1000" } });
    proxy = await startFaultProxy(server.port);
    for (let index = 0; index < CLIENTS; index += 1) clients.push(await chatClient(proxy.url, `Client ${index}`, server));
    const startedAt = Date.now();
    const workload = await startWorkload(clients, { groups: 4, messages: MESSAGES });
    const at = (share: number) => waitFor(() => workload.acked() >= MESSAGES * share, `${Math.round(share * 100)} % of the messages`, 120_000);

    await at(0.15);
    proxy.dropAll();
    await at(0.3);
    await proxy.stall(4_000); // the clients' ack timeout is 3 s: their retries queue behind the held first tries
    await at(0.45);
    proxy.setLatency(150);
    await at(0.6);
    proxy.setLatency(0);
    proxy.dropAll();
    await at(0.75);
    proxy.dropAll();
    await workload.done;

    const { reconnects } = await workload.verify(
      server.databaseUrl,
      (report, cut) =>
        `reliability network faults (${TEST_POSTGRES_URL ? "PostgreSQL" : "SQLite"}, ×${SCALE}): ${describeReport(report)}; 3 drops, a 4 s stall, 150 ms latency; ${cut} reconnects, all converged ${Date.now() - startedAt} ms after the start`,
    );
    expect(reconnects).toBeGreaterThanOrEqual(CLIENTS * 3);
    // After all of the above, nobody who left stays online (the offline grace is 1 s here).
    console.log(`reliability network faults: no ghost online ${await workload.expectNoGhosts(server.url)} ms after everyone left`);
  }, 300_000);
});

// Reliability: the server process is SIGKILLed and restarted (same port, same data) several times
// while 20 clients send into shared conversations. Clients reconnect, resync and retry like the
// browser's; the history checker then counts lost, duplicated, gapped and reordered messages and
// clients whose view differs from the database. Runs on SQLite and, in the PostgreSQL pass, on
// PostgreSQL. Quick profile here; RELIABILITY_SCALE=10 for the ×10 profile by hand.
import { afterAll, describe, expect, it } from "vitest";

import { CHAT_SERVER_ENV, ok } from "@/lib/realtime/server/handlers/chat-test-support";
import { chatClient, type ChatClient, waitFor } from "@/test/support/chat-client";
import { openTestDb, TEST_POSTGRES_URL } from "@/test/support/database";
import { freePort } from "@/test/support/redis";
import { createTempDir, randomSecret, startServer, type TestServer } from "@/test/support/server";
import { checkHistory, describeReport, type SentEntry, type StoredRow } from "./history-checker";

const SCALE = Math.max(1, Number(process.env.RELIABILITY_SCALE) || 1);
const CLIENTS = 20;
const GROUPS = 4;
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
    const env = { ...CHAT_SERVER_ENV, DATA_DIR: createTempDir("parley-crash-"), AUTH_SECRET: randomSecret(), PORT: String(await freePort()) };
    server = await startServer({ env });
    const url = server.url;
    for (let index = 0; index < CLIENTS; index += 1) clients.push(await chatClient(url, `Client ${index}`));

    // Shared conversations: GROUPS groups, each client a member of one.
    const groups: string[] = [];
    for (let group = 0; group < GROUPS; group += 1) {
      const members = clients.filter((_, index) => index % GROUPS === group);
      const [owner, ...rest] = members as [ChatClient, ...ChatClient[]];
      const created = await ok(owner.socket, "conversation:create-group", { name: `Crash ${group}`, memberIds: rest.map((member) => member.id) });
      for (const member of members) member.track(created.id);
      groups.push(created.id);
    }

    const perClient = MESSAGES / CLIENTS;
    let acked = 0;
    const senders = clients.map(async (client, index) => {
      const conversationId = groups[index % GROUPS] as string;
      for (let n = 0; n < perClient; n += 1) {
        await client.sendReliably(conversationId, crypto.randomUUID(), `${client.name} #${n}`);
        acked += 1;
      }
    });

    // Kill at evenly spaced points of the run; restart at once on the same port and data.
    const startedAt = Date.now();
    const downtimes: number[] = [];
    for (let kill = 1; kill <= KILLS; kill += 1) {
      await waitFor(() => acked >= (MESSAGES * kill) / (KILLS + 1), `${kill}/${KILLS + 1} of the messages`, 120_000);
      const killedAt = Date.now();
      server.kill();
      await new Promise((resolve) => server?.process.once("close", resolve));
      server = await startServer({ env });
      downtimes.push(Date.now() - killedAt);
    }
    await Promise.all(senders);

    const db = openTestDb(server.databaseUrl);
    try {
      const lastVersions = await Promise.all(groups.map(async (id) => db.count(`SELECT "lastVersion" AS n FROM "Conversation" WHERE "id" = ?`, id)));
      await waitFor(() => clients.every((client, index) => client.versionOf(groups[index % GROUPS] as string) >= (lastVersions[index % GROUPS] as number)), "every client caught up", 60_000);
      const convergedMs = Date.now() - startedAt;
      const stored = await db.all<StoredRow>(
        `SELECT "id", "conversationId", "seq", "authorId", "clientMessageId" FROM "Message" WHERE "conversationId" IN (${groups.map(() => "?").join(",")}) AND "kind" = 'text'`,
        ...groups,
      );
      const everySeq = await db.all<{ conversationId: string; seq: number }>(
        `SELECT "conversationId", "seq" FROM "Message" WHERE "conversationId" IN (${groups.map(() => "?").join(",")})`,
        ...groups,
      );
      const seqs = new Map(groups.map((id) => [id, everySeq.filter((row) => row.conversationId === id).map((row) => row.seq)]));
      const sent: SentEntry[] = clients.flatMap((client) => client.sent.map((entry) => ({ ...entry, authorId: client.id })));
      const report = checkHistory({
        sent,
        received: new Map(clients.map((client) => [client.name, client.received])),
        stored,
        seqs,
        views: clients.map((client, index) => ({ client: client.name, conversationIds: [groups[index % GROUPS] as string], messages: [...client.view.values()].filter((message) => message.kind === "text") })),
      });
      const database = TEST_POSTGRES_URL ? "PostgreSQL" : "SQLite";
      const reconnects = clients.reduce((sum, client) => sum + client.disconnects, 0);
      console.log(
        `reliability crash (${database}, ×${SCALE}): ${describeReport(report)}; ${KILLS} kills, downtime per restart ${Math.min(...downtimes)}–${Math.max(...downtimes)} ms, ${reconnects} reconnects, all converged ${convergedMs} ms after the start`,
      );
      expect(report.findings).toEqual([]);
      expect(report).toMatchObject({ sends: MESSAGES, stored: MESSAGES, lost: 0, duplicated: 0, gaps: 0, reordered: 0, divergent: [] });
      // Every client was cut (a client still reconnecting when the next kill comes is cut once for both).
      expect(clients.every((client) => client.disconnects > 0)).toBe(true);
    } finally {
      await db.close();
    }
  }, 300_000);
});

/**
 * The shared shape of the reliability suites: clients in shared groups, each sending its share of
 * the messages one after another (retrying like the browser), while the suite breaks something;
 * then, once every client has caught up, the history checker's report. Test-only.
 */
import { expect } from "vitest";

import { ok } from "@/lib/realtime/server/handlers/chat-test-support";
import { type ChatClient, waitFor } from "@/test/support/chat-client";
import { openTestDb, type TestDb } from "@/test/support/database";
import { countOnline } from "@/test/support/presence-probe";
import { checkHistory, type HistoryReport, type SentEntry, type StoredRow } from "./history-checker";

export type Workload = {
  groups: string[];
  /** Acknowledged sends so far. */
  acked(): number;
  /** Resolves when every client has sent (and had acknowledged) its share. */
  done: Promise<void>;
  /** Waits until every client holds its group up to the database's last version, then checks. */
  report(db: TestDb): Promise<HistoryReport>;
  /**
   * The suites' common ending: the report on the server's database, one printed line (`describe`
   * adds the suite's own figures), and the clean-history expectations: no findings, every send
   * stored once, nothing lost, duplicated, gapped, reordered or divergent.
   */
  verify(databaseUrl: string, describe: (report: HistoryReport, reconnects: number) => string): Promise<{ report: HistoryReport; reconnects: number }>;
  /**
   * After everything: every client leaves, and in each group the first member comes back on a fresh
   * socket. Within the offline grace plus a margin, its presence snapshot must show every other
   * member offline (a socket the crashes or faults left behind would keep someone online). Returns
   * the time from leaving to the last group seen clean.
   */
  expectNoGhosts(url: string): Promise<number>;
};

export async function startWorkload(clients: readonly ChatClient[], options: { groups: number; messages: number }): Promise<Workload> {
  const groups: string[] = [];
  const groupOf = (index: number) => groups[index % options.groups] as string;
  for (let group = 0; group < options.groups; group += 1) {
    const members = clients.filter((_, index) => index % options.groups === group);
    const [owner, ...rest] = members as [ChatClient, ...ChatClient[]];
    const created = await ok(owner.socket, "conversation:create-group", { name: `Reliability ${group}`, memberIds: rest.map((member) => member.id) });
    for (const member of members) member.track(created.id);
    groups.push(created.id);
  }

  let acked = 0;
  const perClient = Math.ceil(options.messages / clients.length);
  const done = Promise.all(
    clients.map(async (client, index) => {
      for (let n = 0; n < perClient; n += 1) {
        await client.sendReliably(groupOf(index), crypto.randomUUID(), `${client.name} #${n}`);
        acked += 1;
      }
    }),
  ).then(() => undefined);

  const workload: Workload = {
    groups,
    acked: () => acked,
    done,
    async verify(databaseUrl, describe) {
      const db = openTestDb(databaseUrl);
      try {
        const report = await workload.report(db);
        const reconnects = clients.reduce((sum, client) => sum + client.disconnects, 0);
        console.log(describe(report, reconnects));
        expect(report.findings).toEqual([]);
        expect(report).toMatchObject({ sends: perClient * clients.length, stored: perClient * clients.length, lost: 0, duplicated: 0, gaps: 0, reordered: 0, divergent: [] });
        return { report, reconnects };
      } finally {
        await db.close();
      }
    },
    async expectNoGhosts(url) {
      for (const client of clients) client.close();
      const leftAt = Date.now();
      await Promise.all(
        groups.map(async (_, group) => {
          const [observer, ...others] = clients.filter((__, index) => index % options.groups === group) as [ChatClient, ...ChatClient[]];
          const otherIds = others.map((client) => client.id);
          await waitFor(async () => (await countOnline(url, observer.cookie, otherIds)) === 0, `no ghost online in group ${group}`, 30_000);
        }),
      );
      return Date.now() - leftAt;
    },
    async report(db) {
      const lastVersions = await Promise.all(groups.map((id) => db.count(`SELECT "lastVersion" AS n FROM "Conversation" WHERE "id" = ?`, id)));
      await waitFor(() => clients.every((client, index) => client.versionOf(groupOf(index)) >= (lastVersions[index % options.groups] as number)), "every client caught up", 60_000);
      const placeholders = groups.map(() => "?").join(",");
      const rows = await db.all<StoredRow & { kind: string }>(`SELECT "id", "conversationId", "seq", "authorId", "clientMessageId", "kind" FROM "Message" WHERE "conversationId" IN (${placeholders})`, ...groups);
      const seqs = new Map(groups.map((id) => [id, rows.filter((row) => row.conversationId === id).map((row) => row.seq)]));
      const sent: SentEntry[] = clients.flatMap((client) => client.sent.map((entry) => ({ ...entry, authorId: client.id })));
      return checkHistory({
        sent,
        received: new Map(clients.map((client) => [client.name, client.received])),
        stored: rows.filter((row) => row.kind === "text"),
        seqs,
        views: clients.map((client, index) => ({ client: client.name, conversationIds: [groupOf(index)], messages: [...client.view.values()].filter((message) => message.kind === "text") })),
      });
    },
  };
  return workload;
}

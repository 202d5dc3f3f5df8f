// Redis and PostgreSQL going away for a while under two running processes (each stopped for real
// and started again): meanwhile requests that need them fail with typed errors (never INTERNAL,
// never a hang), the processes stay up and report "not ready", and service resumes by itself when
// they return, with nothing that was acknowledged lost.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Ack } from "@/lib/realtime/protocol";
import { newId, nextMatching, ok } from "@/lib/realtime/server/handlers/chat-test-support";
import { INSTANCE_TTL_MS } from "@/lib/realtime/server/instances";
import { checkHistory, describeReport, type StoredRow } from "@/test/reliability/history-checker";
import { createPostgresTestDatabase, openTestDb } from "@/test/support/database";
import { startTestRedis, type TestRedis } from "@/test/support/redis";
import type { TestServer } from "@/test/support/server";
import { type PostgresCluster, startPostgresCluster } from "@/scripts/postgres-cluster.mjs";
import { chatClient, type ChatClient, createCluster, waitFor } from "./scale-out-support";

// How long each dependency stays down: 2 s in the quick profile, 30 s with RELIABILITY_SCALE=10
// (long enough that every process's liveness key expires and each is presumed dead by the others).
const SCALE = Math.max(1, Number(process.env.RELIABILITY_SCALE) || 1);
const OUTAGE_MS = SCALE >= 10 ? 30_000 : 2_000;
const hold = () => new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
const since = (startedAt: number) => `${((performance.now() - startedAt) / 1000).toFixed(1)} s`;

let redis: TestRedis;
let postgres: PostgresCluster;
let a: TestServer;
let b: TestServer;
let alice: ChatClient;
let bob: ChatClient;
let conversationId: string;

beforeAll(async () => {
  redis = await startTestRedis({ persistent: true });
  // Its own PostgreSQL server: this file stops it, which must not touch the suite's shared one.
  postgres = await startPostgresCluster({ port: 54_400, log: () => undefined });
  const cluster = await createCluster(redis, {}, { databaseUrl: await createPostgresTestDatabase(postgres.url) });
  a = await cluster.start();
  b = await cluster.start();
  alice = await chatClient(a.url, "Alice on A");
  bob = await chatClient(b.url, "Bob on B");
  const request = await ok(alice.socket, "contacts:request", { userId: bob.id });
  await ok(bob.socket, "contacts:respond", { requestId: request.id, accept: true });
  const group = await ok(alice.socket, "conversation:create-group", { name: "Outages", memberIds: [bob.id] });
  conversationId = group.id;
  alice.track(conversationId);
  bob.track(conversationId);
});

afterAll(async () => {
  alice?.close();
  bob?.close();
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.stop();
  postgres?.stop();
});

const ready = async (server: TestServer) => {
  const response = await fetch(`${server.url}/api/ready`);
  return { status: response.status, body: (await response.json()) as { reason?: string } };
};

/** The raw ack, within 12 s (the server's own request timeout is 10 s: it must answer first). */
const ask = async (client: ChatClient, event: string, input: unknown): Promise<Ack<unknown>> => {
  const emitter = client.socket.timeout(12_000) as unknown as { emitWithAck: (event: string, input: unknown) => Promise<unknown> };
  return (await emitter.emitWithAck(event, input)) as Ack<unknown>;
};

const stillRunning = (server: TestServer) => server.process.exitCode === null && server.process.signalCode === null;

describe("outages under two processes", () => {
  it("Redis: typed errors for what needs it, nothing acknowledged lost, resumes by itself", async () => {
    const before = await alice.sendReliably(conversationId, newId(), "before the Redis outage");
    await waitFor(() => bob.view.has(before.id), "Bob receiving the first message");

    const readies = { alice: alice.readies, bob: bob.readies };
    await redis.stop();
    const down = performance.now();
    await waitFor(async () => (await ready(a)).status === 503, "A reporting not ready");
    expect((await ready(a)).body.reason).toMatch(/redis/i);

    // Needs Redis (live call state, the match queue): UNAVAILABLE at once.
    const call = await ask(alice, "call:start", { calleeId: bob.id, kind: "audio" });
    expect(call).toMatchObject({ ok: false, error: { code: "UNAVAILABLE" } });
    const join = await ask(bob, "match:join", { mood: "chill", language: "en" });
    expect(join).toMatchObject({ ok: false, error: { code: "UNAVAILABLE" } });
    // Stored in PostgreSQL: acknowledged even now; its broadcast waits for Redis.
    const during = await ask(alice, "chat:send", { conversationId, clientMessageId: newId(), body: "during the Redis outage" });
    expect(during.ok).toBe(true);
    const duringId = during.ok ? (during.data as { id: string }).id : "";
    await hold();
    expect(stillRunning(a) && stillRunning(b)).toBe(true);

    await redis.start();
    const back = performance.now();
    await waitFor(async () => (await ready(a)).status === 200 && (await ready(b)).status === 200, "both ready again", 30_000);
    const readyAfter = since(back);
    if (OUTAGE_MS > INSTANCE_TTL_MS) {
      // Every liveness key expired meanwhile: each process learns it was presumed dead (its sockets may
      // have been reaped) and makes its clients reconnect, which registers them again everywhere.
      await waitFor(() => alice.readies > readies.alice && bob.readies > readies.bob, "both clients reconnected and resynced");
    }
    await waitFor(() => bob.view.has(duringId), "the message sent during the outage reaching Bob on the other process");
    const after = await alice.sendReliably(conversationId, newId(), "after the Redis outage");
    await waitFor(() => bob.view.has(after.id), "messages crossing processes again");
    const ringing = nextMatching(bob.socket, "call:incoming");
    const started = await ok(alice.socket, "call:start", { calleeId: bob.id, kind: "audio" });
    expect((await ringing).call.id).toBe(started.id);
    await ok(alice.socket, "call:hangup", { callId: started.id });
    console.info(`[outages] Redis down ${((back - down) / 1000).toFixed(1)} s (held ${OUTAGE_MS / 1000} s): both ready ${readyAfter} after its restart, service across processes after ${since(back)}; both processes up; the message acknowledged meanwhile delivered`);
  });

  it("PostgreSQL: typed errors meanwhile, the processes stay up, resumes by itself", async () => {
    const before = await alice.sendReliably(conversationId, newId(), "before the PostgreSQL outage");

    postgres.pause();
    const down = performance.now();
    const send = await ask(alice, "chat:send", { conversationId, clientMessageId: newId(), body: "during the PostgreSQL outage" });
    expect(send).toMatchObject({ ok: false, error: { code: "UNAVAILABLE" } });
    const history = await ask(bob, "chat:history", { conversationId });
    expect(history).toMatchObject({ ok: false, error: { code: "UNAVAILABLE" } });
    const readiness = await ready(b);
    expect(readiness.status).toBe(503);
    await hold();
    const late = await ask(bob, "chat:history", { conversationId });
    expect(late).toMatchObject({ ok: false, error: { code: "UNAVAILABLE" } });
    expect(stillRunning(a) && stillRunning(b)).toBe(true);

    postgres.resume();
    const back = performance.now();
    await waitFor(async () => (await ready(a)).status === 200 && (await ready(b)).status === 200, "both ready again", 30_000);
    const readyAfter = since(back);
    const after = await alice.sendReliably(conversationId, newId(), "after the PostgreSQL outage");
    await waitFor(() => bob.view.has(after.id), "Bob receiving messages again");
    const page = await ok(bob.socket, "chat:history", { conversationId });
    const bodies = page.messages.map((message) => message.body);
    expect(bodies).toContain(before.body);
    expect(bodies).toContain("after the PostgreSQL outage");
    expect(bodies).not.toContain("during the PostgreSQL outage");
    console.info(`[outages] PostgreSQL down ${((back - down) / 1000).toFixed(1)} s (held ${OUTAGE_MS / 1000} s): both ready ${readyAfter} after its restart, messages flowing after ${since(back)}; both processes up; the refused send was not stored`);
  });

  it("over both outages, the history checker finds nothing lost, doubled, gapped, reordered or divergent", async () => {
    const db = openTestDb(a.databaseUrl);
    try {
      // Both clients hold the database's last version first (the resync after the outages may still run).
      const last = await db.count(`SELECT "lastVersion" AS n FROM "Conversation" WHERE "id" = ?`, conversationId);
      await waitFor(() => alice.versionOf(conversationId) >= last && bob.versionOf(conversationId) >= last, "both clients caught up");
      const stored = await db.all<StoredRow>(
        `SELECT "id", "conversationId", "seq", "authorId", "clientMessageId" FROM "Message" WHERE "conversationId" = ? AND "kind" = 'text'`,
        conversationId,
      );
      const everySeq = (await db.all<{ seq: number }>(`SELECT "seq" FROM "Message" WHERE "conversationId" = ?`, conversationId)).map((row) => row.seq);
      const clients = [alice, bob];
      const report = checkHistory({
        sent: clients.flatMap((client) => client.sent.map((entry) => ({ ...entry, authorId: client.id }))),
        received: new Map(clients.map((client) => [client.name, client.received])),
        stored,
        seqs: new Map([[conversationId, everySeq]]),
        views: clients.map((client) => ({ client: client.name, conversationIds: [conversationId], messages: [...client.view.values()].filter((message) => message.kind === "text") })),
      });
      console.info(`[outages] history: ${describeReport(report)}`);
      expect(report.findings).toEqual([]);
      // Four sent until acknowledged, plus the one acknowledged during the Redis outage; the one refused during PostgreSQL's is not there.
      expect(report).toMatchObject({ sends: 4, stored: 5, lost: 0, duplicated: 0, gaps: 0, reordered: 0, divergent: [] });
    } finally {
      await db.close();
    }
  });
});

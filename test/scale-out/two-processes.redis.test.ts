// Two real server.ts processes on one PostgreSQL and one Redis (the scale-out setup). People on
// different processes exchange messages, see each other's presence, get notifications, call each
// other (signaling crosses processes) and get matched. Then one process is SIGKILLed while everyone
// sends: its clients reconnect through the balancer to the other and resync; nothing acknowledged is
// lost, nothing is stored or shown twice, and every client ends with the database's view.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { MessageDto } from "@/lib/realtime/protocol";
import { newId, nextMatching, ok } from "@/lib/realtime/server/handlers/chat-test-support";
import { type AppClientSocket, connectSocket, fetchSocketToken, registerUser, type RegisteredUser } from "@/test/support/clients";
import { openTestDb, type TestDb } from "@/test/support/database";
import { startTestRedis, type TestRedis } from "@/test/support/redis";
import type { TestServer } from "@/test/support/server";
import { countOnline } from "@/test/support/presence-probe";
import { startTcpBalancer, type TcpBalancer } from "@/test/support/tcp-balancer";
import { checkHistory, describeReport, type StoredRow } from "@/test/reliability/history-checker";
import { chatClient, type ChatClient, type Cluster, createCluster, waitFor } from "./scale-out-support";

let redis: TestRedis;
let cluster: Cluster;
let a: TestServer;
let b: TestServer;
let db: TestDb;

beforeAll(async () => {
  redis = await startTestRedis();
  cluster = await createCluster(redis);
  a = await cluster.start();
  b = await cluster.start();
  db = openTestDb(cluster.databaseUrl);
});

afterAll(async () => {
  await db?.close();
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.stop();
});

type Member = RegisteredUser & { socket: AppClientSocket };

async function memberOn(server: TestServer, name: string): Promise<Member> {
  const user = await registerUser(server, { name });
  return { ...user, socket: await connectSocket(server, (await fetchSocketToken(server, user.cookie)).token) };
}

async function befriend(x: Member, y: Member): Promise<void> {
  const request = await ok(x.socket, "contacts:request", { userId: y.id });
  await ok(y.socket, "contacts:respond", { requestId: request.id, accept: true });
}

describe("two processes, one PostgreSQL, one Redis", () => {
  it("messages, presence and notifications cross processes", async () => {
    const alice = await memberOn(a, "Alice");
    const bob = await memberOn(b, "Bob");
    const bobOnlineForAlice = nextMatching(alice.socket, "presence:batch", (event) => event.presences.some((p) => p.userId === bob.id && p.status === "online"));
    await befriend(alice, bob);
    await bobOnlineForAlice;

    const { id: conversationId } = await ok(alice.socket, "conversation:open-direct", { userId: bob.id });
    const delivered = nextMatching(bob.socket, "chat:message-created", (message) => message.body === "hello from A");
    const notified = nextMatching(bob.socket, "notification:upserted", (event) => event.notification.kind === "message");
    const sent = await ok(alice.socket, "chat:send", { conversationId, clientMessageId: newId(), body: "hello from A" });
    expect((await delivered).id).toBe(sent.id);
    expect((await notified).unreadCount).toBeGreaterThan(0);

    const reply = nextMatching(alice.socket, "chat:message-created", (message) => message.body === "hi from B");
    await ok(bob.socket, "chat:send", { conversationId, clientMessageId: newId(), body: "hi from B" });
    await reply;

    // Bob's only socket (on B) closes: Alice (on A) sees him offline after the grace period.
    const offline = nextMatching(alice.socket, "presence:changed", (presence) => presence.userId === bob.id && presence.status === "offline");
    bob.socket.disconnect();
    await offline;
    const back = nextMatching(alice.socket, "presence:changed", (presence) => presence.userId === bob.id && presence.status === "online");
    await connectSocket(b, (await fetchSocketToken(b, bob.cookie)).token);
    await back;
  });

  it("a call placed on one process rings, connects and relays signals on the other", async () => {
    const alice = await memberOn(a, "Caller");
    const bob = await memberOn(b, "Callee");
    await befriend(alice, bob);
    const ringing = nextMatching(bob.socket, "call:incoming");
    const call = await ok(alice.socket, "call:start", { calleeId: bob.id, kind: "audio" });
    expect((await ringing).call.id).toBe(call.id);

    const accepted = nextMatching(alice.socket, "call:accepted", (event) => event.call.id === call.id);
    await ok(bob.socket, "call:accept", { callId: call.id, withVideo: false });
    expect((await accepted).call.status).toBe("active");

    const offer = nextMatching(bob.socket, "call:signal", (event) => event.callId === call.id);
    await ok(alice.socket, "call:signal", { callId: call.id, signal: { type: "offer", sdp: "v=0 offer from A" } });
    expect((await offer).signal).toMatchObject({ type: "offer" });
    const answer = nextMatching(alice.socket, "call:signal", (event) => event.callId === call.id);
    await ok(bob.socket, "call:signal", { callId: call.id, signal: { type: "answer", sdp: "v=0 answer from B" } });
    expect((await answer).signal).toMatchObject({ type: "answer" });

    // Busy everywhere: a third person on A calling Bob, who talks on B, gets a call that ended as busy.
    const carol = await memberOn(a, "Carol");
    await befriend(carol, bob);
    expect(await ok(carol.socket, "call:start", { calleeId: bob.id, kind: "audio" })).toMatchObject({ status: "ended", outcome: "busy" });

    const endedForBob = nextMatching(bob.socket, "call:ended", (event) => event.call.id === call.id);
    await ok(alice.socket, "call:hangup", { callId: call.id });
    expect((await endedForBob).call.status).toBe("ended");
  });

  it("two people waiting on different processes are matched with each other", async () => {
    const first = await memberOn(a, "Waiting on A");
    const second = await memberOn(b, "Waiting on B");
    const foundA = nextMatching(first.socket, "match:found");
    const foundB = nextMatching(second.socket, "match:found");
    const language = "sv";
    expect((await ok(first.socket, "match:join", { mood: "chill", language })).state).toBe("queued");
    await ok(second.socket, "match:join", { mood: "chill", language });
    const [x, y] = await Promise.all([foundA, foundB]);
    expect(x.call.id).toBe(y.call.id);
    expect(JSON.stringify(x)).not.toContain(second.id);
    expect(JSON.stringify(y)).not.toContain(first.id);
    await ok(first.socket, "call:hangup", { callId: x.call.id });
  });
});

describe("a process is killed while everyone sends", () => {
  let balancer: TcpBalancer;
  afterAll(async () => balancer?.close());

  it("its clients reconnect to the other process and resync: nothing lost, nothing doubled, one view", async () => {
    balancer = await startTcpBalancer([a.port, b.port]);
    const clients: ChatClient[] = [];
    for (let index = 0; index < 6; index += 1) clients.push(await chatClient(balancer.url, `Sender ${index}`));
    const [owner, ...others] = clients as [ChatClient, ...ChatClient[]];
    const group = await ok(owner.socket, "conversation:create-group", { name: "Crash room", memberIds: others.map((client) => client.id) });
    for (const client of clients) client.track(group.id);

    const perClient = 40;
    const plan = clients.map((client, index) => Array.from({ length: perClient }, (_, n) => ({ client, clientMessageId: newId(), body: `s${index}-${n}` })));
    const acked: MessageDto[] = [];
    const senders = plan.map(async (sends) => {
      for (const send of sends) {
        acked.push(await send.client.sendReliably(group.id, send.clientMessageId, send.body));
        await new Promise((resolve) => setTimeout(resolve, 15));
      }
    });
    await waitFor(() => acked.length >= (perClient * clients.length) / 3, "a third of the messages");
    const killedAt = Date.now();
    a.kill();
    await Promise.all(senders);
    // The balancer had spread the sockets over both processes: the kill cut some of them.
    expect(clients.filter((client) => client.disconnects > 0).length).toBeGreaterThan(0);

    // Every client reconnected (to B: A is gone) and resynced at least once after the kill.
    const lastVersion = await db.count(`SELECT "lastVersion" AS n FROM "Conversation" WHERE "id" = ?`, group.id);
    await waitFor(() => clients.every((client) => client.versionOf(group.id) >= lastVersion), "every client at the conversation's last version", 30_000);

    const stored = await db.all<StoredRow>(
      `SELECT "id", "conversationId", "seq", "authorId", "clientMessageId" FROM "Message" WHERE "conversationId" = ? AND "kind" = 'text'`,
      group.id,
    );
    const everySeq = (await db.all<{ seq: number }>(`SELECT "seq" FROM "Message" WHERE "conversationId" = ?`, group.id)).map((row) => row.seq);
    const planned = plan.flat();
    const report = checkHistory({
      sent: clients.flatMap((client) => client.sent.map((entry) => ({ ...entry, authorId: client.id }))),
      received: new Map(clients.map((client) => [client.name, client.received])),
      stored,
      seqs: new Map([[group.id, everySeq]]),
      views: clients.map((client) => ({ client: client.name, conversationIds: [group.id], messages: [...client.view.values()].filter((message) => message.kind === "text") })),
    });
    expect(report.findings).toEqual([]);
    expect(report).toMatchObject({ sends: planned.length, stored: planned.length, lost: 0, duplicated: 0, gaps: 0, reordered: 0, divergent: [] });
    expect(acked).toHaveLength(planned.length);
    const cut = clients.filter((client) => client.disconnects > 0).length;
    console.log(`scale-out kill: ${describeReport(report)}; ${clients.length} clients, ${cut} cut by the kill, all resynced ${Date.now() - killedAt} ms after it`);

    // No ghosts: the killed process never ran its disconnect handlers; once its liveness key
    // expires, B reaps its sockets. Everyone but the owner leaves; the owner's fresh snapshot must
    // show them all offline.
    for (const client of others) client.close();
    const leftAt = Date.now();
    await waitFor(async () => (await countOnline(balancer.url, owner.cookie, others.map((client) => client.id))) === 0, "no ghost online after the kill", 45_000);
    console.log(`scale-out kill: no ghost online ${Date.now() - leftAt} ms after the others left (instance TTL 15 s + reap + grace)`);
    owner.close();
  }, 90_000);
});

// The shipped load-balancer config (deploy/nginx/parley.conf) with Debian's nginx in front of two
// processes: pages and sign-in through it, WebSocket upgrade and the polling fallback (sticky),
// X-Forwarded-For overwritten, and when the process holding the clients is killed they come back
// through nginx on the other one and resync.
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { newId, nextMatching, ok } from "@/lib/realtime/server/handlers/chat-test-support";
import { type AppClientSocket, fetchSocketToken } from "@/test/support/clients";
import { startNginx, type TestNginx } from "@/test/support/nginx";
import { startTestRedis, type TestRedis } from "@/test/support/redis";
import type { TestServer } from "@/test/support/server";
import { chatClient, type Cluster, createCluster, waitFor } from "./scale-out-support";

let redis: TestRedis;
let cluster: Cluster;
let servers: [TestServer, TestServer];
let nginx: TestNginx;

beforeAll(async () => {
  redis = await startTestRedis();
  cluster = await createCluster(redis, { TRUST_PROXY: "1" });
  servers = [await cluster.start(), await cluster.start()];
  nginx = await startNginx([servers[0].port, servers[1].port]);
});

afterAll(async () => {
  await nginx?.stop();
  await Promise.all(servers?.map((server) => server.stop()) ?? []);
  await redis?.stop();
});

async function openSockets(server: TestServer): Promise<number> {
  const response = await fetch(`${server.url}/metrics`);
  const line = (await response.text()).split("\n").find((candidate) => candidate.startsWith("parley_open_sockets "));
  return line ? Number(line.split(" ")[1]) : 0;
}

describe("nginx in front of two processes (deploy/nginx/parley.conf)", () => {
  it("serves pages and health through nginx and hides /metrics", async () => {
    const page = await fetch(`${nginx.url}/sign-in`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<html");
    expect((await fetch(`${nginx.url}/metrics`)).status).toBe(404);
    const health = await fetch(`${nginx.url}/api/health`);
    expect(health.status).toBe(200);
  });

  it("carries chat over WebSocket and over the sticky polling fallback; a killed process's clients come back on the other", async () => {
    const alice = await chatClient(nginx.url, "Alice via nginx");
    const bob = await chatClient(nginx.url, "Bob via nginx");
    const group = await ok(alice.socket, "conversation:create-group", { name: "Through nginx", memberIds: [bob.id] });
    alice.track(group.id);
    bob.track(group.id);
    expect(alice.socket.io.engine.transport.name).toBe("websocket");

    // Polling only: every request of the session must reach the same process (ip_hash).
    const { token } = await fetchSocketToken({ url: nginx.url }, bob.cookie);
    const poller: AppClientSocket = io(nginx.url, { transports: ["polling"], forceNew: true, auth: { token }, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      poller.once("session:ready", () => resolve());
      poller.once("connect_error", reject);
    });
    const polled = nextMatching(poller, "chat:message-created", (message) => message.body === "over both transports");
    await alice.sendReliably(group.id, newId(), "over both transports");
    expect((await polled).conversationId).toBe(group.id);
    poller.disconnect();

    // Every client comes from 127.0.0.1: ip_hash put them all on one process. Kill that one.
    const [first, second] = await Promise.all(servers.map(openSockets));
    const holder = (first ?? 0) >= (second ?? 0) ? 0 : 1;
    expect(Math.max(first ?? 0, second ?? 0)).toBeGreaterThanOrEqual(2);
    servers[holder].kill();
    for (let index = 0; index < 10; index += 1) await bob.sendReliably(group.id, newId(), `after the kill ${index}`);
    await waitFor(() => alice.disconnects > 0 && alice.socket.connected, "Alice back through nginx");
    const survivor = servers[1 - holder] as TestServer;
    expect(await openSockets(survivor)).toBeGreaterThanOrEqual(2);
    await waitFor(() => [...alice.view.values()].filter((message) => message.body.startsWith("after the kill")).length === 10, "Alice holding every message sent after the kill");
    expect([...bob.view.keys()].sort()).toEqual([...alice.view.keys()].sort());
    alice.close();
    bob.close();
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";

import { connectSocket, fetchSocketToken, registerUser, sessionReadyOf } from "./support/clients";
import { startServer, type TestServer } from "./support/server";

// `npm run dev`: Next's HMR websocket and Socket.IO share server.ts's one port.
describe("development mode", () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer({ env: { NODE_ENV: "development", AUTH_ATTEMPTS_PER_MINUTE: "1000" } });
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
  });

  it("serves pages, the HMR websocket and an authenticated Socket.IO connection on the same port", async () => {
    const page = await fetch(`${server.url}/sign-in`);
    expect(page.status).toBe(200);

    const hmr = new WebSocket(`${server.url.replace("http", "ws")}/_next/hmr`, { headers: { origin: server.url } });
    const firstHmrMessage = await new Promise<string>((resolve, reject) => {
      hmr.once("message", (data: Buffer) => resolve(data.toString()));
      hmr.once("error", reject);
      hmr.once("close", (code) => reject(new Error(`HMR socket closed (${code})`)));
    });
    expect(() => JSON.parse(firstHmrMessage)).not.toThrow();

    const user = await registerUser(server);
    const { token } = await fetchSocketToken(server, user.cookie);
    const socket = await connectSocket(server, token);
    expect(sessionReadyOf(socket).user.id).toBe(user.id);

    // Both live at once: the HMR socket was not destroyed by Socket.IO's upgrade handling.
    expect(hmr.readyState).toBe(WebSocket.OPEN);
    hmr.close();
  }, 120_000);
});

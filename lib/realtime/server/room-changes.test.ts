import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import { Server } from "socket.io";
import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";

import { countRoomChanges, roomChanges } from "./room-changes";

// A real Socket.IO server and client: the point is what the adapter does to a socket that is
// still in the middleware, and that every bulk room change is counted.
const closers: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function serverWithClient(middleware: () => Promise<void>): Promise<{ io: Server; client: ClientSocket }> {
  countRoomChanges();
  const http = createServer();
  const io = new Server(http, { serveClient: false });
  io.use((_socket, next) => {
    void middleware().then(() => next());
  });
  io.on("connection", (socket) => void socket.join("user:a"));
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const client = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}`, { transports: ["websocket"], reconnection: false });
  closers.push(() => {
    client.disconnect();
  }, () => io.close());
  return { io, client };
}

describe("room changes", () => {
  it("counts every socketsJoin and socketsLeave", async () => {
    const { io, client } = await serverWithClient(async () => undefined);
    await new Promise<void>((resolve) => client.on("connect", () => resolve()));
    const before = roomChanges();
    io.in("user:a").socketsJoin("conversation:1");
    io.in("user:a").socketsLeave("conversation:1");
    expect(roomChanges()).toBe(before + 2);
  });

  it("a socket still in the middleware misses a socketsJoin, and the count says one happened", async () => {
    let unblock: () => void = () => undefined;
    const blocked = new Promise<void>((resolve) => (unblock = resolve));
    let entered: () => void = () => undefined;
    const inMiddleware = new Promise<void>((resolve) => (entered = resolve));
    const { io, client } = await serverWithClient(async () => {
      entered();
      await blocked;
    });
    await inMiddleware;
    const before = roomChanges();
    // What a member added to a conversation meanwhile looks like (conversation-handlers.ts).
    io.in("user:a").socketsJoin("conversation:1");
    unblock();
    await new Promise<void>((resolve) => client.on("connect", () => resolve()));
    const [socket] = await io.fetchSockets();
    expect(socket?.rooms.has("conversation:1")).toBe(false);
    expect(roomChanges()).toBeGreaterThan(before);
  });
});

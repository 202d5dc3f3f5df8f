import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";

import { Server } from "socket.io";
import { io as connect, type Socket as ClientSocket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";

import { coalesceSocketWrites } from "./corked-writes";

// Real Socket.IO server and client over loopback: the patch is about system calls, so it is
// checked on a real TCP socket (its writes counted) and a real client (what arrives).
type Started = { http: HttpServer; io: Server; url: string };
const started: Started[] = [];
const clients: ClientSocket[] = [];

async function startServer(): Promise<Started> {
  coalesceSocketWrites();
  const http = createServer();
  const io = new Server(http, { serveClient: false });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const server = { http, io, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}` };
  started.push(server);
  return server;
}

function client(url: string): ClientSocket {
  const socket = connect(url, { transports: ["websocket"], reconnection: false });
  clients.push(socket);
  return socket;
}

type RawWrites = { _write: (...args: unknown[]) => void; _writev: (...args: unknown[]) => void };

/** Counts the calls that reach the kernel side of a server-side TCP socket. */
function countWrites(raw: RawWrites): { calls: number } {
  const counter = { calls: 0 };
  const write = raw._write.bind(raw);
  const writev = raw._writev.bind(raw);
  raw._write = (...args) => {
    counter.calls += 1;
    write(...args);
  };
  raw._writev = (...args) => {
    counter.calls += 1;
    writev(...args);
  };
  return counter;
}

afterEach(async () => {
  for (const socket of clients.splice(0)) socket.disconnect();
  for (const { io } of started.splice(0)) await io.close();
});

describe("coalesced socket writes", () => {
  it("sends the upgrade's HTTP 101 response and the open packet in one write", async () => {
    const { http, io, url } = await startServer();
    let counter: { calls: number } | null = null;
    http.prependListener("upgrade", (_request, raw) => (counter = countWrites(raw as unknown as RawWrites)));
    // The client sends CONNECT once it has the open packet: by then both have been written.
    const writesBeforeConnect = new Promise<number>((resolve) => io.on("connection", () => resolve(counter?.calls ?? -1)));
    client(url);
    expect(await writesBeforeConnect).toBe(1);
  });

  it("sends everything a socket is given in one tick in one write, whole and in order", async () => {
    const { io, url } = await startServer();
    const COUNT = 40;
    const writes = new Promise<{ calls: number }>((resolve) => {
      io.on("connection", (socket) => {
        const raw = (socket.conn as unknown as { transport: { socket: { _socket: RawWrites } } }).transport.socket._socket;
        const counter = countWrites(raw);
        for (let index = 0; index < COUNT; index += 1) socket.emit("item", { index, text: "x".repeat(index) });
        // Counted once the tick's flush has run.
        setTimeout(() => resolve(counter), 50);
      });
    });
    const socket = client(url);
    const received: number[] = [];
    const all = new Promise<void>((resolve) =>
      socket.on("item", (item: { index: number; text: string }) => {
        expect(item.text).toBe("x".repeat(item.index));
        received.push(item.index);
        if (received.length === COUNT) resolve();
      }),
    );
    await all;
    expect(received).toEqual(Array.from({ length: COUNT }, (_, index) => index));
    expect((await writes).calls).toBe(1);
  });

  it("keeps acks, broadcasts and a disconnect packet in order and still closes", async () => {
    const { io, url } = await startServer();
    io.on("connection", (socket) => {
      void socket.join("room");
      socket.on("go", (ack: (value: string) => void) => {
        io.to("room").emit("before");
        ack("answer");
        socket.emit("after");
        socket.disconnect(true);
      });
    });
    const socket = client(url);
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    const events: string[] = [];
    socket.on("before", () => events.push("before"));
    socket.on("after", () => events.push("after"));
    const closed = new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));
    // The ack callback, not emitWithAck: a promise would record the answer a microtask late.
    socket.emit("go", (answer: string) => events.push(answer));
    expect(await closed).toBe("io server disconnect");
    expect(events).toEqual(["before", "answer", "after"]);
  });

  it("writes what is queued before a close in the same tick: the client hears the server's disconnect", async () => {
    const { io, url } = await startServer();
    io.on("connection", (socket) => {
      socket.on("shut down", () => {
        // In a promise continuation, as the shutdown's drain does: the deferred flush would only
        // run after the whole chain, and io.close() discards what is still queued.
        void Promise.resolve().then(async () => {
          socket.emit("last words");
          socket.disconnect(true);
          await Promise.resolve();
          await io.close();
        });
      });
    });
    const socket = client(url);
    await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
    const heard = new Promise<void>((resolve) => socket.once("last words", () => resolve()));
    const closed = new Promise<string>((resolve) => socket.once("disconnect", (reason) => resolve(reason)));
    socket.emit("shut down");
    await heard;
    expect(await closed).toBe("io server disconnect");
  });
});

/**
 * The baseline of `npm run bench`: a bare Socket.IO 4.8 server that only relays room broadcasts.
 * No auth, no persistence, no validation. A client names its rooms in the handshake
 * (`auth: { rooms: [...] }`, or later with a `join` event), gets `session:ready` once joined (the
 * same event Parley sends, so the generator's handshake ends at the same point), and every
 * `chat:send` is broadcast to the conversation's room (sender included, as Parley does) as
 * `chat:message-created`, then acked with `{ ok: true, data }`.
 *
 * run.ts bundles this file with esbuild and runs it under plain `node`, like `dist/server.js`.
 * Prints `> bare ready on http://127.0.0.1:<port>` once listening.
 */
import { createServer } from "node:http";
import { randomUUID } from "node:crypto";

import { Server } from "socket.io";

type SendInput = { conversationId: string; clientMessageId: string; body: string };
type Ack = (result: unknown) => void;

const roomsOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((room): room is string => typeof room === "string") : []);

const httpServer = createServer();
// Same frame limit and heartbeat as Parley (lib/realtime/server/io.ts), nothing else.
const io = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 64 * 1024, pingInterval: 20_000, pingTimeout: 15_000 });

io.on("connection", (socket) => {
  const userId = typeof socket.handshake.auth.userId === "string" ? socket.handshake.auth.userId : socket.id;
  let seq = 0;
  void Promise.resolve(socket.join(roomsOf(socket.handshake.auth.rooms))).then(() => socket.emit("session:ready", { user: { id: userId }, serverTime: Date.now() }));
  socket.on("join", (rooms: unknown, ack?: Ack) => {
    void Promise.resolve(socket.join(roomsOf(rooms))).then(() => ack?.({ ok: true, data: null }));
  });
  socket.on("chat:send", (input: SendInput, ack?: Ack) => {
    if (!input || typeof input.conversationId !== "string") return ack?.({ ok: false, error: { code: "VALIDATION" } });
    seq += 1;
    const message = { id: randomUUID(), clientMessageId: input.clientMessageId, conversationId: input.conversationId, seq, authorId: userId, body: input.body, createdAt: new Date().toISOString() };
    io.to(input.conversationId).emit("chat:message-created", message);
    ack?.({ ok: true, data: message });
  });
});

httpServer.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? "127.0.0.1", () => {
  const address = httpServer.address();
  const port = typeof address === "object" && address ? address.port : 0;
  console.log(`> bare ready on http://127.0.0.1:${port}`);
});

// If the harness dies without stopping us (Ctrl-C, a kill), we are re-parented: leave too.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 1_000).unref();

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    void io.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2_000).unref();
  });
}

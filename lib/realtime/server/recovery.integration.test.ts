// Connection-state recovery against the real server: a short gap replays missed broadcasts once, a
// stolen session id gains nothing (not one packet, not one room), and replayed traffic follows the
// rooms recomputed from the database, not the ones the old session had.
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type AppClientSocket, fetchSocketToken } from "@/test/support/clients";
import { startServer, type TestServer } from "@/test/support/server";
import { barrier, CHAT_SERVER_ENV, newId, nextMatching, ok, type Person, person, record } from "./handlers/chat-test-support";

let server: TestServer;

beforeAll(async () => {
  server = await startServer({ env: CHAT_SERVER_ENV });
});

afterAll(async () => {
  await server?.stop();
});

type RecoveryPosition = { _pid?: string; _lastOffset?: string };
const positionOf = (socket: AppClientSocket) => socket as unknown as RecoveryPosition;

/** Drops the transport without a goodbye (as a network blip does) and keeps the client from retrying by itself. */
async function cutTransport(socket: AppClientSocket): Promise<void> {
  socket.io.reconnection(false);
  const gone = new Promise<string>((resolve) => socket.once("disconnect", resolve));
  socket.io.engine.close(); // the server sees a "transport close": recoverable
  expect(await gone).toBe("forced close");
}

/** Reconnects and resolves once the server says the session is ready (replay happens before that). */
async function reconnect(socket: AppClientSocket): Promise<void> {
  const ready = nextMatching(socket, "session:ready");
  socket.connect();
  await ready;
}

async function send(from: Person, conversationId: string, body: string) {
  return ok(from.socket, "chat:send", { conversationId, clientMessageId: newId(), body });
}

describe("connection state recovery", () => {
  it("replays the broadcasts missed during a short gap, once and in order", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const direct = await ok(alice.socket, "conversation:open-direct", { userId: bob.id });
    await send(bob, direct.id, "before");
    await barrier(alice.socket);
    expect(positionOf(alice.socket)._lastOffset).toEqual(expect.any(String));

    await cutTransport(alice.socket);
    await barrier(bob.socket);
    await send(bob, direct.id, "missed 1");
    await send(bob, direct.id, "missed 2");
    const log = record(alice.socket, "chat:message-created");
    await reconnect(alice.socket);
    await barrier(alice.socket);

    expect(alice.socket.recovered).toBe(true);
    expect(log.map((message) => message.body)).toEqual(["missed 1", "missed 2"]);
  });

  it("a stolen session id gains nothing: refused before a single packet, and no rooms afterwards", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const mallory = await person(server);
    const direct = await ok(alice.socket, "conversation:open-direct", { userId: bob.id });
    await send(bob, direct.id, "hello alice");
    await barrier(alice.socket);
    const { _pid: pid, _lastOffset: offset } = positionOf(alice.socket);
    expect(pid).toEqual(expect.any(String));

    await cutTransport(alice.socket);
    await barrier(bob.socket);
    await send(bob, direct.id, "secret for alice");

    const { token } = await fetchSocketToken(server, mallory.cookie);
    const thief: AppClientSocket = io(server.url, { transports: ["websocket"], forceNew: true, autoConnect: false, reconnection: false, auth: { token, pid, offset } });
    const packets: unknown[] = [];
    thief.io.on("packet", (packet) => packets.push(packet));
    const refused = new Promise<Error>((resolve) => thief.once("connect_error", resolve));
    thief.connect();
    expect((await refused).message).toBe("RECOVERY_REFUSED");
    thief.close();
    const wire = JSON.stringify(packets);
    expect(wire).not.toContain("secret for alice");
    expect(wire).not.toContain(direct.id);

    // The session is spent: alice comes back fresh and catches up from the database instead.
    await reconnect(alice.socket);
    expect(alice.socket.recovered).toBe(false);
    const { updates } = await ok(alice.socket, "chat:sync", { conversations: [{ conversationId: direct.id, afterVersion: 0 }] });
    expect(updates[0]?.messages.map((message) => message.body)).toContain("secret for alice");

    // Mallory's own socket never joined alice's rooms.
    const malloryLog = record(mallory.socket, "chat:message-created");
    const aliceGets = nextMatching(alice.socket, "chat:message-created", (message) => message.body === "after");
    await send(bob, direct.id, "after");
    await aliceGets;
    await barrier(mallory.socket);
    expect(malloryLog).toEqual([]);
  });

  it("replays only what the user may still see: rooms come from the database, not the old session", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const group = await ok(bob.socket, "conversation:create-group", { name: "Crew", memberIds: [alice.id] });
    await send(bob, group.id, "welcome");
    await barrier(alice.socket);

    await cutTransport(alice.socket);
    await barrier(bob.socket);
    await ok(bob.socket, "conversation:remove-member", { conversationId: group.id, userId: alice.id });
    await send(bob, group.id, "said after alice left");
    const removed = record(alice.socket, "conversation:removed");
    const messages = record(alice.socket, "chat:message-created");
    await reconnect(alice.socket);
    await barrier(alice.socket);

    expect(alice.socket.recovered).toBe(true);
    expect(removed).toEqual([{ conversationId: group.id }]);
    expect(messages.map((message) => message.body)).not.toContain("said after alice left");
  });
});

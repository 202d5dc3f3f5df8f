// The Socket.IO handshake of the real server process: token authentication, origin checks, rooms and
// sign-out revocation, over real HTTP sessions and real sockets.
import { createHmac, hkdfSync, randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { signSocketToken } from "@/lib/auth/socket-token";
import type { EchoDto } from "@/lib/realtime/protocol";
import {
  type AppClientSocket,
  connectExpectingError,
  connectSocket,
  disconnected,
  fetchSocketToken,
  nextEvent,
  registerUser,
  sessionReadyOf,
  signIn,
  signOut,
} from "@/test/support/clients";
import { openTestDb } from "@/test/support/database";
import { randomSecret, startServer, type TestServer } from "@/test/support/server";

const FRIEND_ORIGIN = "https://friend.example";

let server: TestServer;

beforeAll(async () => {
  server = await startServer({ env: { AUTH_ATTEMPTS_PER_MINUTE: "1000", ALLOWED_ORIGINS: FRIEND_ORIGIN } });
});

afterAll(async () => {
  await server?.stop();
});

// ── Hand-made tokens ─────────────────────────────────────────────────────────
// Mirrors lib/auth/socket-token.ts (key derived from the auth secret, fixed issuer/audience) so the
// tests can build tokens the product's signer never would. The HS256 control below proves the mirror
// is faithful: any refusal of the variants comes from what was changed, not from a wrong key.
function socketKey(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "parley", "socket-token-v1", 32));
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

function handMadeToken(alg: "HS256" | "HS512" | "none", secret: string, claims: { userId: string; sid: string }): string {
  const now = Math.floor(Date.now() / 1000);
  const header = base64url({ alg, typ: "JWT" });
  const payload = base64url({ sid: claims.sid, sub: claims.userId, iss: "parley", aud: "parley:socket", iat: now, exp: now + 300, jti: randomUUID() });
  const input = `${header}.${payload}`;
  if (alg === "none") return `${input}.`;
  const signature = createHmac(alg === "HS256" ? "sha256" : "sha512", socketKey(secret)).update(input).digest("base64url");
  return `${input}.${signature}`;
}

async function deleteUserRow(databaseUrl: string, userId: string): Promise<number> {
  const db = openTestDb(databaseUrl, { readonly: false });
  try {
    return await db.run('DELETE FROM "User" WHERE "id" = ?', userId);
  } finally {
    await db.close();
  }
}

async function expectUnauthorized(auth: Record<string, unknown> | undefined): Promise<void> {
  const error = await connectExpectingError(server, auth);
  expect(error.message).toBe("UNAUTHORIZED");
  expect(error.data).toEqual({ code: "UNAUTHORIZED" });
  expect(error.active).toBe(false);
}

describe("token authentication", () => {
  it("accepts a real token: session:ready and whoami carry the token's user", async () => {
    const alice = await registerUser(server, { name: "Alice Handshake" });
    const { token, userId, expiresAt } = await fetchSocketToken(server, alice.cookie);
    expect(userId).toBe(alice.id);
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());

    const socket = await connectSocket(server, token);
    expect(socket.connected).toBe(true);
    const ready = sessionReadyOf(socket);
    expect(ready.user).toMatchObject({ id: alice.id, name: "Alice Handshake", email: alice.email });
    expect(typeof ready.serverTime).toBe("number");

    const whoami = await socket.timeout(5_000).emitWithAck("session:whoami", {});
    expect(whoami).toEqual({ ok: true, data: ready.user });
  });

  it.each([
    ["no auth at all", undefined],
    ["no token", {}],
    ["an empty token", { token: "" }],
    ["a non-string token", { token: 12_345 }],
    ["a garbage token", { token: "garbage" }],
    ["a three-part garbage token", { token: "a.b.c" }],
  ])("refuses %s with UNAUTHORIZED and does not retry", async (_label, auth) => {
    await expectUnauthorized(auth);
  });

  it("refuses an expired token signed with the server's secret", async () => {
    const user = await registerUser(server);
    const claims = { userId: user.id, sid: randomUUID() };
    // Control: the same claims with a future expiry connect, so only the expiry differs.
    const fresh = await signSocketToken(server.secret, claims, 60);
    (await connectSocket(server, fresh.token)).disconnect();

    const expired = await signSocketToken(server.secret, claims, -60);
    expect(expired.expiresAt.getTime()).toBeLessThan(Date.now());
    await expectUnauthorized({ token: expired.token });
  });

  it("refuses a token signed with another secret", async () => {
    const user = await registerUser(server);
    const forged = await signSocketToken(randomSecret(), { userId: user.id, sid: randomUUID() }, 60);
    await expectUnauthorized({ token: forged.token });
  });

  it("refuses alg:none and HS512 tokens, while the same hand-made HS256 token is accepted", async () => {
    const user = await registerUser(server);
    const claims = { userId: user.id, sid: randomUUID() };
    const control = await connectSocket(server, handMadeToken("HS256", server.secret, claims));
    expect(sessionReadyOf(control).user.id).toBe(user.id);
    control.disconnect();

    await expectUnauthorized({ token: handMadeToken("none", server.secret, claims) });
    await expectUnauthorized({ token: handMadeToken("HS512", server.secret, claims) });
  });

  it("refuses a valid signature for a user that does not exist", async () => {
    const ghost = await signSocketToken(server.secret, { userId: `ghost-${randomUUID()}`, sid: randomUUID() }, 60);
    await expectUnauthorized({ token: ghost.token });
  });

  it("refuses the token of a user deleted after it was issued", async () => {
    const user = await registerUser(server);
    const { token } = await fetchSocketToken(server, user.cookie);
    (await connectSocket(server, token)).disconnect();

    expect(await deleteUserRow(server.databaseUrl, user.id)).toBe(1);
    await expectUnauthorized({ token });
  });

  it("refuses a token replayed after its session signed out", async () => {
    const user = await registerUser(server);
    const { token } = await fetchSocketToken(server, user.cookie);
    (await connectSocket(server, token)).disconnect();

    await signOut(server, user.cookie);
    await expectUnauthorized({ token });
    // The signed-out cookie cannot mint a new token either.
    await expect(fetchSocketToken(server, user.cookie)).rejects.toThrow(/401/);
  });
});

describe("origin check", () => {
  let token: string;

  beforeAll(async () => {
    const user = await registerUser(server);
    ({ token } = await fetchSocketToken(server, user.cookie));
  });

  it("refuses a foreign Origin over websocket", async () => {
    const error = await connectExpectingError(
      server,
      { token },
      { transports: ["websocket"], extraHeaders: { origin: "https://evil.example" }, reconnection: false },
    );
    expect(error.message).toBe("websocket error");
    expect(String((error.description as Error | undefined)?.message)).toMatch(/Unexpected server response: 4\d\d/);
  });

  it("refuses a foreign Origin over polling", async () => {
    const error = await connectExpectingError(
      server,
      { token },
      { transports: ["polling"], extraHeaders: { origin: "https://evil.example" }, reconnection: false },
    );
    expect(error.message).toBe("xhr poll error");
    expect(error.description).toBe(403);
  });

  it.each([
    ["websocket", "the server's own origin"],
    ["polling", "the server's own origin"],
    ["websocket", "an origin listed in ALLOWED_ORIGINS"],
    ["polling", "an origin listed in ALLOWED_ORIGINS"],
  ] as const)("accepts %s from %s", async (transport, label) => {
    const origin = label === "the server's own origin" ? server.url : FRIEND_ORIGIN;
    const socket = await connectSocket(server, token, { transports: [transport], extraHeaders: { origin }, reconnection: false });
    expect(socket.io.engine.transport.name).toBe(transport);
    const pong = await socket.timeout(5_000).emitWithAck("system:ping", { sentAt: 1 });
    expect(pong).toMatchObject({ ok: true, data: { sentAt: 1 } });
  });
});

describe("sign-out", () => {
  it("disconnects every socket of the signed-out session, and only those", async () => {
    const user = await registerUser(server);
    const otherSessionCookie = await signIn(server, user.email, user.password);

    const tabA = await connectSocket(server, (await fetchSocketToken(server, user.cookie)).token);
    const tabB = await connectSocket(server, (await fetchSocketToken(server, user.cookie)).token);
    const otherSession = await connectSocket(server, (await fetchSocketToken(server, otherSessionCookie)).token);

    const timeline = new Map<AppClientSocket, string[]>();
    for (const socket of [tabA, tabB, otherSession]) {
      const events: string[] = [];
      timeline.set(socket, events);
      socket.on("session:revoked", (event) => events.push(`revoked:${event.reason}`));
      socket.on("disconnect", (reason) => events.push(`disconnect:${reason}`));
    }
    const closed = Promise.all([disconnected(tabA), disconnected(tabB)]);

    await signOut(server, user.cookie);
    await closed;

    expect(timeline.get(tabA)).toEqual(["revoked:signed-out", "disconnect:io server disconnect"]);
    expect(timeline.get(tabB)).toEqual(["revoked:signed-out", "disconnect:io server disconnect"]);
    expect(tabA.active).toBe(false);

    // The same user's other browser session is untouched: still connected, still served.
    const pong = await otherSession.timeout(5_000).emitWithAck("system:ping", { sentAt: 2 });
    expect(pong).toMatchObject({ ok: true });
    expect(otherSession.connected).toBe(true);
    expect(timeline.get(otherSession)).toEqual([]);
    await expect(fetchSocketToken(server, otherSessionCookie)).resolves.toMatchObject({ userId: user.id });
    await expect(fetchSocketToken(server, user.cookie)).rejects.toThrow(/401/);
  });
});

describe("user rooms", () => {
  it("system:echo reaches every socket of the user and no socket of another user", async () => {
    const alice = await registerUser(server);
    const bob = await registerUser(server);
    const aliceSecondSession = await signIn(server, alice.email, alice.password);

    const alice1 = await connectSocket(server, (await fetchSocketToken(server, alice.cookie)).token);
    const alice2 = await connectSocket(server, (await fetchSocketToken(server, aliceSecondSession)).token);
    const bob1 = await connectSocket(server, (await fetchSocketToken(server, bob.cookie)).token);

    const received = new Map<AppClientSocket, EchoDto[]>();
    for (const socket of [alice1, alice2, bob1]) {
      const events: EchoDto[] = [];
      received.set(socket, events);
      socket.on("system:echoed", (event) => events.push(event));
    }

    const aliceNonce = `alice-${randomUUID().slice(0, 8)}`;
    const atAlice2 = nextEvent(alice2, "system:echoed");
    const ack = await alice1.timeout(5_000).emitWithAck("system:echo", { nonce: aliceNonce });
    expect(ack).toEqual({ ok: true, data: { nonce: aliceNonce, socketId: alice1.id } });
    await expect(atAlice2).resolves.toEqual({ nonce: aliceNonce, socketId: alice1.id });

    // Bob's own echo is written to his connection after Alice's broadcast was: once it has arrived,
    // anything addressed to Bob from Alice's echo would have arrived before it.
    const bobNonce = `bob-${randomUUID().slice(0, 8)}`;
    const atBob = nextEvent(bob1, "system:echoed");
    expect(await bob1.timeout(5_000).emitWithAck("system:echo", { nonce: bobNonce })).toMatchObject({ ok: true });
    await atBob;
    expect(received.get(bob1)?.map((event) => event.nonce)).toEqual([bobNonce]);

    // And the reverse: Alice's sockets never saw Bob's echo (a final round trip on each flushes them).
    await alice1.timeout(5_000).emitWithAck("system:ping", { sentAt: 3 });
    await alice2.timeout(5_000).emitWithAck("system:ping", { sentAt: 3 });
    expect(received.get(alice1)?.map((event) => event.nonce)).toEqual([aliceNonce]);
    expect(received.get(alice2)?.map((event) => event.nonce)).toEqual([aliceNonce]);
  });
});

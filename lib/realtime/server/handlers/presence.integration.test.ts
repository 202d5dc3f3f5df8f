// Presence against the real server: snapshot on connect, live changes to contacts and co-members
// only, multi-device and the offline grace period, away, DND/invisible/custom status, blocks, and
// a restart that forgets everyone. Real HTTP sessions, real sockets, the real database.
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { PresenceDto } from "@/lib/realtime/protocol";
import { type AppClientSocket, connectSocket, fetchSocketToken } from "@/test/support/clients";
import { createTempDir, removeTempDir, startServer, type TestServer } from "@/test/support/server";
import { barrier, CHAT_SERVER_ENV, nextMatching, ok, openDb, type Person, person, record } from "./chat-test-support";

const PRESENCE_ENV = { ...CHAT_SERVER_ENV, PRESENCE_OFFLINE_GRACE_MS: "500" };

let server: TestServer;
let db: ReturnType<typeof openDb>;

beforeAll(async () => {
  server = await startServer({ env: PRESENCE_ENV });
  db = openDb(server);
});

afterAll(async () => {
  await db?.close();
  await server?.stop();
});

async function befriend(a: Person, b: Person): Promise<void> {
  const request = await ok(a.socket, "contacts:request", { userId: b.id });
  await ok(b.socket, "contacts:respond", { requestId: request.id, accept: true });
}

/** A fresh socket of `who` with the snapshot it received at connect. */
async function snapshotOf(who: Person): Promise<{ socket: AppClientSocket; presences: PresenceDto[] }> {
  const socket = await who.unconnected();
  const snapshot = nextMatching(socket, "presence:snapshot");
  socket.connect();
  return { socket, presences: (await snapshot).presences };
}

const about = (log: PresenceDto[], userId: string) => log.filter((presence) => presence.userId === userId);
const changeOf = (socket: AppClientSocket, userId: string, status: PresenceDto["status"]) =>
  nextMatching(socket, "presence:changed", (presence) => presence.userId === userId && presence.status === status);

describe("presence snapshot", () => {
  it("lists contacts and co-members only: never strangers, never blocked people (either way)", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const carol = await person(server);
    const stranger = await person(server);
    const eve = await person(server);
    await befriend(alice, bob);
    await ok(alice.socket, "conversation:create-group", { name: "Crew", memberIds: [carol.id, eve.id] });
    await ok(eve.socket, "contacts:block", { userId: alice.id });

    const { presences } = await snapshotOf(alice);
    const byId = Object.fromEntries(presences.map((presence) => [presence.userId, presence]));
    expect(Object.keys(byId).sort()).toEqual([bob.id, carol.id].sort());
    expect(byId[bob.id]).toEqual({ userId: bob.id, status: "online", customText: null, customEmoji: null, lastSeenAt: null, inCall: false });
    expect(byId[carol.id]?.status).toBe("online");

    expect((await snapshotOf(eve)).presences.map((presence) => presence.userId)).not.toContain(alice.id);
    expect((await snapshotOf(stranger)).presences).toEqual([]);
    expect((await snapshotOf(carol)).presences.map((presence) => presence.userId)).toContain(alice.id);
  });
});

describe("multi-device and the grace period", () => {
  it("stays online while any socket is open; goes offline with lastSeenAt after the last one closes", async () => {
    const alice = await person(server);
    const bob = await person(server);
    await befriend(alice, bob);
    const second = await alice.connect();
    await barrier(bob.socket);
    const log = record(bob.socket, "presence:changed");

    alice.socket.disconnect();
    await barrier(second);
    const offline = changeOf(bob.socket, alice.id, "offline");
    second.disconnect();
    const event = await offline;
    expect(about(log, alice.id)).toEqual([event]);
    expect(event.lastSeenAt).toEqual(expect.any(String));
    const row = await db.get<{ lastSeenAt: number | string | null }>(`SELECT "lastSeenAt" FROM "User" WHERE "id" = ?`, alice.id);
    expect(row.lastSeenAt).not.toBeNull();

    const { presences } = await snapshotOf(bob);
    expect(presences.find((presence) => presence.userId === alice.id)).toMatchObject({ status: "offline", lastSeenAt: event.lastSeenAt });
  });

  it("a reconnect within the grace period announces nothing", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const marker = await person(server);
    await befriend(alice, bob);
    await befriend(marker, bob);
    const { token } = await fetchSocketToken(server, alice.cookie);
    await barrier(bob.socket);
    const log = record(bob.socket, "presence:changed");

    alice.socket.disconnect();
    await connectSocket(server, token);
    // The marker's offline comes a grace period after alice's would have: everything before it has arrived.
    const markerOffline = changeOf(bob.socket, marker.id, "offline");
    marker.socket.disconnect();
    await markerOffline;
    await barrier(bob.socket);
    expect(about(log, alice.id)).toEqual([]);
  });
});

describe("away and chosen statuses", () => {
  it("is away only when every socket is idle or hidden, and back online on activity", async () => {
    const alice = await person(server);
    const bob = await person(server);
    await befriend(alice, bob);
    const second = await alice.connect();
    await barrier(bob.socket);
    const log = record(bob.socket, "presence:changed");

    alice.socket.emit("presence:activity", { isIdle: true, isHidden: false });
    await barrier(alice.socket);
    const away = changeOf(bob.socket, alice.id, "away");
    second.emit("presence:activity", { isIdle: false, isHidden: true });
    await away;
    const online = changeOf(bob.socket, alice.id, "online");
    alice.socket.emit("presence:activity", { isIdle: false, isHidden: false });
    await online;
    expect(about(log, alice.id).map((presence) => presence.status)).toEqual(["away", "online"]);
  });

  it("a tab reports its activity in the handshake: a background tab's connect never shows its user online for a moment", async () => {
    const alice = await person(server);
    const bob = await person(server);
    await befriend(alice, bob);
    const away = changeOf(bob.socket, alice.id, "away");
    alice.socket.emit("presence:activity", { isIdle: false, isHidden: true });
    await away;
    const log = record(bob.socket, "presence:changed");

    // Counted hidden from its first moment: alice stays away and nothing is announced.
    const withActivity = async (activity: unknown) => {
      const { token } = await fetchSocketToken(server, alice.cookie);
      return connectSocket(server, token, { auth: { token, activity } });
    };
    const background = await withActivity({ isIdle: false, isHidden: true });
    await barrier(background);
    const { presences } = await snapshotOf(bob);
    expect(presences.find((presence) => presence.userId === alice.id)?.status).toBe("away");

    // A malformed activity is dropped, not the handshake: that tab counts as active.
    const online = changeOf(bob.socket, alice.id, "online");
    await withActivity({ isIdle: "no" });
    await online;
    await barrier(bob.socket);
    expect(about(log, alice.id).map((presence) => presence.status)).toEqual(["online"]);
  });

  it("DND and a custom status reach peers live; invisible looks offline but the user still chats", async () => {
    const alice = await person(server);
    const bob = await person(server);
    await befriend(alice, bob);
    const otherTab = await alice.connect();

    const dnd = changeOf(bob.socket, alice.id, "dnd");
    const ownElsewhere = nextMatching(otherTab, "presence:own-changed", (own) => own.mode === "dnd");
    const own = await ok(alice.socket, "presence:set-status", { status: "dnd", customText: "  Focus time ", customEmoji: "🎧", expiresAt: null });
    expect(own).toMatchObject({ userId: alice.id, mode: "dnd", status: "dnd", customText: "Focus time", customEmoji: "🎧", expiresAt: null });
    expect(await dnd).toEqual({ userId: alice.id, status: "dnd", customText: "Focus time", customEmoji: "🎧", lastSeenAt: null, inCall: false });
    expect((await ownElsewhere).customText).toBe("Focus time");

    const hidden = changeOf(bob.socket, alice.id, "offline");
    await ok(alice.socket, "presence:set-status", { status: "invisible", customText: "secret", customEmoji: null });
    expect(await hidden).toMatchObject({ customText: null, customEmoji: null });
    const direct = await ok(alice.socket, "conversation:open-direct", { userId: bob.id });
    const received = nextMatching(bob.socket, "chat:message-created");
    await ok(alice.socket, "chat:send", { conversationId: direct.id, clientMessageId: crypto.randomUUID(), body: "still here" });
    expect((await received).body).toBe("still here");

    const back = changeOf(bob.socket, alice.id, "online");
    await ok(alice.socket, "presence:set-status", { status: "auto", customText: null });
    expect(await back).toMatchObject({ customText: null });
  });

  it("a custom status with a past expiry reads as cleared", async () => {
    const alice = await person(server);
    const own = await ok(alice.socket, "presence:set-status", { status: "auto", customText: "Lunch", expiresAt: new Date(Date.now() - 1_000).toISOString() });
    expect(own).toMatchObject({ customText: null, expiresAt: null });
    const tooLong = await alice.socket.timeout(15_000).emitWithAck("presence:set-status", { status: "auto", customText: "x".repeat(81) });
    expect(tooLong).toMatchObject({ ok: false, error: { code: "INVALID_PAYLOAD" } });
  });
});

describe("privacy", () => {
  it("strangers and blocked people receive no presence events at all", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const stranger = await person(server);
    const blocked = await person(server);
    await befriend(alice, bob);
    await befriend(alice, blocked);
    await ok(alice.socket, "contacts:block", { userId: blocked.id });
    const strangerLog = record(stranger.socket, "presence:changed");
    const blockedLog = record(blocked.socket, "presence:changed");

    const dnd = changeOf(bob.socket, alice.id, "dnd");
    await ok(alice.socket, "presence:set-status", { status: "dnd" });
    await dnd;
    const offline = changeOf(bob.socket, alice.id, "offline");
    alice.socket.disconnect();
    await offline;
    await Promise.all([barrier(stranger.socket), barrier(blocked.socket)]);
    expect(about(strangerLog, alice.id)).toEqual([]);
    expect(about(blockedLog, alice.id)).toEqual([]);
  });
});

describe("relations that change mid-session", () => {
  const batchAbout = (socket: AppClientSocket, userId: string) =>
    nextMatching(socket, "presence:batch", ({ presences }) => presences.some((presence) => presence.userId === userId)).then(
      ({ presences }) => presences.find((presence) => presence.userId === userId),
    );

  it("a contact accepted or a group joined shows presence at once, both ways, never across a block", async () => {
    const alice = await person(server);
    const bob = await person(server);
    const carol = await person(server);
    const blocker = await person(server);
    await ok(alice.socket, "presence:set-status", { status: "dnd" });
    await ok(blocker.socket, "contacts:block", { userId: carol.id });

    const bobSeesAlice = batchAbout(bob.socket, alice.id);
    const aliceSeesBob = batchAbout(alice.socket, bob.id);
    const request = await ok(bob.socket, "contacts:request", { userId: alice.id });
    await ok(alice.socket, "contacts:respond", { requestId: request.id, accept: true });
    expect(await bobSeesAlice).toMatchObject({ status: "dnd" });
    expect(await aliceSeesBob).toMatchObject({ status: "online" });

    const carolLog = record(carol.socket, "presence:batch");
    const carolSeesAlice = batchAbout(carol.socket, alice.id);
    await ok(alice.socket, "conversation:create-group", { name: "Mixed", memberIds: [carol.id, blocker.id] });
    expect(await carolSeesAlice).toMatchObject({ status: "dnd" });
    await barrier(carol.socket);
    const seenByCarol = carolLog.flatMap(({ presences }) => presences.map((presence) => presence.userId));
    expect(seenByCarol).toContain(alice.id);
    expect(seenByCarol).not.toContain(blocker.id);
    expect(new Set(seenByCarol).size).toBe(seenByCarol.length);
  });

  it("a block turns each side offline for the other at once, with no last seen", async () => {
    const alice = await person(server);
    const bob = await person(server);
    await befriend(alice, bob);
    const offlineBatch = ({ presences }: { presences: PresenceDto[] }) => presences.every((presence) => presence.status === "offline");
    const bobSees = nextMatching(bob.socket, "presence:batch", offlineBatch);
    const aliceSees = nextMatching(alice.socket, "presence:batch", offlineBatch);
    await ok(alice.socket, "contacts:block", { userId: bob.id });
    expect((await bobSees).presences).toEqual([{ userId: alice.id, status: "offline", customText: null, customEmoji: null, lastSeenAt: null, inCall: false }]);
    expect((await aliceSees).presences).toEqual([{ userId: bob.id, status: "offline", customText: null, customEmoji: null, lastSeenAt: null, inCall: false }]);
  });
});

describe("restart", () => {
  it("after a restart on the same data nobody is online until they connect", async () => {
    const dataDir = createTempDir();
    let first: TestServer | undefined = await startServer({ env: { ...PRESENCE_ENV, DATA_DIR: dataDir } });
    let second: TestServer | undefined;
    try {
      const alice = await person(first);
      const bob = await person(first);
      await befriend(alice, bob);
      const secret = first.secret; // the same secret keeps the browser sessions valid across the restart
      await first.stop();
      first = undefined;
      second = await startServer({ env: { ...PRESENCE_ENV, DATA_DIR: dataDir, AUTH_SECRET: secret } });
      const restarted = second;
      const connectAs = async (who: Person) => {
        const { token } = await fetchSocketToken(restarted, who.cookie);
        const socket: AppClientSocket = io(restarted.url, { transports: ["websocket"], forceNew: true, autoConnect: false, auth: { token } });
        const snapshot = nextMatching(socket, "presence:snapshot");
        socket.connect();
        return { socket, presences: (await snapshot).presences };
      };
      const aliceAgain = await connectAs(alice);
      try {
        expect(aliceAgain.presences).toEqual([expect.objectContaining({ userId: bob.id, status: "offline" })]);
        const online = changeOf(aliceAgain.socket, bob.id, "online");
        const bobAgain = await connectAs(bob);
        await online;
        expect(bobAgain.presences).toEqual([expect.objectContaining({ userId: alice.id, status: "online" })]);
        bobAgain.socket.disconnect();
      } finally {
        aliceAgain.socket.disconnect();
      }
    } finally {
      await first?.stop();
      await second?.stop();
      removeTempDir(dataDir);
    }
  });
});

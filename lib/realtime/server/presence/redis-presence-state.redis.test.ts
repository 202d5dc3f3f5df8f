// Presence shared through a real Redis: two state objects on two connections stand for two
// server processes serving the same users.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import type { RedisClient } from "@/lib/redis/client";
import { startTestRedis, type TestRedis } from "@/test/support/redis";
import { closeClients, connectStateClient } from "@/test/support/redis-clients";
import { createRedisPresenceState, type RedisPresenceState } from "./redis-presence-state";

let redis: TestRedis;
let clientA: RedisClient;
let clientB: RedisClient;
let a: RedisPresenceState;
let b: RedisPresenceState;

beforeAll(async () => {
  redis = await startTestRedis();
  [clientA, clientB] = await Promise.all([connectStateClient(redis.url), connectStateClient(redis.url)]);
  a = createRedisPresenceState(clientA, { instanceId: "A" });
  b = createRedisPresenceState(clientB, { instanceId: "B" });
});

afterAll(async () => {
  await closeClients(clientA, clientB);
  await redis?.stop();
});

beforeEach(async () => {
  await clientA.flushall();
});

describe("redis presence state across processes", () => {
  it("a user with a socket on each process stays online until the last one closes and the grace ends", async () => {
    await a.addSocket("u", "sa");
    await b.addSocket("u", "sb");
    expect(await a.removeSocket("u", "sa")).toMatchObject({ remaining: 1 });
    expect(await b.connectionOf("u")).toBe("online");
    const last = await b.removeSocket("u", "sb");
    expect(last.remaining).toBe(0);
    expect(await a.connectionOf("u")).toBe("online"); // lingering through the grace period
    expect(await a.expire("u", last.epoch)).toBe(true);
    expect(await b.connectionOf("u")).toBe("offline");
    expect(await a.removeSocket("u", "sb")).toEqual({ remaining: 0, epoch: 0, changed: false }); // idempotent once gone
  });

  it("a grace timer on one process that outlived a reconnect on the other expires nobody", async () => {
    await a.addSocket("u", "s1");
    const gone = await a.removeSocket("u", "s1");
    await b.addSocket("u", "s2");
    expect(await a.expire("u", gone.epoch)).toBe(false);
    const again = await b.removeSocket("u", "s2");
    expect(await a.expire("u", gone.epoch)).toBe(false);
    expect(await a.connectionOf("u")).toBe("online");
    expect(await b.expire("u", again.epoch)).toBe(true);
  });

  it("is away only when every socket, on every process, is idle or hidden", async () => {
    await a.addSocket("u", "sa");
    await b.addSocket("u", "sb");
    await a.setActivity("u", "sa", { isIdle: true, isHidden: false });
    expect(await b.connectionOf("u")).toBe("online");
    await b.setActivity("u", "sb", { isIdle: false, isHidden: true });
    expect(await a.connectionOf("u")).toBe("away");
    await b.setActivity("u", "sb", { isIdle: false, isHidden: false });
    expect(await a.connectionOf("u")).toBe("online");
    await a.setActivity("u", "unknown", { isIdle: true, isHidden: true }); // ignored
    await b.setActivity("u", "sb", { isIdle: true, isHidden: true });
    expect(await a.connectionOf("u")).toBe("away");
    // Without sockets the last status lingers.
    await a.removeSocket("u", "sa");
    await b.removeSocket("u", "sb");
    expect(await a.connectionOf("u")).toBe("away");
  });

  it("counts a socket with its handshake's activity, and each change says whether the status moved", async () => {
    const hidden = { isIdle: false, isHidden: true };
    expect(await a.addSocket("u", "sa", hidden)).toBe(true); // offline → away
    expect(await b.connectionOf("u")).toBe("away");
    expect(await b.addSocket("u", "sb", hidden)).toBe(false); // a second background tab, elsewhere: no news
    expect(await b.setActivity("u", "sb", { isIdle: false, isHidden: false })).toBe(true); // → online
    expect(await a.setActivity("u", "sa", { isIdle: true, isHidden: true })).toBe(false);
    expect(await a.setActivity("u", "unknown", hidden)).toBe(false);
    expect(await a.removeSocket("u", "sb")).toMatchObject({ remaining: 1, changed: true }); // → away
    expect(await a.removeSocket("u", "sa")).toMatchObject({ remaining: 0, changed: false }); // lingers as it was
    expect(await b.addSocket("u", "sc")).toBe(true); // no report: active → online
  });

  it("changes are atomic: concurrent connects and disconnects from both processes count exactly", async () => {
    const ids = Array.from({ length: 40 }, (_, index) => `s${index}`);
    await Promise.all(ids.map((id, index) => (index % 2 ? a : b).addSocket("u", id)));
    const remaining = await Promise.all(ids.map((id, index) => (index % 2 ? b : a).removeSocket("u", id)));
    expect(remaining.map((result) => result.remaining).sort((x, y) => x - y)).toEqual(ids.map((_, index) => index));
    expect(new Set(remaining.map((result) => result.epoch))).toEqual(new Set([40]));
  });

  it("lists a user's sockets on every process (the handshake's socket cap)", async () => {
    expect(await a.socketsOf("u")).toEqual([]);
    await a.addSocket("u", "sa");
    await b.addSocket("u", "sb");
    await b.addSocket("other", "so");
    await b.setActivity("u", "sb", { isIdle: true, isHidden: false });
    expect((await b.socketsOf("u")).sort()).toEqual(["sa", "sb"]);
    await b.removeSocket("u", "sa");
    expect(await a.socketsOf("u")).toEqual(["sb"]);
  });

  it("reads many users' connections in one call", async () => {
    await a.addSocket("u1", "s1");
    await b.addSocket("u2", "s2");
    await b.setActivity("u2", "s2", { isIdle: true, isHidden: false });
    expect(await a.connectionsOf(["u1", "u2", "nobody"])).toEqual(
      new Map([
        ["u1", "online"],
        ["u2", "away"],
        ["nobody", "offline"],
      ]),
    );
    expect(await a.connectionsOf([])).toEqual(new Map());
  });

  it("the last announcement is shared: a change announced elsewhere is not suppressed here", async () => {
    expect(await a.markAnnounced("u", "online")).toBe(true);
    expect(await b.markAnnounced("u", "online")).toBe(false);
    expect(await b.markAnnounced("u", "offline")).toBe(true);
    // With a per-process record, A would still think "online" was the last thing said.
    expect(await a.markAnnounced("u", "online")).toBe(true);
    expect(await a.markAnnounced("other", "online")).toBe(true);
  });

  it("a dead process's grace periods move to whoever adopts them", async () => {
    await a.addSocket("u", "s1");
    await a.addSocket("v", "s2");
    const gone = await a.removeSocket("u", "s1");
    expect(await b.adoptLingering("A")).toEqual([{ userId: "u", epoch: gone.epoch }]);
    expect(await b.adoptLingering("A")).toEqual([]);
    expect(await clientA.hgetall("parley:presence:lingering:B")).toEqual({ u: String(gone.epoch) });
    expect(await b.expire("u", gone.epoch)).toBe(true);
    expect(await clientA.exists("parley:presence:lingering:B")).toBe(0);
    expect(await b.connectionOf("v")).toBe("online");
  });
});

// Security, scale-out: MAX_SOCKETS_PER_USER holds across two real server processes sharing Redis
// (the presence state lists every process's sockets): a user's sockets on A count on B, a close on
// A frees a slot on B, and a parallel burst split over both stays within the documented bound
// (exact per process, so at most the cap per process).
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { connectExpectingError, connectSocket, fetchSocketToken, registerUser } from "@/test/support/clients";
import { startTestRedis, type TestRedis } from "@/test/support/redis";
import type { TestServer } from "@/test/support/server";
import { createCluster, waitFor } from "@/test/scale-out/scale-out-support";

const MAX_SOCKETS_PER_USER = 3;

let redis: TestRedis;
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  redis = await startTestRedis();
  const cluster = await createCluster(redis, { MAX_SOCKETS_PER_USER: String(MAX_SOCKETS_PER_USER) });
  [a, b] = [await cluster.start(), await cluster.start()];
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.stop();
});

describe(`MAX_SOCKETS_PER_USER=${MAX_SOCKETS_PER_USER} across two processes`, () => {
  it("sockets on one process count on the other; a close on one frees a slot on the other", async () => {
    const user = await registerUser(a, { name: "Two Processes" });
    const token = async () => (await fetchSocketToken(a, user.cookie)).token;
    const onA = [await connectSocket(a, await token()), await connectSocket(a, await token())];
    await connectSocket(b, await token());

    for (const server of [a, b]) {
      const refused = await connectExpectingError(server, { token: await token() });
      expect(refused.message).toBe("TOO_MANY_CONNECTIONS");
      expect(refused.data).toMatchObject({ code: "TOO_MANY_CONNECTIONS" });
    }
    // Another user is not affected, on either process.
    const other = await registerUser(b, { name: "Someone Else" });
    await connectSocket(a, (await fetchSocketToken(a, other.cookie)).token);

    const closedAt = performance.now();
    onA[0]?.disconnect();
    let attempts = 0;
    await waitFor(
      async () => {
        attempts += 1;
        return connectSocket(b, await token()).then(
          () => true,
          () => false,
        );
      },
      "a slot on B after a close on A",
      10_000,
    );
    console.info(`[abuse] socket cap across two processes: 2 sockets on A + 1 on B, the 4th refused on both; a close on A freed a slot on B after ${Math.round(performance.now() - closedAt)} ms (${attempts} attempt(s))`);
  });

  it("a parallel burst split over both processes stays within the cap per process", async () => {
    const user = await registerUser(a, { name: "Split Burst" });
    const tokens = await Promise.all(Array.from({ length: 12 }, async () => (await fetchSocketToken(a, user.cookie)).token));
    const outcomes = await Promise.all(
      tokens.map((token, index) =>
        connectSocket(index % 2 === 0 ? a : b, token).then(
          () => "connected",
          (error: Error) => error.message,
        ),
      ),
    );
    const connected = outcomes.filter((outcome) => outcome === "connected").length;
    console.info(`[abuse] split burst: ${tokens.length} parallel handshakes of one user over two processes: ${connected} connected (cap ${MAX_SOCKETS_PER_USER}), the rest ${[...new Set(outcomes.filter((outcome) => outcome !== "connected"))].join(", ")}`);
    expect(outcomes.every((outcome) => outcome === "connected" || outcome === "TOO_MANY_CONNECTIONS")).toBe(true);
    expect(connected).toBeGreaterThanOrEqual(MAX_SOCKETS_PER_USER);
    expect(connected).toBeLessThanOrEqual(2 * MAX_SOCKETS_PER_USER);
    // Once the burst has settled in presence, neither process admits one more.
    await expect(connectExpectingError(b, { token: (await fetchSocketToken(a, user.cookie)).token })).resolves.toMatchObject({ message: "TOO_MANY_CONNECTIONS" });
  });
});

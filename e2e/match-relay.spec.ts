import type { Page } from "@playwright/test";

import { expect, test } from "./support/chat-fixtures";
import { joinQueue, openMatch } from "./support/match-page";
import { ownServer } from "./support/own-server";
import { E2E_PORT } from "./support/server-env";
import { startTurnServer, type TurnServer } from "./support/turn-server";
import { inboundBytes, peerConnectionState } from "./support/webrtc";

// Relay-only match calls for real: Debian's coturn on loopback, a Parley process configured with
// it and MATCH_RELAY_ONLY, and two Chromium contexts whose match call must run through the relay
// with no host or server-reflexive candidate ever reaching the other side.
const TURN_PORT = E2E_PORT + 5;
const RELAY_PORTS: [number, number] = [40_000 + (E2E_PORT % 1_000) * 20, 40_000 + (E2E_PORT % 1_000) * 20 + 19];
const TURN_SECRET = "e2e-turn-secret-0123456789";
const server = ownServer(E2E_PORT + 4, `test-results/e2e-data-relay-${E2E_PORT}`, {
  TURN_URLS: `turn:127.0.0.1:${TURN_PORT}?transport=udp`,
  TURN_SECRET,
  MATCH_RELAY_ONLY: "1",
});
let turn: TurnServer | null = null;

test.use({ baseURL: server.url });
test.beforeAll(async () => {
  turn = await startTurnServer({ port: TURN_PORT, relayPorts: RELAY_PORTS, secret: TURN_SECRET });
  await server.start();
});
test.afterAll(async () => {
  await server.dispose();
  await turn?.stop();
});

type CandidateView = { type: string | undefined; address: string | undefined };
type RelayView = {
  policy: string | undefined;
  selected: { local: CandidateView; remote: CandidateView } | null;
  locals: CandidateView[];
  remotes: CandidateView[];
};

/** The live connection's policy, selected pair and every candidate getStats() knows, per side. */
function relayView(page: Page): Promise<RelayView> {
  return page.evaluate(async () => {
    const pc = window.__parleyPeer;
    const empty: RelayView = { policy: undefined, selected: null, locals: [], remotes: [] };
    if (!pc) return empty;
    type Stat = { id: string; type: string; candidateType?: string; address?: string; selectedCandidatePairId?: string; localCandidateId?: string; remoteCandidateId?: string };
    const stats: Stat[] = [];
    (await pc.getStats()).forEach((stat: Stat) => stats.push(stat));
    const byId = new Map(stats.map((stat) => [stat.id, stat]));
    const view = (stat: Stat | undefined): CandidateView => ({ type: stat?.candidateType, address: stat?.address });
    const transport = stats.find((stat) => stat.type === "transport");
    const pair = transport?.selectedCandidatePairId ? byId.get(transport.selectedCandidatePairId) : undefined;
    return {
      policy: pc.getConfiguration().iceTransportPolicy,
      selected: pair ? { local: view(byId.get(pair.localCandidateId ?? "")), remote: view(byId.get(pair.remoteCandidateId ?? "")) } : null,
      locals: stats.filter((stat) => stat.type === "local-candidate").map(view),
      remotes: stats.filter((stat) => stat.type === "remote-candidate").map(view),
    };
  });
}

test.describe("[MATCH]: relay-only mode through a real TURN server", () => {
  test("a match call runs only through the TURN relay: every selected pair and every candidate the other side got is relay", async ({ join }) => {
    const [alice, bob] = await Promise.all([join("Alice"), join("Bob")]);
    const [a, b] = await Promise.all([openMatch(alice), openMatch(bob)]);
    await joinQueue(a, { mood: "Chill", language: "en" });
    await expect(a.getByTestId("match-queue")).toBeVisible();
    await joinQueue(b, { mood: "Chill", language: "en" });

    for (const page of [a, b]) await expect.poll(() => peerConnectionState(page), { timeout: 20_000 }).toBe("connected");
    const before = await Promise.all([a, b].map(inboundBytes));
    for (const [index, page] of [a, b].entries()) {
      await expect.poll(async () => (await inboundBytes(page)).audio, { timeout: 10_000 }).toBeGreaterThan(before[index]!.audio);
    }

    for (const page of [a, b]) {
      const view = await relayView(page);
      expect(view.policy).toBe("relay");
      expect(view.selected?.local.type).toBe("relay");
      expect(view.selected?.remote.type).toBe("relay");
      // What reached this side from the other: relay candidates only, all on the TURN server's address.
      expect(view.remotes.length).toBeGreaterThan(0);
      expect(view.remotes.map((candidate) => candidate.type)).toEqual(view.remotes.map(() => "relay"));
      expect(view.locals.map((candidate) => candidate.type)).toEqual(view.locals.map(() => "relay"));
      // 127.0.0.1 is the TURN server's relay address (--relay-ip); the machine's own eth0 address never appears.
      for (const candidate of [...view.remotes, ...view.locals]) expect(candidate.address).toBe("127.0.0.1");
    }
  });
});

// Match privacy against the real server, started relay-only (MATCH_RELAY_ONLY=1 with TURN): every
// event and every answer each side receives during a whole match names nothing of the other's
// account; a match call gets a relay-only ICE configuration, and only relayed candidates (with
// their related address blanked) cross between the two sides, in trickle and inside SDP alike.
// Regular calls are not filtered.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { CallSignal } from "@/lib/realtime/protocol";
import type { AppClientSocket } from "@/test/support/clients";
import { startServer, type TestServer } from "@/test/support/server";
import { ask, barrier, CHAT_SERVER_ENV, type DataOf, newId, nextMatching, ok, type Person, person, record } from "./chat-test-support";

let server: TestServer;

beforeAll(async () => {
  server = await startServer({
    env: { ...CHAT_SERVER_ENV, MATCH_RELAY_ONLY: "1", TURN_URLS: "turn:127.0.0.1:3478", TURN_SECRET: "integration-turn-secret" },
  });
});

afterAll(async () => {
  await server?.stop();
});

const HOST = "candidate:1 1 udp 2122260223 192.168.1.20 54400 typ host generation 0";
const SRFLX = "candidate:2 1 udp 1686052607 203.0.113.7 54401 typ srflx raddr 192.168.1.20 rport 54400 generation 0";
const RELAY = "candidate:3 1 udp 41885439 198.51.100.9 60000 typ relay raddr 203.0.113.7 rport 54401 generation 0";
const sdpWith = (lines: string[]) =>
  ["v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "m=audio 54401 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 203.0.113.7", ...lines.map((line) => `a=${line}`), ""].join("\r\n");
const candidate = (value: string): CallSignal => ({ type: "candidate", candidate: { candidate: value, sdpMid: "0", sdpMLineIndex: 0 } });

type Recorded = Person & { tab: AppClientSocket; log: unknown[]; request: <E extends Parameters<typeof ask>[1]>(event: E, input: Parameters<typeof ask<E>>[2]) => Promise<DataOf<E>> };

/** A person whose one tab records every event it receives (from before it connects) and every answer it gets. */
async function recorded(label: string): Promise<Recorded> {
  const someone = await person(server, `${label} ${newId().slice(0, 8)}`);
  someone.socket.disconnect();
  const tab = await someone.unconnected();
  const log: unknown[] = [];
  tab.onAny((event: string, ...args: unknown[]) => log.push({ event, args }));
  const ready = nextMatching(tab, "session:ready");
  tab.connect();
  await ready;
  const request = async <E extends Parameters<typeof ask>[1]>(event: E, input: Parameters<typeof ask<E>>[2]) => {
    const result = await ask(tab, event, input);
    log.push({ answer: event, result });
    if (!result.ok) throw new Error(`${event} failed: ${JSON.stringify(result.error)}`);
    return result.data;
  };
  return { ...someone, tab, log, request };
}

function expectNothingOf(log: unknown[], other: Person): void {
  const text = JSON.stringify(log);
  for (const secret of [other.id, other.name, other.email]) expect(text, `leaked ${secret}`).not.toContain(secret);
}

describe("privacy", () => {
  it("nothing either side receives during a whole match names the other's account", async () => {
    const ana = await recorded("Anastasia");
    const ben = await recorded("Benedikt");

    await ana.request("match:join", { mood: "curious", language: "sv", topic: "space" });
    const anaFound = nextMatching(ana.tab, "match:found");
    const benFound = nextMatching(ben.tab, "match:found");
    await ben.request("match:join", { mood: "playful", language: "sv" });
    const [{ call }, { match: benMatch }] = await Promise.all([anaFound, benFound]);
    const callId = call.id;
    const matchId = benMatch.id;

    for (const side of [ana, ben]) expect(await side.request("call:ice-config", { match: true })).toMatchObject({ iceTransportPolicy: "relay" });
    // Signaling and media state, both ways.
    const benOffer = nextMatching(ben.tab, "call:signal");
    await ana.request("call:signal", { callId, signal: { type: "offer", sdp: sdpWith([HOST, RELAY]) } });
    await benOffer;
    const anaAnswer = nextMatching(ana.tab, "call:signal");
    await ben.request("call:signal", { callId, signal: { type: "answer", sdp: sdpWith([RELAY]) } });
    await anaAnswer;
    for (const [from, to] of [
      [ana, ben],
      [ben, ana],
    ] as const) {
      const arrives = nextMatching(to.tab, "call:signal");
      await from.request("call:signal", { callId, signal: candidate(HOST) });
      await from.request("call:signal", { callId, signal: candidate(RELAY) });
      await arrives;
      const media = nextMatching(to.tab, "call:peer-media");
      await from.request("call:media-state", { callId, audioMuted: true, videoOff: true });
      await media;
    }
    for (const side of [ana, ben]) {
      expect(await side.request("match:status", {})).toMatchObject({ state: "matched" });
      expect(await side.request("call:current", {})).toMatchObject({ call: { id: callId }, onThisDevice: true });
    }

    const benEnded = nextMatching(ben.tab, "call:ended");
    await ana.request("call:hangup", { callId });
    await benEnded;
    await ana.request("match:rate", { matchId, score: 4, feedback: "fun" });
    await ben.request("match:rate", { matchId, score: 2 });
    await ana.request("match:report", { matchId, reason: "spam", details: "links" });
    await ben.request("match:block", { matchId });
    for (const side of [ana, ben]) {
      await side.request("match:status", {});
      await side.request("call:current", {});
      const history = await side.request("call:history", {});
      expect(history.items.map((item) => item.id)).toEqual([callId]);
    }
    await Promise.all([barrier(ana.tab), barrier(ben.tab)]);

    // What was recorded is the whole story (so the search below searched something)…
    const events = (log: unknown[]) => new Set(log.flatMap((entry) => (typeof entry === "object" && entry && "event" in entry ? [String(entry.event)] : [])));
    for (const side of [ana, ben]) {
      expect([...events(side.log)]).toEqual(expect.arrayContaining(["session:ready", "match:found", "call:signal", "call:peer-media", "call:ended"]));
      expect(JSON.stringify(side.log)).toContain(side.id); // one's own account is there: a leak would show
    }
    // …and nothing in it belongs to the other side.
    expectNothingOf(ana.log, ben);
    expectNothingOf(ben.log, ana);
  });
});

describe("relay-only ICE for match calls", () => {
  it("a match call gets relay-only ICE; host and server-reflexive candidates never reach the stranger, relayed ones arrive redacted", async () => {
    const [ana, ben] = await Promise.all([person(server, "Ana"), person(server, "Ben")]);
    expect(await ok(ana.socket, "call:ice-config", { match: true })).toMatchObject({ iceTransportPolicy: "relay", iceServers: [{ urls: ["turn:127.0.0.1:3478"] }] });
    expect((await ok(ana.socket, "call:ice-config", {})).iceTransportPolicy).toBe("all");

    await ok(ana.socket, "match:join", { mood: "chill", language: "hi" });
    const anaFound = nextMatching(ana.socket, "match:found");
    await ok(ben.socket, "match:join", { mood: "chill", language: "hi" });
    const callId = (await anaFound).call.id;
    const benSignals = record(ben.socket, "call:signal");

    expect(await ok(ana.socket, "call:signal", { callId, signal: candidate(HOST) })).toEqual({ relayed: true });
    expect(await ok(ana.socket, "call:signal", { callId, signal: candidate(SRFLX) })).toEqual({ relayed: true });
    await ok(ana.socket, "call:signal", { callId, signal: candidate(RELAY) });
    await ok(ana.socket, "call:signal", { callId, signal: candidate("") });
    await ok(ana.socket, "call:signal", { callId, signal: { type: "offer", sdp: sdpWith([HOST, SRFLX, RELAY, "end-of-candidates"]), iceRestart: true } });
    await barrier(ben.socket);

    expect(benSignals.map((event) => event.signal.type)).toEqual(["candidate", "candidate", "offer"]);
    const [relayed, end, offer] = benSignals.map((event) => event.signal);
    expect(relayed).toEqual(candidate("candidate:3 1 udp 41885439 198.51.100.9 60000 typ relay raddr 0.0.0.0 rport 0 generation 0"));
    expect(end).toEqual(candidate(""));
    expect(offer).toMatchObject({ type: "offer", iceRestart: true });
    const sdp = offer && offer.type === "offer" ? offer.sdp : "";
    expect(sdp).toContain("a=candidate:3 1 udp 41885439 198.51.100.9 60000 typ relay");
    expect(sdp).toContain("a=end-of-candidates");
    for (const address of ["192.168.1.20", "203.0.113.7"]) expect(sdp).not.toContain(address);
  });

  it("a regular call between contacts is relayed as sent", async () => {
    const [ana, ben] = await Promise.all([person(server, "Ana"), person(server, "Ben")]);
    const request = await ok(ana.socket, "contacts:request", { userId: ben.id });
    await ok(ben.socket, "contacts:respond", { requestId: request.id, accept: true });
    const incoming = nextMatching(ben.socket, "call:incoming");
    const call = await ok(ana.socket, "call:start", { calleeId: ben.id, kind: "audio" });
    await incoming;
    const accepted = nextMatching(ana.socket, "call:accepted");
    await ok(ben.socket, "call:accept", { callId: call.id, withVideo: false });
    await accepted;
    const arrives = nextMatching(ben.socket, "call:signal");
    await ok(ana.socket, "call:signal", { callId: call.id, signal: candidate(HOST) });
    expect((await arrives).signal).toEqual(candidate(HOST));
  });
});

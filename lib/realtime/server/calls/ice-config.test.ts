import { createHmac } from "node:crypto";

import { describe, expect, it } from "vitest";

import { parseServerEnv as parseProcessEnv } from "@/lib/env";
import { iceConfigFor, TURN_CREDENTIAL_TTL_SECONDS } from "./ice-config";

const NOW = Date.UTC(2026, 0, 1, 10, 0, 0);
const parseServerEnv = (source: Record<string, string>) => parseProcessEnv(source as NodeJS.ProcessEnv);

describe("ICE configuration", () => {
  it("is empty when nothing is configured (loopback and LAN need no servers)", () => {
    expect(iceConfigFor(parseServerEnv({}), "u1", NOW)).toEqual({ iceServers: [], iceTransportPolicy: "all" });
  });

  it("is relay-only for a match call when MATCH_RELAY_ONLY is on, and only then", () => {
    const turn = { TURN_URLS: "turn:turn.example.org:3478", TURN_SECRET: "a-turn-secret-of-some-length" };
    const relayOnly = parseServerEnv({ ...turn, MATCH_RELAY_ONLY: "1" });
    expect(iceConfigFor(relayOnly, "u1", NOW, { match: true }).iceTransportPolicy).toBe("relay");
    expect(iceConfigFor(relayOnly, "u1", NOW, { match: false }).iceTransportPolicy).toBe("all");
    expect(iceConfigFor(relayOnly, "u1", NOW).iceTransportPolicy).toBe("all");
    expect(iceConfigFor(parseServerEnv(turn), "u1", NOW, { match: true }).iceTransportPolicy).toBe("all");
    expect(iceConfigFor(relayOnly, "u1", NOW, { match: true }).iceServers).toEqual(iceConfigFor(relayOnly, "u1", NOW).iceServers);
  });

  it("passes ICE_SERVERS through, a single url becoming a list", () => {
    const env = parseServerEnv({
      ICE_SERVERS: JSON.stringify([{ urls: "stun:stun.example.org:3478" }, { urls: ["turn:t.example.org"], username: "u", credential: "p" }]),
    });
    expect(iceConfigFor(env, "u1", NOW).iceServers).toEqual([
      { urls: ["stun:stun.example.org:3478"] },
      { urls: ["turn:t.example.org"], username: "u", credential: "p" },
    ]);
  });

  it("adds TURN servers with time-limited credentials (TURN REST: expiry:userId, HMAC-SHA1 base64)", () => {
    const secret = "a-turn-secret-of-some-length";
    const env = parseServerEnv({ TURN_URLS: "turn:turn.example.org:3478?transport=udp, turns:turn.example.org:5349", TURN_SECRET: secret });
    const [server] = iceConfigFor(env, "u1", NOW).iceServers;
    const expiry = NOW / 1000 + TURN_CREDENTIAL_TTL_SECONDS;
    expect(server).toEqual({
      urls: ["turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"],
      username: `${expiry}:u1`,
      credential: createHmac("sha1", secret).update(`${expiry}:u1`).digest("base64"),
    });
  });

  it("refuses malformed configuration, naming the variable", () => {
    const names = (env: Record<string, string>) => {
      try {
        parseServerEnv(env);
        return [];
      } catch (error) {
        return (error as { variables: string[] }).variables;
      }
    };
    expect(names({ ICE_SERVERS: "not json" })).toEqual(["ICE_SERVERS"]);
    expect(names({ ICE_SERVERS: JSON.stringify([{ urls: "http://x" }]) })).toEqual(["ICE_SERVERS"]);
    expect(names({ ICE_SERVERS: JSON.stringify([{ url: "stun:x" }]) })).toEqual(["ICE_SERVERS"]);
    expect(names({ TURN_URLS: "turn:x" })).toEqual(["TURN_SECRET"]);
    expect(names({ TURN_SECRET: "0123456789abcdef" })).toEqual(["TURN_URLS"]);
    expect(names({ TURN_URLS: "stun:x", TURN_SECRET: "0123456789abcdef" })).toEqual(["TURN_URLS"]);
    expect(names({ CALL_RING_TIMEOUT_MS: "5" })).toEqual(["CALL_RING_TIMEOUT_MS"]);
  });

  it("defaults the call timings", () => {
    expect(parseServerEnv({})).toMatchObject({ CALL_RING_TIMEOUT_MS: 30_000, CALL_RECONNECT_GRACE_MS: 15_000 });
  });
});

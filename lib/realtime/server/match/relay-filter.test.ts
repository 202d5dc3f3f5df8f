import { describe, expect, it } from "vitest";

import type { CallSignal } from "@/lib/realtime/protocol";
import { candidateType, isRelayCandidate, redactRelatedAddress, relayOnlySignal, stripNonRelayCandidates } from "./relay-filter";

const HOST = "candidate:1 1 udp 2122260223 192.168.1.20 54400 typ host generation 0 ufrag abcd network-id 1";
const MDNS = "candidate:2 1 udp 2122260223 4f1c2a7e-1111-2222-3333-444455556666.local 54401 typ host generation 0";
const SRFLX = "candidate:3 1 udp 1686052607 203.0.113.7 54402 typ srflx raddr 192.168.1.20 rport 54400 generation 0";
const RELAY = "candidate:4 1 udp 41885439 198.51.100.9 60000 typ relay raddr 203.0.113.7 rport 54402 generation 0";
const TCP_RELAY = "candidate:5 1 tcp 25108223 198.51.100.9 60001 typ relay raddr 203.0.113.7 rport 9 tcptype passive";

function sdpWith(candidates: string[], connection = "c=IN IP4 203.0.113.7", newline = "\r\n"): string {
  return [
    "v=0",
    "o=- 4611731400430051336 2 IN IP4 127.0.0.1",
    "s=-",
    "t=0 0",
    "m=audio 54402 UDP/TLS/RTP/SAVPF 111",
    connection,
    "a=rtcp:54402 IN IP4 203.0.113.7",
    ...candidates.map((candidate) => `a=${candidate}`),
    "a=end-of-candidates",
    "a=ice-ufrag:abcd",
    "a=rtpmap:111 opus/48000/2",
    "",
  ].join(newline);
}

describe("candidate types", () => {
  it("reads the type after typ, whatever follows it", () => {
    expect([HOST, MDNS, SRFLX, RELAY, TCP_RELAY].map(candidateType)).toEqual(["host", "host", "srflx", "relay", "relay"]);
    expect(candidateType("")).toBeNull();
    expect(candidateType("candidate:1 1 udp 1 10.0.0.1 1 typ")).toBeNull();
    expect(isRelayCandidate("candidate:1 1 udp 1 10.0.0.1 1 typ relayed")).toBe(false);
    // "relay" elsewhere in the string (e.g. a foundation) is not the type.
    expect(isRelayCandidate("candidate:relay 1 udp 1 10.0.0.1 1 typ host")).toBe(false);
  });

  it("blanks a relay candidate's related address, the person's own public address", () => {
    expect(redactRelatedAddress(RELAY)).toBe("candidate:4 1 udp 41885439 198.51.100.9 60000 typ relay raddr 0.0.0.0 rport 0 generation 0");
    expect(redactRelatedAddress(HOST)).toBe(HOST);
  });
});

describe("SDP filtering", () => {
  it("removes every non-relay candidate line and keeps everything else, line endings included", () => {
    const filtered = stripNonRelayCandidates(sdpWith([HOST, MDNS, SRFLX, RELAY, TCP_RELAY]));
    const candidates = filtered.split("\r\n").filter((line) => line.startsWith("a=candidate:"));
    expect(candidates).toEqual([
      "a=candidate:4 1 udp 41885439 198.51.100.9 60000 typ relay raddr 0.0.0.0 rport 0 generation 0",
      "a=candidate:5 1 tcp 25108223 198.51.100.9 60001 typ relay raddr 0.0.0.0 rport 0 tcptype passive",
    ]);
    expect(filtered).not.toContain("192.168.1.20");
    expect(filtered).not.toContain("203.0.113.7");
    expect(filtered).not.toContain(".local");
    expect(filtered).toContain("a=end-of-candidates\r\na=ice-ufrag:abcd\r\na=rtpmap:111 opus/48000/2\r\n");
    expect(filtered.endsWith("\r\n")).toBe(true);
    expect(filtered.split("\r\n").some((line) => line.includes("\n"))).toBe(false);
  });

  it("keeps a default address that is a relay's, blanks any other (IPv6 too)", () => {
    const relayDefault = stripNonRelayCandidates(sdpWith([RELAY], "c=IN IP4 198.51.100.9"));
    expect(relayDefault).toContain("c=IN IP4 198.51.100.9\r\n");
    expect(relayDefault).toContain("a=rtcp:54402 IN IP4 0.0.0.0\r\n");
    const v6 = stripNonRelayCandidates(sdpWith([], "c=IN IP6 2001:db8::1", "\n"));
    expect(v6).toContain("\nc=IN IP6 ::\n");
    expect(v6).not.toContain("\r\n");
  });

  it("changes nothing in an SDP that already has only relay candidates and unspecified addresses", () => {
    const clean = sdpWith([], "c=IN IP4 0.0.0.0").replace("a=rtcp:54402 IN IP4 203.0.113.7", "a=rtcp:9 IN IP4 0.0.0.0");
    expect(stripNonRelayCandidates(clean)).toBe(clean);
  });
});

describe("signals for a relay-only match call", () => {
  const candidate = (value: string): CallSignal => ({ type: "candidate", candidate: { candidate: value, sdpMid: "0", sdpMLineIndex: 0 } });

  it("drops host, mDNS and server-reflexive candidates; passes relay ones (redacted) and end-of-candidates", () => {
    expect(relayOnlySignal(candidate(HOST))).toBeNull();
    expect(relayOnlySignal(candidate(MDNS))).toBeNull();
    expect(relayOnlySignal(candidate(SRFLX))).toBeNull();
    expect(relayOnlySignal(candidate(RELAY))).toEqual(candidate(redactRelatedAddress(RELAY)));
    expect(relayOnlySignal(candidate(""))).toEqual(candidate(""));
  });

  it("filters offers (an ICE restart flag kept) and answers", () => {
    const offer: CallSignal = { type: "offer", sdp: sdpWith([HOST, RELAY]), iceRestart: true };
    const filtered = relayOnlySignal(offer);
    expect(filtered).toMatchObject({ type: "offer", iceRestart: true });
    expect(filtered && "sdp" in filtered ? filtered.sdp : "").not.toContain("typ host");
    const answer = relayOnlySignal({ type: "answer", sdp: sdpWith([SRFLX]) });
    expect(answer && "sdp" in answer ? answer.sdp : "").not.toContain("a=candidate");
  });
});

/**
 * Defence in depth for MATCH_RELAY_ONLY: the browsers are told to gather relay candidates only
 * (iceTransportPolicy "relay"), but a modified client could still send its host or server-reflexive
 * addresses. For match calls the server therefore relays only TURN-relayed candidates (their
 * address is the relay's, not the person's) and strips every other candidate from offers and
 * answers before they reach the stranger. Pure string work.
 */
import type { CallSignal } from "@/lib/realtime/protocol";

/** The candidate type after "typ" (host, srflx, prflx, relay), or null when there is none. */
export function candidateType(candidate: string): string | null {
  const tokens = candidate.trim().split(/\s+/);
  const index = tokens.indexOf("typ");
  return index >= 0 ? (tokens[index + 1] ?? null) : null;
}

export const isRelayCandidate = (candidate: string): boolean => candidateType(candidate) === "relay";

/**
 * A relay candidate's "raddr"/"rport" name the address the TURN server saw the person come from:
 * their own public address. ICE never uses them (they are diagnostics), so they are blanked.
 */
export function redactRelatedAddress(candidate: string): string {
  return candidate.replace(/(\sraddr\s+)\S+/, (_, key: string) => `${key}0.0.0.0`).replace(/(\srport\s+)\S+/, (_, key: string) => `${key}0`);
}

/**
 * An SDP with every non-relay `a=candidate` line removed. `c=` and `a=rtcp` lines name the default
 * candidate's address, so an address that is not one of the kept relay candidates' is replaced by
 * the unspecified address (as browsers write it before gathering). Line endings are kept.
 */
export function stripNonRelayCandidates(sdp: string): string {
  const newline = sdp.includes("\r\n") ? "\r\n" : "\n";
  const lines = sdp.split(/\r?\n/);
  const kept = lines
    .filter((line) => !line.startsWith("a=candidate:") || isRelayCandidate(line.slice("a=".length)))
    .map((line) => (line.startsWith("a=candidate:") ? redactRelatedAddress(line) : line));
  const relayAddresses = new Set(kept.filter((line) => line.startsWith("a=candidate:")).map((line) => line.trim().split(/\s+/)[4]));
  return kept
    .map((line) => {
      const connection = /^(c=IN IP([46]) )(\S+)(.*)$/.exec(line) ?? /^(a=rtcp:\d+ IN IP([46]) )(\S+)(.*)$/.exec(line);
      if (!connection) return line;
      const [, head = "", version, address = "", rest = ""] = connection;
      if (relayAddresses.has(address)) return line;
      // Keep a multicast TTL or the like after the address; only the address itself is replaced.
      return `${head}${version === "6" ? "::" : "0.0.0.0"}${rest}`;
    })
    .join(newline);
}

/**
 * The signal as the stranger may receive it, or null to drop it: candidates must be relayed ones
 * (related address blanked; an empty candidate, "end of candidates", carries no address and
 * passes); offers and answers lose their other candidates.
 */
export function relayOnlySignal(signal: CallSignal): CallSignal | null {
  switch (signal.type) {
    case "candidate": {
      const { candidate } = signal.candidate;
      if (candidate.trim() === "") return signal;
      if (!isRelayCandidate(candidate)) return null;
      return { ...signal, candidate: { ...signal.candidate, candidate: redactRelatedAddress(candidate) } };
    }
    case "offer":
    case "answer":
      return { ...signal, sdp: stripNonRelayCandidates(signal.sdp) };
  }
}

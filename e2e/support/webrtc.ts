/**
 * Reading the app's live RTCPeerConnection from a page: the app exposes it read-only as
 * `window.__parleyPeer` (lib/realtime/client/call-session.ts), so a spec can check connectionState
 * and getStats() without any hook of its own.
 */
import type { Page } from "@playwright/test";

export type InboundBytes = { audio: number; video: number };

export async function peerConnectionState(page: Page): Promise<string | null> {
  return page.evaluate(() => window.__parleyPeer?.connectionState ?? null);
}

/** Bytes received so far per media kind, from getStats() inbound-rtp reports. */
export async function inboundBytes(page: Page): Promise<InboundBytes> {
  return page.evaluate(async () => {
    const totals = { audio: 0, video: 0 };
    const pc = window.__parleyPeer;
    if (!pc) return totals;
    (await pc.getStats()).forEach((report: { type: string; kind?: string; bytesReceived?: number }) => {
      if (report.type === "inbound-rtp" && (report.kind === "audio" || report.kind === "video")) totals[report.kind] += report.bytesReceived ?? 0;
    });
    return totals;
  });
}

/** The media kinds the live connection negotiated (one entry per transceiver). */
export async function transceiverKinds(page: Page): Promise<string[]> {
  return page.evaluate(() => (window.__parleyPeer?.getTransceivers() ?? []).map((transceiver) => transceiver.receiver.track.kind));
}

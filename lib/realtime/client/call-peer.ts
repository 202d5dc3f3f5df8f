/**
 * One RTCPeerConnection for a call: always one audio and one video transceiver (the video one
 * only receives until this side sends video), so switching audio↔video is a direction change plus
 * a new offer, never a new m-line. A match call is audio only: one audio transceiver, no video
 * m-line at all, and it may be limited to relayed candidates (`iceTransportPolicy: "relay"`).
 * Offers are explicit (the caller's first one after `call:accepted` or `match:found`, then whoever
 * switches media or restarts ICE); collisions follow the "perfect negotiation" rule: the callee is
 * polite and yields, the caller ignores the colliding offer.
 */
import "client-only";

import type { CallSignal } from "@/lib/realtime/protocol";

export type CallPeerOptions = {
  iceServers: RTCIceServer[];
  /** "relay": only TURN-relayed candidates, so the other side never learns this side's address. */
  iceTransportPolicy?: RTCIceTransportPolicy;
  /** No video m-line (match calls). */
  audioOnly?: boolean;
  polite: boolean;
  sendSignal: (signal: CallSignal) => void;
  onRemoteTrack: (track: MediaStreamTrack) => void;
  onConnectionState: (state: RTCPeerConnectionState) => void;
};

export type LocalTracks = { audio: MediaStreamTrack | null; video: MediaStreamTrack | null };

export type CallPeer = {
  readonly pc: RTCPeerConnection;
  /** What this side sends; takes effect at once for replaced tracks, direction changes need `offer()`. */
  setLocalTracks: (tracks: LocalTracks) => Promise<void>;
  /** Creates and sends an offer (queued until the current negotiation is done). */
  offer: (options?: { iceRestart?: boolean }) => Promise<void>;
  handleSignal: (signal: CallSignal) => Promise<void>;
  close: () => void;
};

function kindOf(transceiver: RTCRtpTransceiver): "audio" | "video" {
  return transceiver.receiver.track.kind === "video" ? "video" : "audio";
}

export function createCallPeer(options: CallPeerOptions, initialTracks: LocalTracks, createTransceivers: boolean): CallPeer {
  const pc = new RTCPeerConnection({ iceServers: options.iceServers, iceTransportPolicy: options.iceTransportPolicy ?? "all" });
  let tracks = initialTracks;
  let makingOffer = false;
  let ignoreOffer = false;
  let queuedOffer: { iceRestart?: boolean } | null = null;
  /** Candidates that arrived before the remote description they belong to. */
  const pendingCandidates: RTCIceCandidateInit[] = [];

  // The caller creates both m-lines; the callee's transceivers come from the caller's offer.
  if (createTransceivers) {
    pc.addTransceiver("audio", { direction: tracks.audio ? "sendrecv" : "recvonly" });
    if (!options.audioOnly) pc.addTransceiver("video", { direction: tracks.video ? "sendrecv" : "recvonly" });
  }

  const applyTracks = async () => {
    for (const transceiver of pc.getTransceivers()) {
      if (transceiver.currentDirection === "stopped") continue;
      const track = kindOf(transceiver) === "audio" ? tracks.audio : tracks.video;
      if (transceiver.sender.track !== track) await transceiver.sender.replaceTrack(track);
      const direction: RTCRtpTransceiverDirection = track ? "sendrecv" : "recvonly";
      if (transceiver.direction !== direction) transceiver.direction = direction;
    }
  };

  const offer = async (offerOptions: { iceRestart?: boolean } = {}) => {
    if (pc.signalingState === "closed") return;
    if (makingOffer || pc.signalingState !== "stable") {
      // An ICE restart wins over a plain renegotiation; either way one offer follows.
      queuedOffer = { iceRestart: queuedOffer?.iceRestart || offerOptions.iceRestart };
      return;
    }
    makingOffer = true;
    try {
      await applyTracks();
      const description = await pc.createOffer(offerOptions.iceRestart ? { iceRestart: true } : undefined);
      if (pc.signalingState !== "stable") return; // a remote offer won the race; ours is obsolete
      await pc.setLocalDescription(description);
      options.sendSignal({ type: "offer", sdp: description.sdp ?? "", ...(offerOptions.iceRestart ? { iceRestart: true } : {}) });
    } finally {
      makingOffer = false;
    }
  };

  const flushCandidates = async () => {
    while (pendingCandidates.length > 0 && pc.remoteDescription) {
      const candidate = pendingCandidates.shift()!;
      await pc.addIceCandidate(candidate).catch(() => undefined); // a stale candidate (old ufrag) is harmless
    }
  };

  pc.onicecandidate = (event) => {
    const candidate = event.candidate;
    if (!candidate?.candidate) return; // end-of-candidates needs no relay
    options.sendSignal({
      type: "candidate",
      candidate: { candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex, usernameFragment: candidate.usernameFragment },
    });
  };
  pc.ontrack = (event) => options.onRemoteTrack(event.track);
  pc.onconnectionstatechange = () => options.onConnectionState(pc.connectionState);
  pc.onsignalingstatechange = () => {
    if (pc.signalingState !== "stable" || !queuedOffer) return;
    const next = queuedOffer;
    queuedOffer = null;
    void offer(next).catch(() => undefined);
  };

  return {
    pc,
    setLocalTracks: async (next) => {
      tracks = next;
      await applyTracks();
    },
    offer,
    handleSignal: async (signal) => {
      if (pc.signalingState === "closed") return;
      if (signal.type === "candidate") {
        if (!pc.remoteDescription) {
          pendingCandidates.push(signal.candidate);
          return;
        }
        try {
          await pc.addIceCandidate(signal.candidate);
        } catch (error) {
          if (!ignoreOffer) throw error;
        }
        return;
      }
      const isCollision = signal.type === "offer" && (makingOffer || pc.signalingState !== "stable");
      ignoreOffer = !options.polite && isCollision;
      if (ignoreOffer) return;
      // The polite side's setRemoteDescription rolls its own pending offer back implicitly.
      await pc.setRemoteDescription({ type: signal.type, sdp: signal.sdp });
      if (signal.type === "offer") {
        await applyTracks();
        const answer = await pc.createAnswer();
        await pc.setLocalDescription(answer);
        options.sendSignal({ type: "answer", sdp: answer.sdp ?? "" });
      }
      await flushCandidates();
    },
    close: () => {
      pc.onicecandidate = null;
      pc.ontrack = null;
      pc.onconnectionstatechange = null;
      pc.onsignalingstatechange = null;
      pc.close();
    },
  };
}

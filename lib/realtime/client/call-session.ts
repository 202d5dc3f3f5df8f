/**
 * The browser side of a 1-1 call: media, the peer connection and the call's signaling, driven by
 * the bridge's `call:*` events and by the call view's buttons. One call per tab at most. The server
 * owns the call's state; this follows it and keeps the media in step:
 * - the caller rings first and opens the camera meanwhile (ringing must not wait for getUserMedia),
 *   and sends the first offer after `call:accepted`; the callee opens its media before accepting;
 * - a match call (`startMatchCall`) starts already answered: audio only, the match's role decides
 *   who offers, and its ICE settings come from `call:ice-config {match: true}` (maybe relay-only);
 * - ICE candidates trickle through `call:signal`; mute and camera state through `call:media-state`;
 * - a dropped connection tries ICE restarts (the caller offers them) until GIVE_UP_AFTER_MS, and a
 *   reconnected socket re-binds through `call:current` before the caller restarts ICE;
 * - ending, for whatever reason, stops every local track (camera light off) and closes the peer.
 */
import "client-only";
import { toast } from "sonner";

import { isInCall, type CallRole } from "@/lib/calls/call-machine";
import { callEndedNotice, elapsedSeconds } from "@/lib/calls/call-text";
import type { CallDto, CallKind, CallOutcome, CallSignal, PeerMediaDto, PublicUserDto } from "@/lib/realtime/protocol";
import { useCallStore } from "@/lib/stores/call-store";
import { useConnectionStore } from "@/lib/stores/connection-store";
import { describeMediaError, openCamera, openLocalMedia, stopStream } from "./call-media";
import { createCallPeer, type CallPeer, type LocalTracks } from "./call-peer";
import { request, RequestError } from "./request";
import type { AppClientSocket } from "./socket-manager";

/** Chrome often heals a "disconnected" path by itself within a second or two; then no restart is needed. */
const RESTART_AFTER_DISCONNECT_MS = 1_500;
const RESTART_RETRY_MS = 5_000;
/** How long media may stay down before the call is ended as failed. */
const GIVE_UP_AFTER_MS = 20_000;

/** What the peer connection is configured with. */
export type IceSettings = { iceServers: RTCIceServer[]; iceTransportPolicy: RTCIceTransportPolicy };

type Session = {
  callId: string;
  role: CallRole;
  /** A match call: microphone only, no video m-line, no switching to video. */
  audioOnly: boolean;
  /** Opened at once; resolves to `localStream`. */
  media: Promise<MediaStream>;
  localStream: MediaStream | null;
  ice: Promise<IceSettings>;
  peer: CallPeer | null;
  remoteStream: MediaStream;
  /** Setup and remote signals run one at a time, in arrival order. */
  queue: Promise<void>;
  restartTimer: ReturnType<typeof setTimeout> | null;
  giveUpTimer: ReturnType<typeof setTimeout> | null;
  closed: boolean;
};

const store = () => useCallStore.getState();
const selfId = () => useConnectionStore.getState().user?.id ?? null;
const noop = () => undefined;

let boundSocket: AppClientSocket | null = null;
let session: Session | null = null;
let activePc: RTCPeerConnection | null = null;
let isStarting = false;

// The e2e tests read the live connection's state and getStats() from the page. A read-only getter
// on the page's own window exposes nothing a script in this origin could not already reach, and
// it cannot replace or steer the connection, so it stays in production builds (which e2e runs).
declare global {
  interface Window {
    readonly __parleyPeer?: RTCPeerConnection | null;
  }
}
if (typeof window !== "undefined" && !Object.getOwnPropertyDescriptor(window, "__parleyPeer")) {
  Object.defineProperty(window, "__parleyPeer", { get: () => activePc, configurable: true });
}

const isOnMatchPage = () => typeof window !== "undefined" && window.location.pathname === "/match";

function messageOf(error: unknown): string {
  return error instanceof Error && error.message ? error.message : "something went wrong";
}

function tracksOf(stream: MediaStream | null): LocalTracks {
  return { audio: stream?.getAudioTracks()[0] ?? null, video: stream?.getVideoTracks()[0] ?? null };
}

async function requestIceSettings(socket: AppClientSocket, match: boolean): Promise<IceSettings> {
  const config = await request(socket, "call:ice-config", match ? { match: true } : {});
  return {
    iceServers: config.iceServers.map(({ urls, username, credential }) => ({ urls, ...(username ? { username } : {}), ...(credential ? { credential } : {}) })),
    iceTransportPolicy: config.iceTransportPolicy,
  };
}

async function fetchIceSettings(socket: AppClientSocket): Promise<IceSettings> {
  try {
    return await requestIceSettings(socket, false);
  } catch {
    return { iceServers: [], iceTransportPolicy: "all" }; // no STUN/TURN: calls still work on a LAN and on loopback
  }
}

/** A new wrapper per change, so the views re-render with the current set of tracks. */
function publishLocal(s: Session): void {
  const stream = s.localStream;
  if (!stream || s.closed) return;
  store().setStreams({ localStream: new MediaStream(stream.getTracks()) });
}

function newSession(callId: string, role: CallRole, media: Promise<MediaStream>, ice: Promise<IceSettings>, audioOnly = false): Session {
  const s: Session = {
    callId,
    role,
    audioOnly,
    media,
    localStream: null,
    ice,
    peer: null,
    remoteStream: new MediaStream(),
    queue: Promise.resolve(),
    restartTimer: null,
    giveUpTimer: null,
    closed: false,
  };
  session = s;
  media.then(
    (stream) => {
      if (s.closed) return stopStream(stream); // the call ended while the camera was opening
      s.localStream = stream;
      const hasVideo = stream.getVideoTracks().length > 0;
      store().setLocal({ hasVideo, videoOff: !hasVideo, audioMuted: false });
      publishLocal(s);
    },
    noop,
  );
  return s;
}

function run(s: Session, task: () => Promise<void>): void {
  s.queue = s.queue
    .then(() => (s.closed ? undefined : task()))
    .catch((error: unknown) => {
      if (!s.closed) console.warn("[call]", messageOf(error));
    });
}

function sendSignal(s: Session, signal: CallSignal): void {
  if (!boundSocket || s.closed) return;
  void request(boundSocket, "call:signal", { callId: s.callId, signal }).catch(noop);
}

function sendMediaState(): void {
  const { call, local } = store();
  if (!boundSocket || !call || !session || session.callId !== call.id) return;
  const input = { callId: call.id, audioMuted: local.audioMuted, videoOff: !local.hasVideo || local.videoOff };
  void request(boundSocket, "call:media-state", input).catch(noop);
}

function onRemoteTrack(s: Session, track: MediaStreamTrack): void {
  if (s.closed) return;
  if (!s.remoteStream.getTracks().includes(track)) s.remoteStream.addTrack(track);
  if (track.kind === "video") {
    // A receiver's video track is muted until frames arrive, and again when the peer stops sending.
    const setLive = (isLive: boolean) => {
      if (session === s) store().setRemoteVideoLive(isLive);
    };
    track.onunmute = () => setLive(true);
    track.onmute = () => setLive(false);
    setLive(!track.muted);
  }
  store().setStreams({ remoteStream: new MediaStream(s.remoteStream.getTracks()) });
}

function clearTimers(s: Session): void {
  if (s.restartTimer) clearTimeout(s.restartTimer);
  if (s.giveUpTimer) clearTimeout(s.giveUpTimer);
  s.restartTimer = null;
  s.giveUpTimer = null;
}

function restartIce(s: Session): void {
  if (s.closed || !s.peer || s.peer.pc.connectionState === "connected") return;
  // Over a dead socket the offer could not travel; `session:ready` restarts once it is back.
  if (boundSocket?.connected) run(s, () => s.peer!.offer({ iceRestart: true }));
  s.restartTimer = setTimeout(() => restartIce(s), RESTART_RETRY_MS);
}

function onConnectionState(s: Session, state: RTCPeerConnectionState): void {
  if (s.closed) return;
  if (state === "connected") {
    clearTimers(s);
    store().dispatch({ type: "media-connected" });
    return;
  }
  if (state !== "disconnected" && state !== "failed") return;
  store().dispatch({ type: "media-interrupted" });
  s.giveUpTimer ??= setTimeout(() => void fail(s, "the connection was lost and could not be recovered"), GIVE_UP_AFTER_MS);
  // The caller restarts ICE; the callee answers the restart offer.
  if (s.role !== "caller") return;
  if (s.restartTimer && state === "failed") clearTimeout(s.restartTimer);
  else if (s.restartTimer) return;
  s.restartTimer = setTimeout(() => restartIce(s), state === "failed" ? 0 : RESTART_AFTER_DISCONNECT_MS);
}

async function ensurePeer(s: Session): Promise<CallPeer> {
  if (s.peer) return s.peer;
  const [stream, ice] = await Promise.all([s.media, s.ice]);
  if (s.closed) throw new Error("the call has ended");
  if (s.peer) return s.peer;
  const peer = createCallPeer(
    {
      iceServers: ice.iceServers,
      iceTransportPolicy: ice.iceTransportPolicy,
      audioOnly: s.audioOnly,
      polite: s.role === "callee",
      sendSignal: (signal) => sendSignal(s, signal),
      onRemoteTrack: (track) => onRemoteTrack(s, track),
      onConnectionState: (state) => onConnectionState(s, state),
    },
    tracksOf(stream),
    s.role === "caller",
  );
  s.peer = peer;
  activePc = peer.pc;
  return peer;
}

/** Stops every local track and closes the peer connection. Idempotent. */
function teardown(s: Session): void {
  if (s.closed) return;
  s.closed = true;
  clearTimers(s);
  if (s.peer && activePc === s.peer.pc) activePc = null;
  s.peer?.close();
  s.peer = null;
  stopStream(s.localStream);
  s.media.then(stopStream, noop); // and whatever is still being opened
  if (session === s) session = null;
  store().setStreams({ localStream: null, remoteStream: null });
  store().setRemoteVideoLive(false);
}

/** The call is over (server said so, or this side gave up): media off, phase ended, one toast. */
function finish(call: CallDto, failure: string | null = null): void {
  if (session?.callId === call.id) teardown(session);
  const before = store();
  store().dispatch({ type: "ended", call, failure });
  if (before.call?.id !== call.id || !isInCall(before.phase)) return; // not this tab's call
  // The Match page shows a match call's end itself (with the rating form); elsewhere a toast says it.
  if (call.match && !failure && call.outcome !== "failed" && isOnMatchPage()) return;
  const text = callEndedNotice(call, selfId(), failure);
  // One id per call: the ack and the `call:ended` event of the same end never toast twice.
  if (text) (failure || call.outcome === "failed" ? toast.error : toast)(text, { id: `call-ended:${call.id}` });
}

/** The ended call as far as this side knows, when the server cannot be asked. */
function endedLocally(call: CallDto, outcome: CallOutcome, endReason: CallDto["endReason"]): CallDto {
  const answeredAt = store().answeredAt;
  return {
    ...call,
    status: "ended",
    outcome,
    endReason,
    endedAt: new Date().toISOString(),
    durationSeconds: answeredAt ? elapsedSeconds(answeredAt, Date.now()) : 0,
  };
}

async function fail(s: Session, failure: string): Promise<void> {
  if (s.closed) return;
  const call = store().call;
  teardown(s);
  let ended: CallDto | null = null;
  try {
    if (boundSocket) ended = await request(boundSocket, "call:hangup", { callId: s.callId, failed: true });
  } catch {
    // the server may already have ended it; the local end below still stands
  }
  if (ended) finish(ended, failure);
  else if (call?.id === s.callId) finish(endedLocally(call, "failed", "failed"), failure);
}

// ── Actions (the call buttons and views) ─────────────────────────────────────

export async function startCall(callee: PublicUserDto, kind: CallKind): Promise<void> {
  const socket = boundSocket;
  if (!socket || isStarting || isInCall(store().phase)) return;
  isStarting = true;
  // Ring first and open the camera meanwhile: the callee's devices ring without waiting for it.
  const media = openLocalMedia(kind === "video");
  const ice = fetchIceSettings(socket);
  try {
    const call = await request(socket, "call:start", { calleeId: callee.id, kind });
    if (call.status === "ended") {
      media.then(stopStream, noop);
      store().dispatch({ type: "dialed", call });
      const text = callEndedNotice(call, selfId());
      if (text) toast(text, { id: `call-ended:${call.id}` });
      return;
    }
    store().dispatch({ type: "dialed", call });
    const s = newSession(call.id, "caller", media, ice);
    media.catch((error: unknown) => void fail(s, describeMediaError(error)));
  } catch (error) {
    media.then(stopStream, noop);
    toast.error(`Could not start the call: ${messageOf(error)}`);
  } finally {
    isStarting = false;
  }
}

export async function acceptCall(withVideo: boolean): Promise<void> {
  const { call, phase } = store();
  const socket = boundSocket;
  if (!socket || !call || phase !== "incoming-ringing" || session) return;
  // Media first: the caller's offer follows the accept at once and is answered with these tracks.
  const s = newSession(call.id, "callee", openLocalMedia(withVideo), fetchIceSettings(socket));
  try {
    await s.media;
  } catch (error) {
    teardown(s);
    toast.error(`Could not answer: ${describeMediaError(error)}`);
    return;
  }
  if (s.closed) return; // cancelled while the camera opened
  try {
    const accepted = await request(socket, "call:accept", { callId: call.id, withVideo });
    store().dispatch({ type: "accepted", call: accepted, at: Date.now() });
    sendMediaState();
  } catch (error) {
    teardown(s);
    if (error instanceof RequestError && error.error.code === "CONFLICT") onAnsweredElsewhere(call.id);
    else toast.error(`Could not answer: ${messageOf(error)}`);
  }
}

export async function declineCall(): Promise<void> {
  const { call, phase } = store();
  if (!boundSocket || !call || phase !== "incoming-ringing") return;
  try {
    finish(await request(boundSocket, "call:decline", { callId: call.id }));
  } catch (error) {
    toast.error(`Could not decline: ${messageOf(error)}`);
  }
}

/** Cancels a ringing outgoing call or ends an active one; the media stops before the server answers. */
export async function hangUp(): Promise<void> {
  const { call, phase } = store();
  if (!call || !isInCall(phase) || phase === "incoming-ringing") return;
  if (session?.callId === call.id) teardown(session);
  try {
    if (!boundSocket) throw new Error("not connected");
    finish(await request(boundSocket, "call:hangup", { callId: call.id }));
  } catch {
    finish(phase === "outgoing-ringing" ? endedLocally(call, "cancelled", "cancelled") : endedLocally(call, "completed", "hangup"));
  }
}

export function toggleMute(): void {
  const s = session;
  if (!s) return;
  const audioMuted = !store().local.audioMuted;
  for (const track of s.localStream?.getAudioTracks() ?? []) track.enabled = !audioMuted;
  store().setLocal({ audioMuted });
  sendMediaState();
}

export function toggleCamera(): void {
  const s = session;
  if (!s || !store().local.hasVideo) return;
  const videoOff = !store().local.videoOff;
  for (const track of s.localStream?.getVideoTracks() ?? []) track.enabled = !videoOff;
  store().setLocal({ videoOff });
  sendMediaState();
}

/** Audio → video (a camera track and a new offer) or video → audio (the camera stops, new offer). */
export async function switchMedia(): Promise<void> {
  const s = session;
  const stream = s?.localStream;
  if (!s || !stream || s.audioOnly) return;
  if (store().local.hasVideo) {
    for (const track of stream.getVideoTracks()) {
      track.stop();
      stream.removeTrack(track);
    }
    store().setLocal({ hasVideo: false, videoOff: true });
  } else {
    let track: MediaStreamTrack;
    try {
      track = await openCamera();
    } catch (error) {
      toast.error(`Could not turn the camera on: ${describeMediaError(error)}`);
      return;
    }
    if (s.closed) return track.stop();
    stream.addTrack(track);
    store().setLocal({ hasVideo: true, videoOff: false });
  }
  publishLocal(s);
  sendMediaState();
  if (s.peer)
    run(s, async () => {
      await s.peer!.setLocalTracks(tracksOf(stream));
      await s.peer!.offer();
    });
}

/**
 * A match call (`match:found`): the server has already answered it, so there is no ringing. Opens
 * the microphone only, asks for the match ICE settings (relay-only when the operator wants no IP
 * to reach the other side; without them the call fails rather than fall back to direct paths), and
 * the side whose match role is "caller" sends the first offer. Everything after that (trickle ICE,
 * restarts, mute, hang-up, teardown) is the ordinary call machinery. Returns false when this tab
 * is already in another call (then the caller should hang the match call up).
 */
export function startMatchCall(call: CallDto, role: CallRole, onIceSettings?: (settings: IceSettings) => void): boolean {
  const socket = boundSocket;
  if (session?.callId === call.id) return true; // `match:found` and a status answer may both announce it
  if (!socket || session || isInCall(store().phase)) return false;
  store().dispatch({ type: "matched", call, role, at: Date.now() });
  if (store().call?.id !== call.id) return false;
  const ice = requestIceSettings(socket, true);
  const s = newSession(call.id, role, openLocalMedia(false), ice, true);
  ice.then((settings) => onIceSettings?.(settings), (error: unknown) => void fail(s, `no connection settings for the match call (${messageOf(error)})`));
  s.media.catch((error: unknown) => void fail(s, describeMediaError(error)));
  if (role === "caller") {
    run(s, async () => {
      const peer = await ensurePeer(s);
      await peer.offer();
    });
  }
  sendMediaState();
  return true;
}

// ── Server events (the bridge) ───────────────────────────────────────────────

export function onIncomingCall(call: CallDto): void {
  if (call.callee.id !== selfId()) return;
  store().setAnsweredElsewhere(null);
  store().dispatch({ type: "incoming", call });
}

export function onCallAccepted(call: CallDto): void {
  const s = session;
  if (!s || s.callId !== call.id) return; // another tab of the caller, or a device that did not answer
  store().dispatch({ type: "accepted", call, at: Date.now() });
  if (s.role !== "caller") return;
  run(s, async () => {
    const peer = await ensurePeer(s);
    await peer.offer();
  });
  sendMediaState();
}

export function onAnsweredElsewhere(callId: string): void {
  const { call, phase } = store();
  if (call?.id !== callId || phase !== "incoming-ringing") return;
  if (session?.callId === callId) teardown(session); // this device was opening its camera to answer too
  store().dispatch({ type: "answered-elsewhere", callId });
  store().setAnsweredElsewhere(callId);
  toast("Answered on another device", { id: `call-elsewhere:${callId}` });
}

export function onCallEnded(call: CallDto): void {
  finish(call);
}

export function onCallSignal({ callId, signal }: { callId: string; signal: CallSignal }): void {
  const s = session;
  if (!s || s.callId !== callId) return;
  run(s, async () => {
    const peer = await ensurePeer(s);
    await peer.handleSignal(signal);
  });
}

export function onPeerMedia(event: PeerMediaDto): void {
  if (store().call?.id !== event.callId) return;
  store().setPeer({ audioMuted: event.audioMuted, videoOff: event.videoOff });
}

/**
 * After every `session:ready`: re-bind a call this tab is in (the server learns this socket, the
 * caller restarts ICE over it), close one that ended meanwhile, or ring for a call that started
 * before this tab connected.
 */
export function resumeCallAfterConnect(socket: AppClientSocket): void {
  request(socket, "call:current", {})
    .then((current) => {
      const { call } = current;
      const { call: local, phase } = store();
      if (local && isInCall(phase)) {
        if (!call || call.id !== local.id) return finish(endedLocally(local, local.answeredAt ? "completed" : "failed", "disconnected"));
        if (call.status === "ended") return finish(call);
        store().dispatch({ type: "refreshed", call });
        const s = session;
        if (!s || call.status !== "active") return;
        if (!current.onThisDevice) return finish(endedLocally(local, "completed", "disconnected")); // another device holds it now
        sendMediaState();
        if (s.role === "caller" && s.peer) run(s, () => s.peer!.offer({ iceRestart: true }));
        return;
      }
      if (call?.status === "ringing" && call.callee.id === selfId()) return store().dispatch({ type: "incoming", call });
      // This tab was the call's device before a reload: its media are gone and cannot be resumed, so
      // end the call cleanly instead of leaving the other side waiting for media that never comes.
      if (call && call.status === "active" && current.onThisDevice) void request(socket, "call:hangup", { callId: call.id }).catch(noop);
    })
    .catch(noop);
}

/** Called once per socket by the bridge; the returned function ends any call and unbinds. */
export function bindCallSession(socket: AppClientSocket): () => void {
  boundSocket = socket;
  // A store reset (sign-out, another identity) leaves no media behind.
  const unsubscribe = useCallStore.subscribe((state) => {
    if (session && state.call?.id !== session.callId) teardown(session);
  });
  return () => {
    unsubscribe();
    if (session) teardown(session);
    if (boundSocket === socket) boundSocket = null;
  };
}

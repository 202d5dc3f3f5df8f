/**
 * The browser side of Match: the page's actions (join, leave, skip, rate, block, report) and the
 * bridge's `match:*` handlers, writing the match store. The call of a match is an ordinary call
 * session (call-session.ts `startMatchCall`): this module only decides when one starts, and
 * follows the call store to learn when it ended.
 * - Join checks the microphone first (and lets it go), so a match never waits on a permission prompt.
 * - The server drops a queue entry when its socket goes away: after a reconnect a queued tab joins
 *   again with the same preferences; a tab with nothing going on asks `match:status`.
 * - A `match:found` this tab did not ask for any more (it left meanwhile) is hung up at once.
 */
import "client-only";
import { toast } from "sonner";

import type { CallDto, MatchDto, MatchJoinInput, MatchLeftReason, MatchPreferencesDto, MatchReportReason, MatchStatusDto } from "@/lib/realtime/protocol";
import { useCallStore } from "@/lib/stores/call-store";
import { useMatchStore, type MatchEvent } from "@/lib/stores/match-store";
import { hangUp, startMatchCall } from "./call-session";
import { openSource } from "./notices";
import { request, RequestError } from "./request";
import type { AppClientSocket } from "./socket-manager";

const store = () => useMatchStore.getState();
const dispatch = (event: MatchEvent) => store().dispatch(event);
const noop = () => undefined;

let boundSocket: AppClientSocket | null = null;

function messageOf(error: unknown): string {
  if (error instanceof RequestError && error.error.code === "CONFLICT") return "You are already in a call or a match.";
  return error instanceof Error && error.message ? error.message : "Something went wrong.";
}

/** Applies a join or skip answer; false for "idle" (the server did not queue this socket, e.g. it was closing). */
function applyStatus(status: MatchStatusDto): boolean {
  if (status.state === "queued") dispatch({ type: "queued", queue: status });
  else if (status.state === "matched") dispatch({ type: "found", match: status.match });
  return status.state !== "idle";
}

const NOT_QUEUED = "the connection was closing. Try again.";

function requireSocket(): AppClientSocket {
  if (!boundSocket?.connected) throw new Error("Not connected. Try again in a moment.");
  return boundSocket;
}

/**
 * Opens the microphone once and stops it again: the permission is settled before joining.
 * Null when it works, else words the user can act on.
 */
export async function checkMicrophone(): Promise<string | null> {
  const devices = typeof navigator !== "undefined" ? navigator.mediaDevices : undefined;
  if (!devices?.getUserMedia) return "This browser cannot use a microphone here (it needs a secure https:// page).";
  try {
    const stream = await devices.getUserMedia({ audio: true, video: false });
    for (const track of stream.getTracks()) track.stop();
    return null;
  } catch (error) {
    const name = error instanceof DOMException ? error.name : "";
    if (name === "NotAllowedError" || name === "SecurityError") return "Microphone access is blocked. Allow the microphone for this site in your browser, then join again.";
    if (name === "NotFoundError") return "No microphone was found. Connect one and join again.";
    if (name === "NotReadableError") return "The microphone is in use by another application.";
    return error instanceof Error && error.message ? `The microphone is unavailable: ${error.message}` : "The microphone is unavailable.";
  }
}

// ── Actions (the Match page) ─────────────────────────────────────────────────

export async function joinMatch(input: MatchJoinInput): Promise<void> {
  const topic = input.topic?.trim() || null;
  const preferences: MatchPreferencesDto = { mood: input.mood, language: input.language, topic };
  if (store().pending || store().phase === "matched") return;
  dispatch({ type: "join-requested", preferences });
  const micProblem = await checkMicrophone();
  if (micProblem) return dispatch({ type: "join-failed", message: micProblem });
  if (store().pending !== "join") return; // left (or signed out) while the microphone was checked
  try {
    if (!applyStatus(await request(requireSocket(), "match:join", { mood: preferences.mood, language: preferences.language, topic }))) {
      dispatch({ type: "join-failed", message: `Could not join: ${NOT_QUEUED}` });
    }
  } catch (error) {
    dispatch({ type: "join-failed", message: `Could not join: ${messageOf(error)}` });
  }
}

/** "Find someone new": the same preferences again. */
export async function joinAgain(): Promise<void> {
  const preferences = store().preferences;
  if (preferences) await joinMatch(preferences);
}

export function leaveMatch(): void {
  dispatch({ type: "leave-requested" });
  // Sent even when the local state was already idle: a join still on its way is undone in order.
  if (boundSocket?.connected) void request(boundSocket, "match:leave", {}).catch(noop);
}

/** Ends the live match call and queues again with the same preferences. */
export async function skipMatch(): Promise<void> {
  const match = store().match;
  if (!match || store().phase !== "matched") return;
  dispatch({ type: "skip-requested" });
  try {
    if (!applyStatus(await request(requireSocket(), "match:skip", { matchId: match.id }))) {
      dispatch({ type: "skip-failed", message: `Could not find the next person: ${NOT_QUEUED}` });
    }
  } catch (error) {
    dispatch({ type: "skip-failed", message: `Could not find the next person: ${messageOf(error)}` });
    await hangUp(); // whatever happened on the server, this side's call is over
  }
}

/** Ends the live match call; the rating form follows from the call's end. */
export async function endMatchCall(): Promise<void> {
  await hangUp();
}

export async function rateMatch(matchId: string, score: number, feedback: string | null): Promise<MatchDto> {
  const updated = await request(requireSocket(), "match:rate", { matchId, score, feedback: feedback?.trim() || null });
  dispatch({ type: "updated", match: updated });
  return updated;
}

export async function blockMatch(matchId: string): Promise<MatchDto> {
  const updated = await request(requireSocket(), "match:block", { matchId });
  dispatch({ type: "updated", match: updated });
  return updated;
}

export async function reportMatch(matchId: string, reason: MatchReportReason, details: string | null): Promise<MatchDto> {
  const updated = await request(requireSocket(), "match:report", { matchId, reason, details: details?.trim() || null });
  dispatch({ type: "updated", match: updated });
  return updated;
}

export function dismissEndedMatch(): void {
  dispatch({ type: "dismissed" });
}

/** Whether match audio is relayed only (the privacy note says so); asked once the page shows. */
export function loadMatchPrivacy(): void {
  if (!boundSocket?.connected || store().relayOnly !== null) return;
  request(boundSocket, "call:ice-config", { match: true })
    .then((config) => dispatch({ type: "relay-known", relayOnly: config.iceTransportPolicy === "relay" }))
    .catch(noop);
}

// ── Server events (the bridge) ───────────────────────────────────────────────

export function onMatchQueue(queue: Extract<MatchStatusDto, { state: "queued" }>): void {
  dispatch({ type: "queued", queue });
}

export function onMatchFound(match: MatchDto, call: CallDto): void {
  dispatch({ type: "found", match });
  const { phase, match: current } = store();
  const isOurs = phase === "matched" && current?.id === match.id;
  if (isOurs && startMatchCall(call, match.role, ({ iceTransportPolicy }) => dispatch({ type: "relay-known", relayOnly: iceTransportPolicy === "relay" }))) {
    if (typeof window !== "undefined" && window.location.pathname !== "/match") {
      toast(`Matched with ${match.peer.alias}`, { id: `match-found:${match.id}`, action: { label: "Open", onClick: () => openSource("/match") } });
    }
    return;
  }
  // Left the queue meanwhile, or busy with another call: this match must not ring on.
  if (boundSocket) void request(boundSocket, "call:hangup", { callId: call.id }).catch(noop);
  if (isOurs) dispatch({ type: "aborted", message: "A match was found, but this tab is busy with another call." });
}

export function onMatchLeft(reason: MatchLeftReason): void {
  dispatch({ type: "left", reason });
}

/** Every `call:ended`: a match call this tab knows of (its own, or another tab's) ends here too. */
export function onMatchCallEnded(call: CallDto): void {
  if (call.match) dispatch({ type: "call-ended", call });
}

/** After every `session:ready`: join again when queued (the server dropped the entry), else ask where we stand. */
export function resumeMatchAfterConnect(socket: AppClientSocket): void {
  const { phase, preferences, pending } = store();
  if (phase === "matched") return; // the call session resumes the call itself
  if (phase === "queued" && preferences && pending === null) {
    request(socket, "match:join", preferences)
      .then((status) => {
        if (!applyStatus(status)) dispatch({ type: "aborted", message: `The connection dropped and rejoining the queue failed: ${NOT_QUEUED}` });
      })
      .catch((error: unknown) => {
        dispatch({ type: "aborted", message: `The connection dropped and rejoining the queue failed: ${messageOf(error)}` });
      });
    return;
  }
  request(socket, "match:status", {})
    .then((status) => dispatch({ type: "synced", status }))
    .catch(noop);
}

/** Called once per socket by the bridge; follows the call store for the end of a match call. */
export function bindMatchClient(socket: AppClientSocket): () => void {
  boundSocket = socket;
  const unsubscribe = useCallStore.subscribe((state, previous) => {
    if (state.phase !== "ended" || !state.call?.match) return;
    if (previous.phase === "ended" && previous.call?.id === state.call.id) return;
    dispatch({ type: "call-ended", call: state.call });
  });
  return () => {
    unsubscribe();
    if (boundSocket === socket) boundSocket = null;
  };
}

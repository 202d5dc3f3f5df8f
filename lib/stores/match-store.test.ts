import { beforeEach, describe, expect, it } from "vitest";

import { callFixture } from "@/lib/calls/call-fixture";
import { MATCH_PEER_ID, type CallDto, type MatchDto, type MatchPreferencesDto, type MatchQueuedDto } from "@/lib/realtime/protocol";
import { initialMatchState, isMatchBusy, matchReducer, useMatchStore, type MatchEvent, type MatchState } from "./match-store";
import { resetRealtimeStores } from "./reset-stores";

const PREFS: MatchPreferencesDto = { mood: "chill", language: "en", topic: "films" };

function queued(overrides: Partial<MatchQueuedDto> = {}): MatchQueuedDto {
  return { state: "queued", preferences: PREFS, position: 2, waiting: 3, estimateSeconds: null, joinedAt: "2030-01-01T00:00:00.000Z", relaxed: false, ...overrides };
}

function match(overrides: Partial<MatchDto> = {}): MatchDto {
  return {
    id: "m1",
    callId: "c1",
    role: "caller",
    language: "en",
    self: { alias: "Blue Otter", avatarColor: "#3b82f6", mood: "chill", topic: "films" },
    peer: { alias: "Quiet Fox", avatarColor: "#ec4899", mood: "happy", topic: null },
    createdAt: "2030-01-01T00:00:10.000Z",
    endedAt: null,
    durationSeconds: 0,
    myRating: null,
    blocked: false,
    reported: false,
    ...overrides,
  };
}

function matchCall(overrides: Partial<CallDto> = {}): CallDto {
  return callFixture({
    id: "c1",
    kind: "audio",
    conversationId: null,
    status: "active",
    callee: { id: MATCH_PEER_ID, name: "Quiet Fox", avatarColor: "#336699" },
    match: { matchId: "m1", selfAlias: "Blue Otter", peerAlias: "Quiet Fox" },
    ...overrides,
  });
}

const endedCall = (overrides: Partial<CallDto> = {}) =>
  matchCall({ status: "ended", outcome: "completed", endReason: "hangup", endedAt: "2030-01-01T00:01:00.000Z", durationSeconds: 50, ...overrides });

function run(...events: MatchEvent[]): MatchState {
  return events.reduce(matchReducer, initialMatchState);
}

const joining: MatchEvent = { type: "join-requested", preferences: PREFS };

describe("matchReducer", () => {
  it("join → queued (live position) → matched → ended with the call's duration", () => {
    expect(run(joining)).toMatchObject({ phase: "idle", pending: "join", preferences: PREFS });
    const inQueue = run(joining, { type: "queued", queue: queued() });
    expect(inQueue).toMatchObject({ phase: "queued", pending: null, queue: { position: 2, waiting: 3 } });
    expect(matchReducer(inQueue, { type: "queued", queue: queued({ position: 1, relaxed: true }) }).queue).toMatchObject({ position: 1, relaxed: true });
    const live = matchReducer(inQueue, { type: "found", match: match() });
    expect(live).toMatchObject({ phase: "matched", match: { id: "m1" }, queue: null });
    const over = matchReducer(live, { type: "call-ended", call: endedCall() });
    expect(over).toMatchObject({ phase: "ended", match: null, lastEnded: { id: "m1", durationSeconds: 50, endedAt: "2030-01-01T00:01:00.000Z" } });
  });

  it("a join answered with a match goes straight to matched; match:found for the same match changes nothing", () => {
    const live = run(joining, { type: "found", match: match() });
    expect(live).toMatchObject({ phase: "matched", pending: null });
    expect(matchReducer(live, { type: "found", match: match() })).toBe(live);
  });

  it("a 'queued' answer that lost the race against match:found does not undo the match", () => {
    const live = run(joining, { type: "found", match: match() });
    expect(matchReducer(live, { type: "queued", queue: queued() })).toBe(live);
  });

  it("a failed join keeps the tab idle with the reason", () => {
    expect(run(joining, { type: "join-failed", message: "Microphone access was refused." })).toMatchObject({
      phase: "idle",
      pending: null,
      notice: { tone: "error", text: "Microphone access was refused." },
    });
    expect(run({ type: "join-failed", message: "late" })).toBe(initialMatchState);
  });

  it("leave empties the queue at once; late queue reports and matches do not bring it back", () => {
    const left = run(joining, { type: "queued", queue: queued() }, { type: "leave-requested" });
    expect(left).toMatchObject({ phase: "idle", queue: null });
    expect(matchReducer(left, { type: "queued", queue: queued() })).toBe(left);
    expect(matchReducer(left, { type: "found", match: match() })).toBe(left);
  });

  it("match:left takes the tab out of the queue and says why", () => {
    const inQueue = run(joining, { type: "queued", queue: queued() });
    expect(matchReducer(inQueue, { type: "left", reason: "replaced" })).toMatchObject({ phase: "idle", notice: { tone: "info", text: expect.stringContaining("another tab") } });
    expect(matchReducer(initialMatchState, { type: "left", reason: "call-started" })).toBe(initialMatchState);
  });

  it("aborted: a lost queue entry or a match this tab cannot take returns to idle with the reason", () => {
    const inQueue = run(joining, { type: "queued", queue: queued() });
    expect(matchReducer(inQueue, { type: "aborted", message: "Could not rejoin" })).toMatchObject({ phase: "idle", queue: null, notice: { tone: "error", text: "Could not rejoin" } });
    const live = run(joining, { type: "found", match: match() });
    expect(matchReducer(live, { type: "aborted", message: "busy" })).toMatchObject({ phase: "idle", match: null });
    expect(matchReducer(initialMatchState, { type: "aborted", message: "x" })).toBe(initialMatchState);
  });

  it("skip: queued again at once with the skipped match kept for a rating; its end only fills in the duration", () => {
    const live = run(joining, { type: "found", match: match() });
    const skipping = matchReducer(live, { type: "skip-requested" });
    expect(skipping).toMatchObject({ phase: "queued", pending: "skip", match: null, queue: null, lastEnded: { id: "m1" } });
    expect(skipping.lastEnded?.endedAt).not.toBeNull();
    const withEnd = matchReducer(skipping, { type: "call-ended", call: endedCall() });
    expect(withEnd).toMatchObject({ phase: "queued", lastEnded: { durationSeconds: 50 } });
    expect(matchReducer(withEnd, { type: "call-ended", call: endedCall() })).toBe(withEnd);
    const requeued = matchReducer(withEnd, { type: "queued", queue: queued({ position: 1 }) });
    expect(requeued).toMatchObject({ phase: "queued", pending: null, queue: { position: 1 }, lastEnded: { id: "m1" } });
    // The next person: the skipped match stays rateable.
    const next = matchReducer(requeued, { type: "found", match: match({ id: "m2", callId: "c2" }) });
    expect(next).toMatchObject({ phase: "matched", match: { id: "m2" }, lastEnded: { id: "m1" } });
  });

  it("a skip answered with a new match goes straight to it; the old match cannot come back", () => {
    const skipping = run(joining, { type: "found", match: match() }, { type: "skip-requested" });
    expect(matchReducer(skipping, { type: "found", match: match() })).toBe(skipping);
    expect(matchReducer(skipping, { type: "found", match: match({ id: "m2" }) })).toMatchObject({ phase: "matched", match: { id: "m2" } });
  });

  it("a failed skip shows the ended match with the reason", () => {
    const failed = run(joining, { type: "found", match: match() }, { type: "skip-requested" }, { type: "skip-failed", message: "not connected" });
    expect(failed).toMatchObject({ phase: "ended", pending: null, lastEnded: { id: "m1" }, notice: { tone: "error" } });
  });

  it("rate, block and report answers replace the ended match, keeping its known end", () => {
    const over = run(joining, { type: "found", match: match() }, { type: "call-ended", call: endedCall() });
    const rated = matchReducer(over, { type: "updated", match: match({ myRating: { score: 4, feedback: null } }) });
    expect(rated.lastEnded).toMatchObject({ myRating: { score: 4 }, durationSeconds: 50, endedAt: "2030-01-01T00:01:00.000Z" });
    expect(matchReducer(rated, { type: "updated", match: match({ id: "other" }) })).toBe(rated);
  });

  it("Done returns to idle; Find someone new from the ended view puts the ended match aside", () => {
    const over = run(joining, { type: "found", match: match() }, { type: "call-ended", call: endedCall() });
    expect(matchReducer(over, { type: "dismissed" })).toMatchObject({ phase: "idle", lastEnded: null });
    expect(matchReducer(over, joining)).toMatchObject({ phase: "idle", pending: "join", lastEnded: null, preferences: PREFS });
  });

  it("the end of another call, or of a match this tab does not know, changes nothing", () => {
    const live = run(joining, { type: "found", match: match() });
    expect(matchReducer(live, { type: "call-ended", call: endedCall({ match: null }) })).toBe(live);
    expect(matchReducer(live, { type: "call-ended", call: endedCall({ match: { matchId: "m9", selfAlias: "x", peerAlias: "y" } }) })).toBe(live);
  });

  it("status after a (re)connect: another tab's queue or match shows; its match's end offers the rating here", () => {
    const elsewhere = run({ type: "synced", status: { state: "matched", match: match() } });
    expect(elsewhere).toMatchObject({ phase: "idle", elsewhere: { state: "matched" } });
    expect(matchReducer(elsewhere, { type: "call-ended", call: endedCall() })).toMatchObject({ phase: "ended", elsewhere: null, lastEnded: { id: "m1", durationSeconds: 50 } });
    expect(run({ type: "synced", status: { state: "idle" } })).toBe(initialMatchState);
    const inQueue = run(joining, { type: "queued", queue: queued() });
    expect(matchReducer(inQueue, { type: "synced", status: { state: "idle" } })).toBe(inQueue);
  });

  it("isMatchBusy: queued, joining or matched", () => {
    expect(isMatchBusy(initialMatchState)).toBe(false);
    expect(isMatchBusy(run(joining))).toBe(true);
    expect(isMatchBusy(run(joining, { type: "queued", queue: queued() }))).toBe(true);
    expect(isMatchBusy(run(joining, { type: "found", match: match() }, { type: "call-ended", call: endedCall() }))).toBe(false);
  });
});

describe("useMatchStore", () => {
  beforeEach(() => useMatchStore.getState().reset());

  it("dispatches through the reducer and is reset on sign-out", () => {
    useMatchStore.getState().dispatch(joining);
    useMatchStore.getState().dispatch({ type: "queued", queue: queued() });
    useMatchStore.getState().dispatch({ type: "relay-known", relayOnly: true });
    expect(useMatchStore.getState()).toMatchObject({ phase: "queued", relayOnly: true });
    resetRealtimeStores();
    expect(useMatchStore.getState()).toMatchObject(initialMatchState);
  });
});

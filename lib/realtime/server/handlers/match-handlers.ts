/**
 * Match: anonymous voice calls with strangers, paired by language and mood. People wait in the
 * match queue (match/match-queue.ts, memory now, Redis later); the queue pairs atomically and
 * hands out pairs, which become an answered audio call through the calls stack
 * (`beginMatchCall`) plus a Match row. Each side only ever learns the other's alias, mood and
 * topic: no event or answer here carries the other side's account.
 *
 * Statuses go to the socket that joined, and only when its position or "relaxed" changed. A
 * periodic sweep, running only while someone waits, lets long waits relax to any mood.
 */
import { getServerEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import {
  emptyInputSchema,
  type MatchDto,
  matchJoinInputSchema,
  matchRateInputSchema,
  matchReportInputSchema,
  matchReportsInputSchema,
  type MatchStatusDto,
  matchTargetInputSchema,
} from "@/lib/realtime/protocol";
import { isMatchCall, loadCallUsers, newCallId, toCallDtoFor } from "@/lib/services/call-service";
import {
  blockFromMatch,
  createMatchRecords,
  findMatchOfCall,
  findParticipantMatch,
  listMatchReports,
  loadMatchDto,
  loadMatchExclusions,
  type MatchRecord,
  newMatchId,
  otherUserOf,
  preferencesOf,
  rateMatch,
  reportMatch,
  toMatchDto,
} from "@/lib/services/match-service";
import { getCallState } from "../calls/call-state";
import { defineAckHandler } from "../define-handler";
import { aliasPair } from "../match/aliases";
import { getMatchQueue, type JoinResult, type MatchPair, type QueueMember } from "../match/match-queue";
import type { MatchPreferences } from "../match/pairing";
import { leaveQueueFromSocket, pushQueueStatus } from "../match/queue-notices";
import { createSweeper, type Sweeper, sweepIntervalFor } from "../match/relax-sweeper";
import type { HandlerContext } from "../types";
import { beginMatchCall, callWritesSettled, hangUpLiveCall } from "./call-handlers";

type MatchContext = Pick<HandlerContext, "io" | "deps">;

const conflict = (userMessage: string) => new AppError("CONFLICT", { userMessage });
// Someone else's match id gets exactly the answer of an id that does not exist.
const matchNotFound = () => new AppError("NOT_FOUND", { userMessage: "That match was not found." });

async function requireMatch(matchId: string, userId: string): Promise<MatchRecord> {
  const match = await findParticipantMatch(matchId, userId);
  if (!match) throw matchNotFound();
  return match;
}

/**
 * Connected on any process: every socket is in the room of its own id, and the adapter asks the
 * others. A process that does not answer (dying, not yet noticed) counts as "connected": starting
 * the match is safer than losing a pair already taken from the queue, and a call bound to a gone
 * socket is ended by its grace period.
 */
const isConnected = async (ctx: MatchContext, socketId: string): Promise<boolean> => {
  try {
    return (await ctx.io.in(socketId).timeout(2_000).fetchSockets()).length > 0;
  } catch (error) {
    ctx.deps.logger.warn({ err: error, socketId }, "could not tell whether a queued socket is connected");
    return true;
  }
};

// ── The relax sweep ──────────────────────────────────────────────────────────
let sweeper: Sweeper | null = null;

function ensureSweeping(ctx: MatchContext): void {
  sweeper ??= createSweeper(
    () => sweep(ctx),
    sweepIntervalFor(getServerEnv().MATCH_RELAX_AFTER_MS),
    (error) => ctx.deps.logger.error({ err: error }, "match sweep failed"),
  );
  sweeper.ensureRunning();
}

/** One sweep: pairs whoever became pairable, tells whoever became relaxed; false once nobody waits. */
async function sweep(ctx: MatchContext): Promise<boolean> {
  const queue = getMatchQueue();
  const { moved, pairs } = await queue.sweep(Date.now());
  pushQueueStatus(ctx, moved);
  for (const pair of pairs) startMatch(ctx, pair).catch((error: unknown) => ctx.deps.logger.error({ err: error }, "could not start a match"));
  return (await queue.size()) > 0;
}

// ── Starting a match ─────────────────────────────────────────────────────────
/** What follows any join: the replaced tab told, moved people told, pairs started. Returns matched sides' DTOs. */
async function settleJoin(ctx: MatchContext, result: JoinResult): Promise<Map<string, MatchDto>> {
  if (result.replacedSocketId) ctx.io.to(result.replacedSocketId).emit("match:left", { reason: "replaced" });
  pushQueueStatus(ctx, result.moved);
  if (result.queued) ensureSweeping(ctx);
  const matched = new Map<string, MatchDto>();
  for (const pair of result.pairs) for (const [userId, dto] of await startMatch(ctx, pair)) matched.set(userId, dto);
  return matched;
}

/**
 * Puts people whose match could not start back in their old place (and tells them where they
 * stand: they asked nothing, so no ack carries it). Someone whose socket is gone stays out; someone
 * who started a call meanwhile is told so.
 */
async function requeue(ctx: MatchContext, members: readonly QueueMember[]): Promise<void> {
  const queue = getMatchQueue();
  for (const member of members) {
    if (!(await isConnected(ctx, member.socketId)) || (await queue.status(member.userId, Date.now()))) continue;
    if (await getCallState().isBusy(member.userId)) {
      ctx.io.to(member.socketId).emit("match:left", { reason: "call-started" });
      continue;
    }
    const result = await queue.join({ ...member, joinedAt: member.joinedAt }, Date.now());
    if (result.queued) ctx.io.to(member.socketId).emit("match:queue", result.queued.status);
    await settleJoin(ctx, result);
  }
}

/**
 * A pair from the queue becomes a match: aliases, an answered audio call with both queued sockets
 * bound (the caller waited longer), the Match and Call rows, then `match:found` to each queued
 * socket with that side's own view. Returns each side's MatchDto; empty when it fell through.
 */
async function startMatch(ctx: MatchContext, pair: MatchPair): Promise<Map<string, MatchDto>> {
  const { caller, callee } = pair;
  const members = [caller, callee];
  // A socket that closed after the pairing: the other one waits on. One closing after this check
  // leaves a call bound to a gone socket, which its grace period ends.
  const connected = await Promise.all(members.map((member) => isConnected(ctx, member.socketId)));
  const gone = members.filter((_, index) => !connected[index]);
  if (gone.length > 0) {
    await requeue(ctx, members.filter((member) => !gone.includes(member)));
    return new Map();
  }
  const at = new Date();
  const [aliasA, aliasB] = aliasPair();
  const match: MatchRecord = {
    id: newMatchId(),
    callId: newCallId(),
    userAId: caller.userId,
    userBId: callee.userId,
    aliasA,
    aliasB,
    moodA: caller.preferences.mood,
    moodB: callee.preferences.mood,
    topicA: caller.preferences.topic,
    topicB: callee.preferences.topic,
    language: caller.preferences.language,
    createdAt: at,
  };
  const started = await beginMatchCall(
    ctx,
    { callId: match.callId, callerId: caller.userId, calleeId: callee.userId, callerSocketId: caller.socketId, calleeSocketId: callee.socketId, at },
    (call) => createMatchRecords(match, call),
  );
  if (!started.ok) {
    // A call began for one of them since the pairing (the queue skips the busy, but not in flight).
    const busy = started.busy === "caller" ? caller : callee;
    ctx.io.to(busy.socketId).emit("match:left", { reason: "call-started" });
    await requeue(ctx, members.filter((member) => member !== busy));
    return new Map();
  }
  try {
    await started.stored;
  } catch (error) {
    ctx.deps.logger.error({ err: error, matchId: match.id }, "could not store a match");
    // Back to waiting, but not with each other: that would fail the same way at once.
    await requeue(ctx, members.map((member) => ({ ...member, exclusions: new Set([...member.exclusions, otherUserOf(match, member.userId)]) })));
    return new Map();
  }
  const users = await loadCallUsers([caller.userId, callee.userId]);
  const sides = { matchId: match.id, aliasA, aliasB };
  const dtos = new Map<string, MatchDto>();
  for (const member of members) {
    const dto = toMatchDto(match, member.userId, started.call);
    dtos.set(member.userId, dto);
    ctx.io.to(member.socketId).emit("match:found", { match: dto, call: toCallDtoFor(started.call, member.userId, users, sides) });
  }
  return dtos;
}

// ── Requests ─────────────────────────────────────────────────────────────────
async function assertNotInCall(userId: string): Promise<void> {
  // A live match is a live call too.
  if (await getCallState().isBusy(userId)) throw conflict("You are already in a call.");
}

/** Joins (or updates the place of) this socket's user: "queued", or "matched" when a partner waited. */
async function joinQueue(ctx: HandlerContext, preferences: MatchPreferences, alsoExclude: readonly string[] = []): Promise<MatchStatusDto> {
  const { socket, userId } = ctx;
  await assertNotInCall(userId);
  const exclusions = await loadMatchExclusions(userId);
  await assertNotInCall(userId); // a call may have started while the blocks loaded
  // Its disconnect handler already ran: an entry added now would never be removed.
  if (!socket.connected) return { state: "idle" };
  const result = await getMatchQueue().join({ userId, socketId: socket.id, preferences, exclusions: [...exclusions, ...alsoExclude] }, Date.now());
  const matched = (await settleJoin(ctx, result)).get(userId);
  if (matched) return { state: "matched", match: matched };
  if (result.queued) return result.queued.status;
  // Paired, but that match could not start: back in the queue, or out because a call started.
  return (await getMatchQueue().status(userId, Date.now()))?.status ?? { state: "idle" };
}

defineAckHandler("match:join", matchJoinInputSchema, (input, ctx) =>
  joinQueue(ctx, { mood: input.mood, language: input.language, topic: input.topic ?? null }),
);

/** Any tab may leave for the user; the tab that held the place hears so. */
defineAckHandler("match:leave", emptyInputSchema, async (_input, ctx) => {
  const { left, moved } = await getMatchQueue().leave(ctx.userId, {}, Date.now());
  if (left && left.socketId !== ctx.socket.id) ctx.io.to(left.socketId).emit("match:left", { reason: "left" });
  pushQueueStatus(ctx, moved);
  return { state: "idle" as const };
});

/**
 * Ends the match call (as a hang-up: the other side hears call:ended) and joins again with the
 * same preferences. The skipped person is left out for as long as this wait lasts, so two people
 * who both press "next" do not land on each other again. A match already over just joins again.
 */
defineAckHandler("match:skip", matchTargetInputSchema, async (input, ctx) => {
  const match = await requireMatch(input.matchId, ctx.userId);
  await hangUpLiveCall(ctx, match.callId);
  return joinQueue(ctx, preferencesOf(match, ctx.userId), [otherUserOf(match, ctx.userId)]);
});

defineAckHandler("match:status", emptyInputSchema, async (_input, { userId }): Promise<MatchStatusDto> => {
  const live = await getCallState().callOf(userId);
  if (live && isMatchCall(live.call)) {
    const match = await findMatchOfCall(live.call.id);
    if (match) return { state: "matched", match: await loadMatchDto(match, userId, (await getCallState().get(match.callId))?.call ?? null) };
  }
  const queued = await getMatchQueue().status(userId, Date.now());
  return queued ? queued.status : { state: "idle" };
});

/** Rating is about a call that is over: CONFLICT while it lasts. */
defineAckHandler("match:rate", matchRateInputSchema, async (input, ctx) => {
  const match = await requireMatch(input.matchId, ctx.userId);
  if (await getCallState().get(match.callId)) throw conflict("You can rate the call once it is over.");
  await callWritesSettled(match.callId);
  await rateMatch(match, ctx.userId, input);
  return loadMatchDto(match, ctx.userId, null);
});

/** Never again with this person (stored before the call ends, so no re-pairing can slip in between). */
defineAckHandler("match:block", matchTargetInputSchema, async (input, ctx) => {
  const match = await requireMatch(input.matchId, ctx.userId);
  const blockedId = await blockFromMatch(match, ctx.userId);
  await getMatchQueue().exclude(ctx.userId, blockedId);
  await hangUpLiveCall(ctx, match.callId);
  await callWritesSettled(match.callId);
  return loadMatchDto(match, ctx.userId, null);
});

/** Stored for administrators, during the call or after it; the call goes on (blocking ends it). */
defineAckHandler("match:report", matchReportInputSchema, async (input, ctx) => {
  const match = await requireMatch(input.matchId, ctx.userId);
  await reportMatch(match, ctx.userId, input);
  const live = (await getCallState().get(match.callId))?.call ?? null;
  if (!live) await callWritesSettled(match.callId);
  return loadMatchDto(match, ctx.userId, live);
});

defineAckHandler("match:reports", matchReportsInputSchema, async (input, ctx) => {
  if (ctx.socket.data.user.role !== "admin") throw new AppError("FORBIDDEN", { userMessage: "Only administrators can see reports." });
  return listMatchReports(input.before);
});

/** The socket disconnected (io.ts): the place belongs to the socket that joined (the client joins again after a reconnect). */
export function matchSocketGone(ctx: HandlerContext): void {
  leaveQueueFromSocket(ctx, ctx.userId, ctx.socket.id).catch((error: unknown) => ctx.log.error({ err: error }, "could not leave the match queue"));
}

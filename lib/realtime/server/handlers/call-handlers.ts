/**
 * Calls: the server owns each call's state (calls/call-machine.ts, kept live in calls/call-state.ts)
 * and relays signaling only between the two sockets bound to a live call: the caller's starting
 * socket and the callee's answering one (re-bound by `call:current` after a reconnect). Every
 * change is stored (services/call-service.ts) in order per call; an ended call tells both users'
 * devices, leaves a line in their direct chat, and a missed one notifies the callee.
 *
 * Match calls (anonymous, started by handlers/match-handlers.ts through `beginMatchCall`) use the
 * same machinery, with three differences: every DTO is built per viewer (the other side is an
 * alias), they leave no chat line and no notification, and with MATCH_RELAY_ONLY only relayed ICE
 * candidates cross between the two sides.
 */
import { getServerEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { exposeCount } from "@/lib/ops/debug-counts";
import {
  callAcceptInputSchema,
  type CallDto,
  callHangupInputSchema,
  callHistoryInputSchema,
  callIceConfigInputSchema,
  callMediaStateInputSchema,
  callSignalInputSchema,
  callStartInputSchema,
  callTargetInputSchema,
  emptyInputSchema,
} from "@/lib/realtime/protocol";
import {
  appendCallLine,
  checkCallable,
  findParticipantCall,
  isMatchCall,
  listCallHistory,
  listUnfinishedCalls,
  loadCallDtos,
  loadCallUsers,
  newCallId,
  saveCall,
  toCallDto,
} from "@/lib/services/call-service";
import { openDirect } from "@/lib/services/conversation-service";
import { type CallEvent, type CallRecord, type CallSide, chatLineOf, newCall, otherSide, sideOf, transition } from "../calls/call-machine";
import { type ApplyOptions, type CallTimer, getCallState, type LiveCall, onCallTimerDue } from "../calls/call-state";
import { iceConfigFor } from "../calls/ice-config";
import { defineAckHandler } from "../define-handler";
import { getMatchQueue } from "../match/match-queue";
import { leaveQueueFromSocket, removeFromQueue } from "../match/queue-notices";
import { relayOnlySignal } from "../match/relay-filter";
import { notifyLater, notifyMissedCall } from "../notifications/notifier";
import { userRoom } from "../rooms";
import type { HandlerContext } from "../types";
import { announceMessage, announceNewDirect } from "./conversation-handlers";
import { announcePresence } from "./presence-handlers";

type CallContext = Pick<HandlerContext, "io" | "deps">;

const conflict = (userMessage: string) => new AppError("CONFLICT", { userMessage });
const callNotFound = () => new AppError("NOT_FOUND", { userMessage: "That call was not found." });
const CALL_ENDED = "This call has ended.";

// ── Storing, in order per call ───────────────────────────────────────────────
/** Each call's writes run one after another, so a quick hang-up never lands before the insert. */
const writes = new Map<string, Promise<void>>();
exposeCount("calls.writes", () => writes.size);

function persist(ctx: CallContext, call: CallRecord, store: (call: CallRecord) => Promise<void> = saveCall): Promise<void> {
  const write = (writes.get(call.id) ?? Promise.resolve()).then(() => store(call));
  const tail = write.catch((error: unknown) => ctx.deps.logger.error({ err: error, callId: call.id }, "could not store a call"));
  writes.set(call.id, tail);
  void tail.finally(() => {
    if (writes.get(call.id) === tail) writes.delete(call.id);
  });
  return write;
}

/** Resolves once every write of the call queued so far has settled (a match's DTO reads the stored end). */
export function callWritesSettled(callId: string): Promise<void> {
  return (writes.get(callId) ?? Promise.resolve()).catch(() => undefined);
}

// ── Ending ───────────────────────────────────────────────────────────────────
/** After the answer: the chat line in the pair's direct chat, then (missed calls) the callee's notification. */
function afterEnd(ctx: CallContext, call: CallRecord, dto: CallDto): void {
  notifyLater(ctx, "call ended", async () => {
    const body = chatLineOf(call);
    const line = body && call.conversationId ? await appendCallLine(call.conversationId, call.callerId, body) : null;
    announceMessage(ctx.io, line);
    if (call.outcome === "missed") notifyMissedCall(ctx, dto, line);
  });
}

/**
 * A call that just ended: stored, both users' devices told, presence updated if it had been
 * answered. Returns the DTO as `viewerId` sees it (the caller unless given).
 */
async function finish(ctx: CallContext, ended: CallRecord, options: { tell?: "both" | "caller"; viewerId?: string } = {}): Promise<CallDto> {
  // A failed write is logged by persist; the call is over for both sides all the same.
  await persist(ctx, ended).catch(() => undefined);
  const dtoFor = await loadCallDtos(ended);
  const told = options.tell === "caller" ? [ended.callerId] : [ended.callerId, ended.calleeId];
  if (isMatchCall(ended)) {
    // Anonymous: each side gets its own DTO, in its own room; no chat line, no notification.
    for (const userId of told) ctx.io.to(userRoom(userId)).emit("call:ended", { call: dtoFor(userId) });
  } else {
    ctx.io.to(told.map(userRoom)).emit("call:ended", { call: dtoFor(ended.callerId) });
    afterEnd(ctx, ended, dtoFor(ended.callerId));
  }
  if (ended.answeredAt) for (const userId of [ended.callerId, ended.calleeId]) void announcePresence(ctx, userId);
  return dtoFor(options.viewerId ?? ended.callerId);
}

/** Ends a live call from a timer or a block; nothing if it is already over (or `options` no longer hold). Errors are logged. */
async function endLive(ctx: CallContext, callId: string, event: CallEvent, options: ApplyOptions = {}): Promise<void> {
  try {
    const result = await getCallState().apply(callId, event, new Date(), options);
    if (result.ok) await finish(ctx, result.call);
  } catch (error) {
    ctx.deps.logger.error({ err: error, callId }, "could not end a call");
  }
}

/** Not live: the caller's own ended call is CONFLICT; anyone else's (or no) call looks unknown. */
async function notLive(callId: string, userId: string): Promise<never> {
  if (await findParticipantCall(callId, userId)) throw conflict(CALL_ENDED);
  throw callNotFound();
}

/** The live call `callId` with the caller's side in it; throws NOT_FOUND / CONFLICT otherwise. */
async function requireLive(callId: string, userId: string): Promise<{ live: LiveCall; side: CallSide }> {
  const live = await getCallState().get(callId);
  const side = live ? sideOf(live.call, userId) : null;
  if (!live || !side) return notLive(callId, userId);
  return { live, side };
}

/** Applies a participant's event; a refused transition is CONFLICT, a call gone meanwhile CONFLICT (ended). */
async function applyEvent(ctx: HandlerContext, callId: string, event: CallEvent): Promise<CallDto> {
  const result = await getCallState().apply(callId, event, new Date(), { socketId: ctx.socket.id });
  if (!result.ok) throw conflict(result.reason === "invalid" ? "That is not possible in this call's state." : CALL_ENDED);
  return finish(ctx, result.call, { viewerId: ctx.userId });
}

// ── Timers ───────────────────────────────────────────────────────────────────
// Timers live in the call state (in scale-out: in Redis, run by whichever process polls first), so
// they name what is due and this decides what it means.
function startRingTimer(callId: string): Promise<void> {
  return getCallState().setTimer(callId, "ring", Date.now() + getServerEnv().CALL_RING_TIMEOUT_MS);
}

/** A side's socket went away: it has the grace period to come back (`call:current`), else the call ends. */
function startGrace(callId: string, side: CallSide): Promise<void> {
  return getCallState().setTimer(callId, `${side}-grace`, Date.now() + getServerEnv().CALL_RECONNECT_GRACE_MS);
}

/**
 * A request just bound this socket to a side, but the socket closed while the request waited: its
 * disconnect handler may have found nothing to release, so the side starts its grace period here
 * (once: the bind compares, so this and that handler cannot both unbind it).
 */
async function releaseIfClosed(socket: HandlerContext["socket"], callId: string, side: CallSide): Promise<void> {
  if (!socket.connected && (await getCallState().bind(callId, side, null, { ifBound: socket.id }))) await startGrace(callId, side);
}

function runDueTimer(ctx: CallContext, callId: string, name: CallTimer): Promise<void> {
  // A ring timeout after the answer is refused by the state machine; a grace period only ends the call if nobody came back.
  if (name === "ring") return endLive(ctx, callId, { type: "timeout" });
  const side: CallSide = name === "caller-grace" ? "caller" : "callee";
  return endLive(ctx, callId, { type: "disconnect", side }, { ifUnbound: side });
}

/** Makes due call timers do their work on this process; the io server's boot calls it (through closeUnfinishedCalls). */
export function watchCallTimers(ctx: CallContext): void {
  onCallTimerDue((callId, name) => void runDueTimer(ctx, callId, name));
}

// ── Requests ─────────────────────────────────────────────────────────────────
defineAckHandler("call:start", callStartInputSchema, async (input, ctx) => {
  const { io, socket, userId } = ctx;
  const state = getCallState();
  if (await state.isBusy(userId)) throw conflict("You are already in a call.");
  const callable = await checkCallable(userId, input.calleeId);
  let conversationId = callable.conversationId;
  if (!conversationId) {
    // Contacts without a chat yet: the call's line needs one, so it is created now, as opening it would.
    const { view, isNew } = await openDirect(userId, input.calleeId);
    if (isNew) announceNewDirect(ctx, view, userId);
    conversationId = view.conversation.id;
  }
  const [calleeSockets, users] = await Promise.all([io.in(userRoom(input.calleeId)).fetchSockets(), loadCallUsers([userId, input.calleeId])]);
  const now = new Date();
  const call = newCall({ id: newCallId(), kind: input.kind, callerId: userId, calleeId: input.calleeId, conversationId, at: now });

  const endAtOnce = async (event: CallEvent): Promise<CallDto> => {
    const result = transition(call, event, now);
    if (!result.ok) throw new Error("a ringing call must end");
    // Only the caller hears of it: the callee never rang (busy: they are in another call).
    return finish(ctx, result.call, { tell: "caller", viewerId: userId });
  };
  if (calleeSockets.length === 0) {
    if (await state.isBusy(userId)) throw conflict("You are already in a call.");
    return endAtOnce({ type: "offline" });
  }
  const begun = await state.begin(call, socket.id);
  if (begun === "caller-busy") throw conflict("You are already in a call.");
  if (begun === "callee-busy") return endAtOnce({ type: "busy" });

  try {
    await startRingTimer(call.id);
  } catch (error) {
    // Without its timer the call would ring forever and keep both users busy: it fails instead.
    await state.apply(call.id, { type: "fail" }, new Date()).catch(() => undefined);
    throw error;
  }
  // Calling someone takes the caller out of the match queue (a call that could not ring does not).
  leaveQueueForCall(ctx, userId);
  await releaseIfClosed(socket, call.id, "caller");
  await persist(ctx, call);
  const dto = toCallDto(call, users);
  io.to(userRoom(input.calleeId)).emit("call:incoming", { call: dto });
  return dto;
});

defineAckHandler("call:accept", callAcceptInputSchema, async (input, ctx) => {
  const { io, socket, userId } = ctx;
  const { side } = await requireLive(input.callId, userId);
  if (side !== "callee") throw new AppError("FORBIDDEN", { userMessage: "Only the person called can answer." });
  const result = await getCallState().apply(input.callId, { type: "accept" }, new Date(), { socketId: socket.id });
  if (!result.ok) throw conflict(result.reason === "invalid" ? "This call was already answered." : CALL_ENDED);
  await getCallState().setTimer(input.callId, "ring", null);
  await releaseIfClosed(socket, input.callId, "callee");
  const active = result.call;
  leaveQueueForCall(ctx, userId);
  await persist(ctx, active);
  const dtoFor = await loadCallDtos(active);
  io.to(userRoom(active.callerId)).emit("call:accepted", { call: dtoFor(active.callerId) });
  socket.emit("call:accepted", { call: dtoFor(userId) });
  // Every other device of the callee stops ringing (`socket.to` leaves out the accepting one).
  socket.to(userRoom(active.calleeId)).emit("call:answered-elsewhere", { callId: active.id });
  for (const id of [active.callerId, active.calleeId]) void announcePresence(ctx, id);
  return dtoFor(userId);
});

defineAckHandler("call:decline", callTargetInputSchema, async (input, ctx) => {
  const { side } = await requireLive(input.callId, ctx.userId);
  if (side !== "callee") throw new AppError("FORBIDDEN", { userMessage: "Only the person called can decline." });
  return applyEvent(ctx, input.callId, { type: "decline" });
});

/**
 * Caller while ringing: cancelled. Callee while ringing: declined. Either side while active:
 * completed, or failed when the side gives up because media could not be recovered.
 */
defineAckHandler("call:hangup", callHangupInputSchema, async (input, ctx) => {
  const { live, side } = await requireLive(input.callId, ctx.userId);
  if (live.call.status === "active") return applyEvent(ctx, input.callId, { type: input.failed ? "fail" : "hangup" });
  return applyEvent(ctx, input.callId, { type: side === "caller" ? "cancel" : "decline" });
});

/**
 * Relay checks: a live, answered call of the sender's, sent from the socket bound for the sender's
 * side, to the other side's bound socket. Returns that socket id and the call.
 */
async function relayTarget(ctx: HandlerContext, callId: string): Promise<{ target: string; call: CallRecord }> {
  const { live, side } = await requireLive(callId, ctx.userId);
  if (live.call.status !== "active") throw conflict("The call has not been answered yet.");
  const mine = side === "caller" ? live.callerSocketId : live.calleeSocketId;
  if (mine !== ctx.socket.id) throw new AppError("FORBIDDEN", { userMessage: "This device is not the one in the call." });
  const target = otherSide(side) === "caller" ? live.callerSocketId : live.calleeSocketId;
  if (!target) throw new AppError("UNAVAILABLE", { userMessage: "The other side is reconnecting." });
  return { target, call: live.call };
}

/**
 * With MATCH_RELAY_ONLY a match call's signals lose every non-relay candidate on the way: a
 * dropped candidate is still acked as relayed, so a client cannot probe the filter.
 */
defineAckHandler("call:signal", callSignalInputSchema, async (input, ctx) => {
  const { target, call } = await relayTarget(ctx, input.callId);
  const outgoing = isMatchCall(call) && getServerEnv().MATCH_RELAY_ONLY ? relayOnlySignal(input.signal) : input.signal;
  if (outgoing) ctx.io.to(target).emit("call:signal", { callId: input.callId, signal: outgoing });
  return { relayed: true as const };
});

defineAckHandler("call:media-state", callMediaStateInputSchema, async (input, ctx) => {
  const { target } = await relayTarget(ctx, input.callId);
  ctx.io.to(target).emit("call:peer-media", { callId: input.callId, audioMuted: input.audioMuted, videoOff: input.videoOff });
  return { relayed: true as const };
});

defineAckHandler("call:history", callHistoryInputSchema, (input, { userId }) => listCallHistory(userId, input));

defineAckHandler("call:ice-config", callIceConfigInputSchema, (input, { userId }) =>
  Promise.resolve(iceConfigFor(getServerEnv(), userId, Date.now(), { match: input.match })),
);

/**
 * The user's live call. This socket becomes the user's device for it when that side has none
 * (its socket dropped and this is the reconnect): the caller's while ringing or active, the
 * callee's once answered. A device that still holds the call keeps it: another tab only learns of
 * it (`onThisDevice: false`). A ringing callee gets the call to show the incoming dialog again.
 */
defineAckHandler("call:current", emptyInputSchema, async (_input, ctx) => {
  const { socket, userId } = ctx;
  const state = getCallState();
  const live = await state.callOf(userId);
  if (!live) return { call: null, onThisDevice: false };
  const side = sideOf(live.call, userId) ?? "callee";
  const bindable = side === "caller" || live.call.status === "active";
  const bound = side === "caller" ? live.callerSocketId : live.calleeSocketId;
  let onThisDevice = bindable && bound === socket.id;
  // Only if still free: another tab of the user's may be taking it in the same instant.
  if (bindable && bound === null && (await state.bind(live.call.id, side, socket.id, { ifBound: null }))) {
    await state.setTimer(live.call.id, `${side}-grace`, null);
    await releaseIfClosed(socket, live.call.id, side);
    onThisDevice = true;
  }
  return { call: (await loadCallDtos(live.call))(userId), onThisDevice };
});

/**
 * One side blocked the other: their live call ends as if the blocker hung up (or declined /
 * cancelled it), and if both wait in the match queue they are never paired. A match call is left
 * alone: ending it would tell the blocker that the stranger was the person they just blocked.
 */
export async function endCallOnBlock(ctx: CallContext, blockerId: string, blockedId: string): Promise<void> {
  getMatchQueue()
    .exclude(blockerId, blockedId)
    .catch((error: unknown) => ctx.deps.logger.error({ err: error, userId: blockerId }, "could not exclude a blocked user from matching"));
  // The block itself is stored: a call that cannot be looked up now is logged, not the block's error.
  const live = await getCallState()
    .callOf(blockerId)
    .catch((error: unknown) => ctx.deps.logger.error({ err: error, userId: blockerId }, "could not end a call on block"));
  if (!live || sideOf(live.call, blockedId) === null || isMatchCall(live.call)) return;
  if (live.call.status === "active") return endLive(ctx, live.call.id, { type: "hangup" });
  return endLive(ctx, live.call.id, { type: sideOf(live.call, blockerId) === "caller" ? "cancel" : "decline" });
}

// ── Match calls ──────────────────────────────────────────────────────────────
function leaveQueueForCall(ctx: CallContext, userId: string): void {
  removeFromQueue(ctx, userId, "call-started").catch((error: unknown) => ctx.deps.logger.error({ err: error, userId }, "could not leave the match queue"));
}

export type MatchCallStart =
  | { ok: true; call: CallRecord; stored: Promise<void> }
  | { ok: false; busy: "caller" | "callee" };

/**
 * A match call: audio, no conversation, created answered (begin + accept) with the two queued
 * sockets bound, so signaling can flow at once. `store` writes its rows (Match and Call together);
 * it runs first in the call's write chain, so an early end is stored after it. When storing fails
 * the call leaves the live state without a word to anyone (nobody has heard of it yet).
 */
export async function beginMatchCall(
  ctx: CallContext,
  input: { callId: string; callerId: string; calleeId: string; callerSocketId: string; calleeSocketId: string; at: Date },
  store: (call: CallRecord) => Promise<void>,
): Promise<MatchCallStart> {
  const state = getCallState();
  const ringing = newCall({ id: input.callId, kind: "audio", callerId: input.callerId, calleeId: input.calleeId, conversationId: null, at: input.at });
  const begun = await state.begin(ringing, input.callerSocketId);
  if (begun !== "ok") return { ok: false, busy: begun === "caller-busy" ? "caller" : "callee" };
  const accepted = await state.apply(ringing.id, { type: "accept" }, input.at, { socketId: input.calleeSocketId });
  if (!accepted.ok) throw new Error("a new match call must accept");
  const call = accepted.call;
  const stored = persist(ctx, call, store).catch(async (error: unknown) => {
    await state.apply(call.id, { type: "fail" }, new Date()).catch(() => undefined);
    throw error;
  });
  stored.then(
    () => {
      for (const id of [call.callerId, call.calleeId]) void announcePresence(ctx, id);
    },
    () => undefined,
  );
  return { ok: true, call, stored };
}

/** Ends a live call as hung up (skip, block) and resolves once both sides were told; false if it was not live. */
export async function hangUpLiveCall(ctx: CallContext, callId: string): Promise<boolean> {
  const result = await getCallState().apply(callId, { type: "hangup" }, new Date());
  if (!result.ok) return false;
  await finish(ctx, result.call);
  return true;
}

/**
 * At boot: due call timers start running here, and calls a previous process left ringing or active
 * are closed as failed, unless they are live in the state (shared with other processes in scale-out).
 */
export async function closeUnfinishedCalls(ctx: CallContext): Promise<void> {
  watchCallTimers(ctx);
  const now = new Date();
  for (const call of await listUnfinishedCalls()) {
    if (await getCallState().get(call.id)) continue;
    const result = transition(call, { type: "fail" }, now);
    if (result.ok) await saveCall(result.call);
  }
  ctx.deps.logger.debug("unfinished calls closed");
}

/** The socket disconnected (io.ts). */
export function callSocketGone(ctx: HandlerContext): void {
  releaseCallSocket(ctx, ctx.userId, ctx.socket.id).catch((error: unknown) => ctx.log.error({ err: error }, "could not release a call's socket"));
}

/**
 * A socket of the user's is gone: if it was their device in a live call, that side is unbound and
 * its grace period starts. What a socket's "disconnect" does, callable for the sockets of a process
 * that died without running its handlers.
 */
export async function releaseCallSocket(ctx: CallContext, userId: string, socketId: string): Promise<void> {
  const state = getCallState();
  const live = await state.callOf(userId);
  const side = live ? sideOf(live.call, userId) : null;
  if (!live || !side) return;
  // Only the side's own socket, and only if a reconnect has not bound another one meanwhile.
  if (await state.bind(live.call.id, side, null, { ifBound: socketId })) await startGrace(live.call.id, side);
}

/** Everything a gone socket held in calls and the match queue, for the sockets of a process that died. */
export async function releaseDeadSocket(ctx: CallContext, userId: string, socketId: string): Promise<void> {
  await Promise.all([releaseCallSocket(ctx, userId, socketId), leaveQueueFromSocket(ctx, userId, socketId)]);
}

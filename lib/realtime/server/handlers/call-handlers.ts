/**
 * Calls: the server owns each call's state (calls/call-machine.ts, kept live in calls/call-state.ts)
 * and relays signaling only between the two sockets bound to a live call: the caller's starting
 * socket and the callee's answering one (re-bound by `call:current` after a reconnect). Every
 * change is stored (services/call-service.ts) in order per call; an ended call tells both users'
 * devices, leaves a line in their direct chat, and a missed one notifies the callee.
 */
import { getServerEnv } from "@/lib/env";
import { AppError } from "@/lib/errors";
import {
  callAcceptInputSchema,
  type CallDto,
  callHangupInputSchema,
  callHistoryInputSchema,
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
  listCallHistory,
  listUnfinishedCalls,
  loadCallUsers,
  newCallId,
  saveCall,
  toCallDto,
} from "@/lib/services/call-service";
import { openDirect } from "@/lib/services/conversation-service";
import { type CallEvent, type CallRecord, type CallSide, chatLineOf, newCall, otherSide, sideOf, transition } from "../calls/call-machine";
import { getCallState, type LiveCall } from "../calls/call-state";
import { iceConfigFor } from "../calls/ice-config";
import { defineAckHandler } from "../define-handler";
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

function persist(ctx: CallContext, call: CallRecord): Promise<void> {
  const write = (writes.get(call.id) ?? Promise.resolve()).then(() => saveCall(call));
  const tail = write.catch((error: unknown) => ctx.deps.logger.error({ err: error, callId: call.id }, "could not store a call"));
  writes.set(call.id, tail);
  void tail.finally(() => {
    if (writes.get(call.id) === tail) writes.delete(call.id);
  });
  return write;
}

async function dtoOf(call: CallRecord): Promise<CallDto> {
  return toCallDto(call, await loadCallUsers([call.callerId, call.calleeId]));
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

/** A call that just ended: stored, both users' devices told, presence updated if it had been answered. */
async function finish(ctx: CallContext, ended: CallRecord, options: { tell: "both" | "caller" } = { tell: "both" }): Promise<CallDto> {
  // A failed write is logged by persist; the call is over for both sides all the same.
  await persist(ctx, ended).catch(() => undefined);
  const dto = await dtoOf(ended);
  const rooms = options.tell === "both" ? [userRoom(ended.callerId), userRoom(ended.calleeId)] : [userRoom(ended.callerId)];
  ctx.io.to(rooms).emit("call:ended", { call: dto });
  if (ended.answeredAt) for (const userId of [ended.callerId, ended.calleeId]) void announcePresence(ctx, userId);
  afterEnd(ctx, ended, dto);
  return dto;
}

/** Ends a live call from a timer or a block; nothing if it is already over. Errors are logged. */
function endLive(ctx: CallContext, callId: string, event: CallEvent): void {
  const result = getCallState().apply(callId, event, new Date());
  if (!result.ok) return;
  finish(ctx, result.call).catch((error: unknown) => ctx.deps.logger.error({ err: error, callId }, "could not end a call"));
}

/** Not live: the caller's own ended call is CONFLICT; anyone else's (or no) call looks unknown. */
async function notLive(callId: string, userId: string): Promise<never> {
  if (await findParticipantCall(callId, userId)) throw conflict(CALL_ENDED);
  throw callNotFound();
}

/** The live call `callId` with the caller's side in it; throws NOT_FOUND / CONFLICT otherwise. */
async function requireLive(callId: string, userId: string): Promise<{ live: LiveCall; side: CallSide }> {
  const live = getCallState().get(callId);
  const side = live ? sideOf(live.call, userId) : null;
  if (!live || !side) return notLive(callId, userId);
  return { live, side };
}

/** Applies a participant's event; a refused transition is CONFLICT, a call gone meanwhile CONFLICT (ended). */
async function applyEvent(ctx: HandlerContext, callId: string, event: CallEvent): Promise<CallDto> {
  const result = getCallState().apply(callId, event, new Date(), ctx.socket.id);
  if (!result.ok) throw conflict(result.reason === "invalid" ? "That is not possible in this call's state." : CALL_ENDED);
  return finish(ctx, result.call);
}

// ── Timers ───────────────────────────────────────────────────────────────────
function startRingTimer(ctx: CallContext, callId: string): void {
  const timer = setTimeout(() => endLive(ctx, callId, { type: "timeout" }), getServerEnv().CALL_RING_TIMEOUT_MS);
  timer.unref();
  getCallState().setTimer(callId, "ring", timer);
}

/** A side's socket went away: it has the grace period to come back (`call:current`), else the call ends. */
function startGrace(ctx: CallContext, callId: string, side: CallSide): void {
  const timer = setTimeout(() => {
    const live = getCallState().get(callId);
    const bound = live && (side === "caller" ? live.callerSocketId : live.calleeSocketId);
    if (live && bound === null) endLive(ctx, callId, { type: "disconnect", side });
  }, getServerEnv().CALL_RECONNECT_GRACE_MS);
  timer.unref();
  getCallState().setTimer(callId, `${side}-grace`, timer);
}

// ── Requests ─────────────────────────────────────────────────────────────────
const start = defineAckHandler("call:start", callStartInputSchema, async (input, ctx) => {
  const { io, socket, userId } = ctx;
  const state = getCallState();
  if (state.isBusy(userId)) throw conflict("You are already in a call.");
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
    return finish(ctx, result.call, { tell: "caller" });
  };
  if (calleeSockets.length === 0) {
    if (state.isBusy(userId)) throw conflict("You are already in a call.");
    return endAtOnce({ type: "offline" });
  }
  const begun = state.begin(call, socket.id);
  if (begun === "caller-busy") throw conflict("You are already in a call.");
  if (begun === "callee-busy") return endAtOnce({ type: "busy" });

  startRingTimer(ctx, call.id);
  // The socket closed while this request waited on the database: its disconnect handler found no
  // call then, so the caller's side starts its grace period here.
  if (!socket.connected) {
    state.bind(call.id, "caller", null);
    startGrace(ctx, call.id, "caller");
  }
  await persist(ctx, call);
  const dto = toCallDto(call, users);
  io.to(userRoom(input.calleeId)).emit("call:incoming", { call: dto });
  return dto;
});

const accept = defineAckHandler("call:accept", callAcceptInputSchema, async (input, ctx) => {
  const { io, socket, userId } = ctx;
  const { side } = await requireLive(input.callId, userId);
  if (side !== "callee") throw new AppError("FORBIDDEN", { userMessage: "Only the person called can answer." });
  const result = getCallState().apply(input.callId, { type: "accept" }, new Date(), socket.id);
  if (!result.ok) throw conflict(result.reason === "invalid" ? "This call was already answered." : CALL_ENDED);
  getCallState().setTimer(input.callId, "ring", null);
  const active = result.call;
  await persist(ctx, active);
  const dto = await dtoOf(active);
  io.to(userRoom(active.callerId)).emit("call:accepted", { call: dto });
  socket.emit("call:accepted", { call: dto });
  // Every other device of the callee stops ringing (`socket.to` leaves out the accepting one).
  socket.to(userRoom(active.calleeId)).emit("call:answered-elsewhere", { callId: active.id });
  for (const id of [active.callerId, active.calleeId]) void announcePresence(ctx, id);
  return dto;
});

const decline = defineAckHandler("call:decline", callTargetInputSchema, async (input, ctx) => {
  const { side } = await requireLive(input.callId, ctx.userId);
  if (side !== "callee") throw new AppError("FORBIDDEN", { userMessage: "Only the person called can decline." });
  return applyEvent(ctx, input.callId, { type: "decline" });
});

/**
 * Caller while ringing: cancelled. Callee while ringing: declined. Either side while active:
 * completed, or failed when the side gives up because media could not be recovered.
 */
const hangup = defineAckHandler("call:hangup", callHangupInputSchema, async (input, ctx) => {
  const { live, side } = await requireLive(input.callId, ctx.userId);
  if (live.call.status === "active") return applyEvent(ctx, input.callId, { type: input.failed ? "fail" : "hangup" });
  return applyEvent(ctx, input.callId, { type: side === "caller" ? "cancel" : "decline" });
});

/**
 * Relay checks: a live, answered call of the sender's, sent from the socket bound for the sender's
 * side, to the other side's bound socket. Returns that socket id.
 */
async function relayTarget(ctx: HandlerContext, callId: string): Promise<string> {
  const { live, side } = await requireLive(callId, ctx.userId);
  if (live.call.status !== "active") throw conflict("The call has not been answered yet.");
  const mine = side === "caller" ? live.callerSocketId : live.calleeSocketId;
  if (mine !== ctx.socket.id) throw new AppError("FORBIDDEN", { userMessage: "This device is not the one in the call." });
  const target = otherSide(side) === "caller" ? live.callerSocketId : live.calleeSocketId;
  if (!target) throw new AppError("UNAVAILABLE", { userMessage: "The other side is reconnecting." });
  return target;
}

const signal = defineAckHandler("call:signal", callSignalInputSchema, async (input, ctx) => {
  const target = await relayTarget(ctx, input.callId);
  ctx.io.to(target).emit("call:signal", { callId: input.callId, signal: input.signal });
  return { relayed: true as const };
});

const mediaState = defineAckHandler("call:media-state", callMediaStateInputSchema, async (input, ctx) => {
  const target = await relayTarget(ctx, input.callId);
  ctx.io.to(target).emit("call:peer-media", { callId: input.callId, audioMuted: input.audioMuted, videoOff: input.videoOff });
  return { relayed: true as const };
});

const history = defineAckHandler("call:history", callHistoryInputSchema, (input, { userId }) => listCallHistory(userId, input));

const iceConfig = defineAckHandler("call:ice-config", emptyInputSchema, (_input, { userId }) => Promise.resolve(iceConfigFor(getServerEnv(), userId)));

/**
 * The user's live call. This socket becomes the user's device for it when that side has none
 * (its socket dropped and this is the reconnect): the caller's while ringing or active, the
 * callee's once answered. A device that still holds the call keeps it: another tab only learns of
 * it (`onThisDevice: false`). A ringing callee gets the call to show the incoming dialog again.
 */
const current = defineAckHandler("call:current", emptyInputSchema, async (_input, ctx) => {
  const { socket, userId } = ctx;
  const state = getCallState();
  const live = state.callOf(userId);
  if (!live) return { call: null, onThisDevice: false };
  const side = sideOf(live.call, userId) ?? "callee";
  const bindable = side === "caller" || live.call.status === "active";
  const bound = side === "caller" ? live.callerSocketId : live.calleeSocketId;
  let onThisDevice = bindable && bound === socket.id;
  if (bindable && bound === null) {
    state.bind(live.call.id, side, socket.id);
    state.setTimer(live.call.id, `${side}-grace`, null);
    onThisDevice = true;
  }
  return { call: await dtoOf(live.call), onThisDevice };
});

/** One side blocked the other: their live call ends as if the blocker hung up (or declined / cancelled it). */
export function endCallOnBlock(ctx: CallContext, blockerId: string, blockedId: string): void {
  const live = getCallState().callOf(blockerId);
  if (!live || sideOf(live.call, blockedId) === null) return;
  if (live.call.status === "active") return endLive(ctx, live.call.id, { type: "hangup" });
  endLive(ctx, live.call.id, { type: sideOf(live.call, blockerId) === "caller" ? "cancel" : "decline" });
}

/** At boot nothing is live: calls a previous process left ringing or active are closed as failed. */
export async function closeUnfinishedCalls(ctx: CallContext): Promise<void> {
  const now = new Date();
  for (const call of await listUnfinishedCalls()) {
    if (getCallState().get(call.id)) continue;
    const result = transition(call, { type: "fail" }, now);
    if (result.ok) await saveCall(result.call);
  }
  ctx.deps.logger.debug("unfinished calls closed");
}

export function registerCallHandlers(ctx: HandlerContext): void {
  const { socket, userId } = ctx;
  socket.on("call:start", start(ctx));
  socket.on("call:accept", accept(ctx));
  socket.on("call:decline", decline(ctx));
  socket.on("call:hangup", hangup(ctx));
  socket.on("call:signal", signal(ctx));
  socket.on("call:media-state", mediaState(ctx));
  socket.on("call:history", history(ctx));
  socket.on("call:ice-config", iceConfig(ctx));
  socket.on("call:current", current(ctx));
  socket.on("disconnect", () => {
    const live = getCallState().callOf(userId);
    const side = live ? sideOf(live.call, userId) : null;
    if (!live || !side) return;
    const bound = side === "caller" ? live.callerSocketId : live.calleeSocketId;
    if (bound !== socket.id) return;
    getCallState().bind(live.call.id, side, null);
    startGrace(ctx, live.call.id, side);
  });
}

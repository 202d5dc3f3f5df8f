/**
 * Presence: one snapshot per connect, then changes to the user's audience only (contacts and
 * co-members minus blocks), one emit per change. Offline is announced only after a grace period
 * without sockets, so reloads and brief network blips stay silent. The state may be shared by
 * several processes (Redis): any of them may announce a user, so "what was announced last" lives
 * in the state too, and a grace timer only expires the user if nobody connected since (`epoch`).
 */
import type { Logger } from "pino";

import { getServerEnv } from "@/lib/env";
import { exposeCount } from "@/lib/ops/debug-counts";
import { presenceActivityInputSchema, presenceSetStatusInputSchema, type PresenceDto } from "@/lib/realtime/protocol";
import {
  blockedPairs,
  clearExpiredStatus,
  loadPresenceProfile,
  loadPresenceProfiles,
  type PresenceProfile,
  presenceAudience,
  recordLastSeen,
  savePresenceStatus,
  toOwnPresenceDto,
  toPresenceDto,
} from "@/lib/services/presence-service";
import { getCallState } from "../calls/call-state";
import { defineAckHandler, defineVolatileHandler } from "../define-handler";
import { trackSocket, untrackSocket } from "../instances";
import { type ConnectionStatus, getPresenceState, visibleStatus } from "../presence/presence-state";
import { userRoom } from "../rooms";
import type { ConnectState } from "../connect-state";
import type { AppServer, HandlerContext } from "../types";

/** What presence work needs besides the user: where to emit and where to log. */
export type PresenceContext = { io: AppServer; logger: Logger };

const graceTimers = new Map<string, ReturnType<typeof setTimeout>>();
const expiryTimers = new Map<string, ReturnType<typeof setTimeout>>();
/** Announcements of one user run one after another, each reading the state when it emits. */
const queues = new Map<string, Promise<void>>();
/** setTimeout overflows above this; a later expiry is cleared lazily when read. */
const MAX_TIMER_MS = 2_147_483_647;
/** A step that failed because the shared state was unreachable is tried again after this. */
const RETRY_MS = 5_000;
exposeCount("presence.graceTimers", () => graceTimers.size);
exposeCount("presence.expiryTimers", () => expiryTimers.size);
exposeCount("presence.queues", () => queues.size);

const state = () => getPresenceState();
const contextOf = (ctx: Pick<HandlerContext, "io" | "deps">): PresenceContext => ({ io: ctx.io, logger: ctx.deps.logger });

const inCall = (userId: string): Promise<boolean> => getCallState().isInActiveCall(userId);
/** Who among these is in an answered call: one read per batch (the call state may live in Redis). */
const inCallAmong = (userIds: readonly string[]): Promise<Set<string>> => getCallState().activeAmong(userIds);

type Live = { connection: ConnectionStatus; calling: boolean };

async function liveOf(userId: string): Promise<Live> {
  const [connection, calling] = await Promise.all([state().connectionOf(userId), inCall(userId)]);
  return { connection, calling };
}

const visibleOf = (profile: PresenceProfile, live: Live): PresenceDto => toPresenceDto(profile, visibleStatus(profile.mode, live.connection), live.calling);

function ownOf(profile: PresenceProfile, live: Live) {
  const mode = profile.mode === "invisible" ? "auto" : profile.mode;
  return toOwnPresenceDto(profile, visibleStatus(mode, live.connection), live.calling);
}

/** Many users at once (snapshots, shared presence): one state read and one call-state read. */
async function visiblesOf(profiles: readonly PresenceProfile[]): Promise<Map<string, PresenceDto>> {
  const userIds = profiles.map((profile) => profile.userId);
  const [connections, calling] = await Promise.all([state().connectionsOf(userIds), inCallAmong(userIds)]);
  return new Map(
    profiles.map((profile) => [
      profile.userId,
      visibleOf(profile, { connection: connections.get(profile.userId) ?? "offline", calling: calling.has(profile.userId) }),
    ]),
  );
}

function enqueue(userId: string, task: () => Promise<void>, logger: Logger): Promise<void> {
  const next = (queues.get(userId) ?? Promise.resolve())
    .then(task)
    .catch((error: unknown) => logger.error({ err: error, userId }, "presence update failed"));
  queues.set(userId, next);
  void next.finally(() => {
    if (queues.get(userId) === next) queues.delete(userId);
  });
  return next;
}

type AnnounceOptions = {
  own?: boolean;
  /** Profile and audience just read (a connect's, connect-state.ts) instead of reading them again. */
  known?: { profile: PresenceProfile | null; audience: readonly string[] };
};

/** Emits the user's current presence to their audience if it differs from the last announcement (by any process). */
function announce(pctx: PresenceContext, userId: string, options: AnnounceOptions = {}): Promise<void> {
  const { io } = pctx;
  const { known } = options;
  return enqueue(userId, async () => {
    const [profile, audience, live] = await Promise.all([
      known ? known.profile : loadPresenceProfile(userId),
      known ? known.audience : presenceAudience(userId),
      liveOf(userId),
    ]);
    if (!profile) return;
    if (options.own) io.to(userRoom(userId)).emit("presence:own-changed", ownOf(profile, live));
    const dto = visibleOf(profile, live);
    if (!(await state().markAnnounced(userId, JSON.stringify(dto)))) return;
    if (audience.length === 0) return; // io.to([]) would reach everyone
    io.to(audience.map(userRoom)).emit("presence:changed", dto);
  }, pctx.logger);
}

/** Something presence shows changed outside presence itself (a call was answered or ended): tell the audience and the user's tabs. */
export function announcePresence(ctx: Pick<HandlerContext, "io" | "deps">, userId: string): Promise<void> {
  return announce(contextOf(ctx), userId, { own: true });
}

function scheduleExpiry(pctx: PresenceContext, profile: PresenceProfile): void {
  const { userId, expiresAt } = profile;
  clearTimeout(expiryTimers.get(userId));
  expiryTimers.delete(userId);
  if (!expiresAt) return;
  const delay = expiresAt.getTime() - Date.now();
  if (delay > MAX_TIMER_MS) return;
  const timer = setTimeout(() => {
    expiryTimers.delete(userId);
    void clearExpiredStatus(userId, expiresAt).then(
      (cleared) => (cleared ? announce(pctx, userId, { own: true }) : undefined),
      (error: unknown) => pctx.logger.error({ err: error, userId }, "could not clear an expired status"),
    );
  }, Math.max(0, delay));
  timer.unref();
  expiryTimers.set(userId, timer);
}

/**
 * The user's last socket closed: after the grace period, if nobody connected since (`epoch`, on
 * any process), the user goes offline with a fresh "last seen".
 */
function startGrace(pctx: PresenceContext, userId: string, epoch: number, delayMs: number): void {
  clearTimeout(graceTimers.get(userId));
  const timer = setTimeout(() => {
    if (graceTimers.get(userId) === timer) graceTimers.delete(userId);
    void endGrace(pctx, userId, epoch);
  }, delayMs);
  graceTimers.set(userId, timer);
}

async function endGrace(pctx: PresenceContext, userId: string, epoch: number): Promise<void> {
  let offline: boolean;
  try {
    offline = await state().expire(userId, epoch);
  } catch (error) {
    pctx.logger.error({ err: error, userId }, "could not expire a user's presence; retrying");
    // A newer timer (a later disconnect) decides instead.
    if (!graceTimers.has(userId)) startGrace(pctx, userId, epoch, RETRY_MS);
    return;
  }
  if (!offline) return;
  await enqueue(userId, async () => {
    const profile = await loadPresenceProfile(userId);
    // Invisible users were never visibly online: a fresh "last seen" would give them away.
    if (profile && profile.mode !== "invisible") await recordLastSeen(userId, new Date());
  }, pctx.logger);
  await announce(pctx, userId);
}

/** A socket is gone (disconnect, or its process died): announce the change, or start the offline grace. */
async function socketGone(pctx: PresenceContext, userId: string, socketId: string): Promise<void> {
  const { remaining, epoch, changed } = await state().removeSocket(userId, socketId);
  if (remaining > 0) {
    if (changed) void announce(pctx, userId);
    return;
  }
  startGrace(pctx, userId, epoch, getServerEnv().PRESENCE_OFFLINE_GRACE_MS);
}

/** A socket of a dead process (instances.ts), released here exactly like a disconnect. Idempotent. */
export function releaseDeadSocket(pctx: PresenceContext, userId: string, socketId: string): Promise<void> {
  return socketGone(pctx, userId, socketId);
}

/** Grace periods a dead process was running (users whose last socket had closed there): run them here. */
export function resumeGrace(pctx: PresenceContext, users: readonly { userId: string; epoch: number }[]): void {
  const graceMs = getServerEnv().PRESENCE_OFFLINE_GRACE_MS;
  for (const { userId, epoch } of users) if (!graceTimers.has(userId)) startGrace(pctx, userId, epoch, graceMs);
}

/** The audience's presence and the user's own, from what the handshake read (connect-state.ts). */
async function sendSnapshot(ctx: HandlerContext, connect: ConnectState): Promise<void> {
  const { socket, userId } = ctx;
  const own = connect.profile;
  const [visibles, ownLive] = await Promise.all([visiblesOf(connect.audience), own ? liveOf(userId) : null]);
  if (!socket.connected) return;
  socket.emit("presence:snapshot", { presences: [...visibles.values()] });
  if (own && ownLive) {
    socket.emit("presence:own-changed", ownOf(own, ownLive));
    if (own.expiresAt && !expiryTimers.has(userId)) scheduleExpiry(contextOf(ctx), own);
  }
}

/**
 * A relation appeared (contact accepted, conversation created, members added): each side gets the
 * other side's current presence at once instead of waiting for its next change (blocks excluded).
 */
export async function sharePresence(ctx: Pick<HandlerContext, "io" | "deps">, viewerIds: readonly string[], subjectIds: readonly string[]): Promise<void> {
  const { io } = ctx;
  const everyone = [...new Set([...viewerIds, ...subjectIds])];
  let visibles: Map<string, PresenceDto>;
  let blocked: Set<string>;
  try {
    let loaded: PresenceProfile[];
    [loaded, blocked] = await Promise.all([loadPresenceProfiles(everyone), blockedPairs(everyone)]);
    visibles = await visiblesOf(loaded);
  } catch (error: unknown) {
    // The relation itself is saved; presence catches up on the next change or reconnect.
    ctx.deps.logger.error({ err: error }, "could not share presence");
    return;
  }
  // Who should learn about whom, merged so nobody gets the same presence twice.
  const learns = new Map<string, Set<string>>();
  const relate = (to: readonly string[], about: readonly string[]) => {
    for (const viewerId of to) {
      const set = learns.get(viewerId) ?? new Set<string>();
      for (const id of about) if (id !== viewerId && !blocked.has(`${viewerId}|${id}`)) set.add(id);
      learns.set(viewerId, set);
    }
  };
  relate(viewerIds, subjectIds);
  relate(subjectIds, viewerIds);
  for (const [viewerId, about] of learns) {
    const presences = [...about].flatMap((id) => {
      const dto = visibles.get(id);
      return dto ? [dto] : [];
    });
    if (presences.length > 0) io.to(userRoom(viewerId)).emit("presence:batch", { presences });
  }
}

/** A block: each side now sees the other as offline with nothing more (no last seen, no status). */
export function hidePresence({ io }: Pick<HandlerContext, "io">, userId: string, otherId: string): void {
  const hidden = (id: string): PresenceDto => ({ userId: id, status: "offline", customText: null, customEmoji: null, lastSeenAt: null, inCall: false });
  io.to(userRoom(userId)).emit("presence:batch", { presences: [hidden(otherId)] });
  io.to(userRoom(otherId)).emit("presence:batch", { presences: [hidden(userId)] });
}

/** Runs a socket's state changes one after another: a disconnect never overtakes the connect it undoes. */
function inOrder(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task);
    tail = run.catch(() => undefined);
    return run;
  };
}

/** Tries a step until the shared state takes it (an outage must not leave a closed socket counted forever). */
function untilDone(step: () => Promise<void>, logger: () => Logger, what: string): void {
  step().catch((error: unknown) => {
    logger().error({ err: error }, `${what}; retrying`);
    setTimeout(() => untilDone(step, logger, what), RETRY_MS).unref();
  });
}

/** Each socket's state changes, one after another (made when it connects). */
const steps = new WeakMap<object, ReturnType<typeof inOrder>>();

function stepOf(ctx: HandlerContext): ReturnType<typeof inOrder> {
  let step = steps.get(ctx.socket);
  if (!step) {
    step = inOrder();
    steps.set(ctx.socket, step);
  }
  return step;
}

/** A socket connected: it counts for the user's presence, and it is sent what it may see. */
export function registerPresenceHandlers(ctx: HandlerContext, connect: ConnectState): void {
  const { socket, userId } = ctx;
  const pctx = contextOf(ctx);
  const step = stepOf(ctx);
  const known = { profile: connect.profile, audience: connect.audience.map((profile) => profile.userId) };

  clearTimeout(graceTimers.get(userId));
  graceTimers.delete(userId);
  const { activity } = socket.data;
  delete socket.data.activity;
  // Tracked before it is counted: if this process dies in between, the reaper still finds it.
  // Announced only when the connection changed the user's status (offline → online or away, away →
  // online): another tab of an online user changes nothing the audience sees, and announcing costs
  // three reads per socket.
  step(async () => {
    await trackSocket(userId, socket.id);
    return state().addSocket(userId, socket.id, activity);
  }).then(
    (changed) => (changed ? announce(pctx, userId, { known }) : undefined),
    (error: unknown) => ctx.log.error({ err: error }, "could not record the socket's presence"),
  );
  sendSnapshot(ctx, connect).catch((error: unknown) => ctx.log.error({ err: error }, "presence snapshot failed"));
}

defineVolatileHandler("presence:activity", (input, ctx) => {
  const { userId, socket } = ctx;
  const parsed = presenceActivityInputSchema.safeParse(input);
  if (!parsed.success) return; // volatile, no ack: a malformed report is simply dropped
  // Each report may be announced (database reads, a broadcast): charged like a request, a flood is dropped.
  void ctx.deps.rateLimiter.consume(`${userId}:presence:activity`).then(
    (budget) => {
      if (!budget.ok) return;
      // Only a change of the user's status is news: one tab of several going to the background is not.
      stepOf(ctx)(() => state().setActivity(userId, socket.id, parsed.data)).then(
        (changed) => (changed ? announce(contextOf(ctx), userId) : undefined),
        (error: unknown) => ctx.log.warn({ err: error }, "could not record presence activity"),
      );
    },
    (error: unknown) => ctx.log.warn({ err: error }, "could not record presence activity"),
  );
});

defineAckHandler("presence:set-status", presenceSetStatusInputSchema, async (input, ctx) => {
  const { userId, socket } = ctx;
  const pctx = contextOf(ctx);
  const profile = await savePresenceStatus(userId, input);
  scheduleExpiry(pctx, profile);
  void announce(pctx, userId);
  const own = ownOf(profile, await liveOf(userId));
  socket.to(userRoom(userId)).emit("presence:own-changed", own);
  return own;
});

/** The socket disconnected (io.ts). Untracked only once counted out: if this process dies in between, the reaper finishes it. */
export function presenceSocketGone(ctx: HandlerContext): void {
  const { userId, socket } = ctx;
  const step = stepOf(ctx);
  const leave = () =>
    step(async () => {
      await socketGone(contextOf(ctx), userId, socket.id);
      await untrackSocket(userId, socket.id);
    });
  // The socket's child logger is made only if there is something to log.
  untilDone(leave, () => ctx.log, "could not remove the socket's presence");
}

/**
 * Presence: one snapshot per connect, then changes to the user's audience only (contacts and
 * co-members minus blocks), one emit per change. Offline is announced only after a grace period
 * without sockets, so reloads and brief network blips stay silent.
 */
import { getServerEnv } from "@/lib/env";
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
import { defineAckHandler } from "../define-handler";
import { createMemoryPresenceState, visibleStatus } from "../presence/presence-state";
import { userRoom } from "../rooms";
import type { AppServer, HandlerContext } from "../types";

const state = createMemoryPresenceState();
const graceTimers = new Map<string, ReturnType<typeof setTimeout>>();
const expiryTimers = new Map<string, ReturnType<typeof setTimeout>>();
/** Last DTO announced per user: a recomputation that changes nothing emits nothing. */
const announced = new Map<string, string>();
/** Announcements of one user run one after another, each reading the state when it emits. */
const queues = new Map<string, Promise<void>>();
/** setTimeout overflows above this; a later expiry is cleared lazily when read. */
const MAX_TIMER_MS = 2_147_483_647;

/** Who among these is in an answered call, read once per batch (the call state may be in Redis). */
const inCall = (userIds: readonly string[]): Promise<Set<string>> => getCallState().activeAmong(userIds);

const visibleOf = (profile: PresenceProfile, calling: ReadonlySet<string>): PresenceDto =>
  toPresenceDto(profile, visibleStatus(profile.mode, state.connectionOf(profile.userId)), calling.has(profile.userId));

function ownOf(profile: PresenceProfile, calling: ReadonlySet<string>) {
  const mode = profile.mode === "invisible" ? "auto" : profile.mode;
  return toOwnPresenceDto(profile, visibleStatus(mode, state.connectionOf(profile.userId)), calling.has(profile.userId));
}

function enqueue(userId: string, task: () => Promise<void>, ctx: Pick<HandlerContext, "deps">): Promise<void> {
  const next = (queues.get(userId) ?? Promise.resolve())
    .then(task)
    .catch((error: unknown) => ctx.deps.logger.error({ err: error, userId }, "presence update failed"));
  queues.set(userId, next);
  void next.finally(() => {
    if (queues.get(userId) === next) queues.delete(userId);
  });
  return next;
}

/** Emits the user's current presence to their audience if it differs from the last announcement. */
function announce(io: AppServer, userId: string, ctx: Pick<HandlerContext, "deps">, options: { own?: boolean } = {}): Promise<void> {
  return enqueue(userId, async () => {
    const [profile, audience, calling] = await Promise.all([loadPresenceProfile(userId), presenceAudience(userId), inCall([userId])]);
    if (!profile) return;
    if (options.own) io.to(userRoom(userId)).emit("presence:own-changed", ownOf(profile, calling));
    const dto = visibleOf(profile, calling);
    const key = JSON.stringify(dto);
    if (announced.get(userId) === key) return;
    announced.set(userId, key);
    if (audience.length === 0) return; // io.to([]) would reach everyone
    io.to(audience.map(userRoom)).emit("presence:changed", dto);
  }, ctx);
}

/** Something presence shows changed outside presence itself (a call was answered or ended): tell the audience and the user's tabs. */
export function announcePresence(ctx: Pick<HandlerContext, "io" | "deps">, userId: string): Promise<void> {
  return announce(ctx.io, userId, ctx, { own: true });
}

function scheduleExpiry(io: AppServer, profile: PresenceProfile, ctx: Pick<HandlerContext, "deps">): void {
  const { userId, expiresAt } = profile;
  clearTimeout(expiryTimers.get(userId));
  expiryTimers.delete(userId);
  if (!expiresAt) return;
  const delay = expiresAt.getTime() - Date.now();
  if (delay > MAX_TIMER_MS) return;
  const timer = setTimeout(() => {
    expiryTimers.delete(userId);
    void clearExpiredStatus(userId, expiresAt).then(
      (cleared) => (cleared ? announce(io, userId, ctx, { own: true }) : undefined),
      (error: unknown) => ctx.deps.logger.error({ err: error, userId }, "could not clear an expired status"),
    );
  }, Math.max(0, delay));
  timer.unref();
  expiryTimers.set(userId, timer);
}

async function sendSnapshot(ctx: HandlerContext): Promise<void> {
  const { socket, userId } = ctx;
  const audience = await presenceAudience(userId);
  const [profiles, own, calling] = await Promise.all([loadPresenceProfiles(audience), loadPresenceProfile(userId), inCall([...audience, userId])]);
  if (!socket.connected) return;
  socket.emit("presence:snapshot", { presences: profiles.map((profile) => visibleOf(profile, calling)) });
  if (own) {
    socket.emit("presence:own-changed", ownOf(own, calling));
    if (own.expiresAt && !expiryTimers.has(userId)) scheduleExpiry(ctx.io, own, ctx);
  }
}

/**
 * A relation appeared (contact accepted, conversation created, members added): each side gets the
 * other side's current presence at once instead of waiting for its next change (blocks excluded).
 */
export async function sharePresence(ctx: Pick<HandlerContext, "io" | "deps">, viewerIds: readonly string[], subjectIds: readonly string[]): Promise<void> {
  const { io } = ctx;
  const everyone = [...new Set([...viewerIds, ...subjectIds])];
  let loaded: PresenceProfile[];
  let blocked: Set<string>;
  let calling: Set<string>;
  try {
    [loaded, blocked, calling] = await Promise.all([loadPresenceProfiles(everyone), blockedPairs(everyone), inCall(everyone)]);
  } catch (error: unknown) {
    // The relation itself is saved; presence catches up on the next change or reconnect.
    ctx.deps.logger.error({ err: error }, "could not share presence");
    return;
  }
  const profiles = new Map(loaded.map((profile) => [profile.userId, profile]));
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
      const profile = profiles.get(id);
      return profile ? [visibleOf(profile, calling)] : [];
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

export function registerPresenceHandlers(ctx: HandlerContext): void {
  const { io, socket, userId } = ctx;
  const graceMs = getServerEnv().PRESENCE_OFFLINE_GRACE_MS;

  clearTimeout(graceTimers.get(userId));
  graceTimers.delete(userId);
  state.addSocket(userId, socket.id);
  void announce(io, userId, ctx);
  sendSnapshot(ctx).catch((error: unknown) => ctx.log.error({ err: error }, "presence snapshot failed"));

  socket.on("presence:activity", (input: unknown) => {
    const parsed = presenceActivityInputSchema.safeParse(input);
    if (!parsed.success) return; // volatile, no ack: a malformed report is simply dropped
    state.setActivity(userId, socket.id, parsed.data);
    void announce(io, userId, ctx);
  });

  socket.on(
    "presence:set-status",
    defineAckHandler("presence:set-status", presenceSetStatusInputSchema, async (input) => {
      const profile = await savePresenceStatus(userId, input);
      scheduleExpiry(io, profile, ctx);
      void announce(io, userId, ctx);
      const own = ownOf(profile, await inCall([userId]));
      socket.to(userRoom(userId)).emit("presence:own-changed", own);
      return own;
    })(ctx),
  );

  socket.on("disconnect", () => {
    if (state.removeSocket(userId, socket.id) > 0) {
      void announce(io, userId, ctx);
      return;
    }
    clearTimeout(graceTimers.get(userId));
    const timer = setTimeout(() => {
      graceTimers.delete(userId);
      if (!state.expire(userId)) return;
      void enqueue(userId, async () => {
        const profile = await loadPresenceProfile(userId);
        // Invisible users were never visibly online: a fresh "last seen" would give them away.
        if (profile && profile.mode !== "invisible") await recordLastSeen(userId, new Date());
      }, ctx).then(() => announce(io, userId, ctx));
    }, graceMs);
    graceTimers.set(userId, timer);
  });
}

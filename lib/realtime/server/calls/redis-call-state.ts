/**
 * Live calls in Redis, shared by every process of a scale-out setup (one Redis, any process can
 * serve any user). Same semantics as the memory state (call-state.ts):
 * - `begin` is one Lua script: both users' busy check and the creation together;
 * - every change of a call (`apply`, `bind`) reads its JSON, runs the pure transition here, and
 *   writes back with a compare-and-set script that only succeeds if the JSON is unchanged, retrying
 *   on a lost race: of two processes accepting the same ringing call, exactly one wins;
 * - an ended call leaves Redis at once, with its user keys, count entries and timers;
 * - timers are a sorted set of `callId|name` by due time, polled by every process; a due entry is
 *   taken out by one script call (ZREM inside it), so exactly one process runs it, whoever set it.
 * Every Redis call goes through `withRedis`: an unreachable Redis is UNAVAILABLE to the client.
 */
import type { CallEvent, CallRecord, CallSide } from "./call-machine";
import { transition } from "./call-machine";
import type { ApplyOptions, ApplyResult, BeginResult, CallState, CallTimer, DueHandler, LiveCall } from "./call-state";
import { CALL_TIMERS } from "./call-state";
import { AppError } from "@/lib/errors";
import { isDependencyUnavailable } from "@/lib/errors";
import { type RedisClient, withRedis } from "@/lib/redis/client";

const PREFIX = "parley:call:";
const callKey = (callId: string) => `${PREFIX}live:${callId}`;
const userKey = (userId: string) => `${PREFIX}user:${userId}`;
const RINGING = `${PREFIX}ringing`;
const ACTIVE = `${PREFIX}active`;
const TIMERS = `${PREFIX}timers`;

export const TIMER_POLL_MS = 300;
/** Due timers taken per poll; the rest wait for the next poll (a burst cannot stall one process). */
const TIMERS_PER_POLL = 100;
/** Compare-and-set attempts before giving up; each lost race means another change just landed. */
const CAS_ATTEMPTS = 20;

type Stored = {
  call: Omit<CallRecord, "createdAt" | "answeredAt" | "endedAt"> & { createdAt: string; answeredAt: string | null; endedAt: string | null };
  callerSocketId: string | null;
  calleeSocketId: string | null;
};

const serialize = (live: LiveCall): string => JSON.stringify(live);

function revive(json: string): LiveCall {
  const stored = JSON.parse(json) as Stored;
  const date = (value: string | null) => (value === null ? null : new Date(value));
  return {
    call: { ...stored.call, createdAt: new Date(stored.call.createdAt), answeredAt: date(stored.call.answeredAt), endedAt: date(stored.call.endedAt) },
    callerSocketId: stored.callerSocketId,
    calleeSocketId: stored.calleeSocketId,
  };
}

const BEGIN = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 'caller-busy' end
if redis.call('EXISTS', KEYS[3]) == 1 then return 'callee-busy' end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
redis.call('SET', KEYS[3], ARGV[2])
redis.call('SADD', KEYS[4], ARGV[2])
return 'ok'`;

/**
 * KEYS: call, caller's user key, callee's user key, ringing set, active set, timers.
 * ARGV: expected JSON, new JSON, callId, new status. 0 when the call changed (or left) meanwhile.
 */
const WRITE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local id = ARGV[3]
if ARGV[4] == 'ended' then
  redis.call('DEL', KEYS[1])
  for i = 2, 3 do if redis.call('GET', KEYS[i]) == id then redis.call('DEL', KEYS[i]) end end
  redis.call('SREM', KEYS[4], id)
  redis.call('SREM', KEYS[5], id)
  redis.call('ZREM', KEYS[6], id .. '|ring', id .. '|caller-grace', id .. '|callee-grace')
  return 1
end
redis.call('SET', KEYS[1], ARGV[2])
if ARGV[4] == 'active' then
  redis.call('SREM', KEYS[4], id)
  redis.call('SADD', KEYS[5], id)
end
return 1`;

/** KEYS: call, timers. ARGV: member, due time ('' clears). A call that is gone gets no timer. */
const SET_TIMER = `
if ARGV[2] == '' or redis.call('EXISTS', KEYS[1]) == 0 then
  redis.call('ZREM', KEYS[2], ARGV[1])
else
  redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
end
return 1`;

/** Takes out and returns the due members: whoever gets a member back is the one that runs it. */
const TAKE_DUE = `
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
if #due > 0 then redis.call('ZREM', KEYS[1], unpack(due)) end
return due`;

export type RedisCallStateOptions = {
  /** Timer poll period (ms). */
  pollMs?: number;
  /** A poll or a due handler failed for another reason than Redis being away (that one is logged by the client). */
  onError?: (error: unknown) => void;
};

export function createRedisCallState(redis: RedisClient, options: RedisCallStateOptions = {}): CallState {
  const pollMs = options.pollMs ?? TIMER_POLL_MS;
  let handler: DueHandler | null = null;
  let poller: ReturnType<typeof setInterval> | null = null;
  let polling = false;

  const read = async (callId: string): Promise<string | null> => withRedis(() => redis.get(callKey(callId)));

  /** One compare-and-set of a call: `change` gets the current call and says what to write, or what to answer. */
  async function update<T>(callId: string, change: (live: LiveCall) => { write: LiveCall; answer: T } | { answer: T }, gone: T): Promise<T> {
    for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt += 1) {
      const json = await read(callId);
      if (json === null) return gone;
      const live = revive(json);
      const decided = change(live);
      if (!("write" in decided)) return decided.answer;
      const next = decided.write;
      const keys = [callKey(callId), userKey(live.call.callerId), userKey(live.call.calleeId), RINGING, ACTIVE, TIMERS];
      const written = await withRedis(() => redis.eval(WRITE, keys.length, ...keys, json, serialize(next), callId, next.call.status));
      if (written === 1) return decided.answer;
    }
    throw new AppError("UNAVAILABLE", { message: `call ${callId}: too many concurrent changes` });
  }

  async function callsOf(userIds: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(userIds)];
    if (unique.length === 0) return new Map();
    const callIds = await withRedis(() => redis.mget(unique.map(userKey)));
    const found = new Map<string, string>();
    unique.forEach((userId, index) => {
      const callId = callIds[index];
      if (callId) found.set(userId, callId);
    });
    return found;
  }

  async function poll(): Promise<void> {
    if (polling || !handler) return;
    polling = true;
    try {
      const due = (await withRedis(() => redis.eval(TAKE_DUE, 1, TIMERS, Date.now(), TIMERS_PER_POLL))) as string[];
      for (const member of due) {
        const cut = member.lastIndexOf("|");
        const name = member.slice(cut + 1) as CallTimer;
        if (cut <= 0 || !CALL_TIMERS.includes(name)) continue;
        try {
          handler?.(member.slice(0, cut), name);
        } catch (error) {
          options.onError?.(error);
        }
      }
    } catch (error) {
      // Redis away: the client logs the outage once; the timers wait in Redis for the next poll.
      const cause = error instanceof AppError ? error.cause : error;
      if (!isDependencyUnavailable(cause)) options.onError?.(error);
    } finally {
      polling = false;
    }
  }

  const get = async (callId: string): Promise<LiveCall | null> => {
    const json = await read(callId);
    return json === null ? null : revive(json);
  };
  const busyAmong = async (userIds: readonly string[]) => new Set((await callsOf(userIds)).keys());
  async function activeAmong(userIds: readonly string[]): Promise<Set<string>> {
    const byUser = await callsOf(userIds);
    const callIds = [...new Set(byUser.values())];
    if (callIds.length === 0) return new Set();
    const active = await withRedis(() => redis.smismember(ACTIVE, ...callIds));
    const activeIds = new Set(callIds.filter((_, index) => active[index] === 1));
    return new Set([...byUser].filter(([, callId]) => activeIds.has(callId)).map(([userId]) => userId));
  }

  return {
    async begin(call, callerSocketId): Promise<BeginResult> {
      const keys = [callKey(call.id), userKey(call.callerId), userKey(call.calleeId), RINGING];
      const json = serialize({ call, callerSocketId, calleeSocketId: null });
      return (await withRedis(() => redis.eval(BEGIN, keys.length, ...keys, json, call.id))) as BeginResult;
    },
    get,
    async callOf(userId) {
      const callId = await withRedis(() => redis.get(userKey(userId)));
      if (!callId) return null;
      const live = await get(callId);
      // The call may have ended between the two reads: then the user is in no call (or a newer one, found next time).
      return live && (live.call.callerId === userId || live.call.calleeId === userId) ? live : null;
    },
    isBusy: async (userId) => (await busyAmong([userId])).has(userId),
    isInActiveCall: async (userId) => (await activeAmong([userId])).has(userId),
    busyAmong,
    activeAmong,
    apply(callId: string, event: CallEvent, at: Date, applyOptions: ApplyOptions = {}): Promise<ApplyResult> {
      return update<ApplyResult>(
        callId,
        (live) => {
          const side = applyOptions.ifUnbound;
          if (side && (side === "caller" ? live.callerSocketId : live.calleeSocketId) !== null) return { answer: { ok: false, reason: "rebound" } };
          const result = transition(live.call, event, at);
          if (!result.ok) return { answer: result };
          const calleeSocketId = event.type === "accept" ? (applyOptions.socketId ?? null) : live.calleeSocketId;
          return { write: { call: result.call, callerSocketId: live.callerSocketId, calleeSocketId }, answer: result };
        },
        { ok: false, reason: "unknown" },
      );
    },
    bind(callId: string, side: CallSide, socketId: string | null, bindOptions: { ifBound?: string | null } = {}) {
      return update(
        callId,
        (live) => {
          const bound = side === "caller" ? live.callerSocketId : live.calleeSocketId;
          if (bindOptions.ifBound !== undefined && bound !== bindOptions.ifBound) return { answer: false };
          const write = side === "caller" ? { ...live, callerSocketId: socketId } : { ...live, calleeSocketId: socketId };
          return { write, answer: true };
        },
        false,
      );
    },
    async setTimer(callId, name, dueAt) {
      await withRedis(() => redis.eval(SET_TIMER, 2, callKey(callId), TIMERS, `${callId}|${name}`, dueAt === null ? "" : Math.round(dueAt)));
    },
    onDue(next) {
      handler = next;
      if (poller) return;
      poller = setInterval(() => void poll(), pollMs);
      poller.unref();
    },
    async counts() {
      const [ringing, active] = await withRedis(() => Promise.all([redis.scard(RINGING), redis.scard(ACTIVE)]));
      return { ringing, active };
    },
    close() {
      handler = null;
      if (poller) clearInterval(poller);
      poller = null;
    },
  };
}

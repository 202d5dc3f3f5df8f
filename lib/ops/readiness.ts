/**
 * Readiness: may a load balancer send this process new work? Not while it drains (SIGTERM), and
 * not while a dependency it needs is down. Checks are registered by whoever owns the dependency:
 * `/api/ready` always checks the database; the Redis client (scale-out, `REDIS_URL`) will call
 * `registerReadinessCheck("redis", () => redis.ping())` where it is created. State lives on
 * globalThis because `/api/ready` is a Next route (a separate module graph) in the same process.
 */
export type ReadinessCheck = () => Promise<unknown>;
export type CheckOutcome = { ok: true; ms: number } | { ok: false; ms: number; reason: string };
export type ReadinessReport = {
  ready: boolean;
  /** Why not, in one line (the first failing check, or "draining"). */
  reason: string | null;
  draining: boolean;
  checks: Record<string, CheckOutcome>;
};

type ReadinessSlot = { draining: boolean; checks: Map<string, ReadinessCheck> };
const slot = globalThis as unknown as { __parleyReadiness?: ReadinessSlot };
const state = (): ReadinessSlot => (slot.__parleyReadiness ??= { draining: false, checks: new Map() });

export const READINESS_CHECK_TIMEOUT_MS = 2_000;

export function registerReadinessCheck(name: string, check: ReadinessCheck | null): void {
  if (check) state().checks.set(name, check);
  else state().checks.delete(name);
}

/** SIGTERM: from now on the process reports "not ready" so no new traffic is routed to it. */
export function markDraining(): void {
  state().draining = true;
}

export function isDraining(): boolean {
  return state().draining;
}

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckOutcome> {
  const startedAt = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, ms: Math.round(performance.now() - startedAt) };
  } catch (error) {
    return { ok: false, ms: Math.round(performance.now() - startedAt), reason: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs the given checks plus the registered ones, in parallel, each bounded by `timeoutMs`. */
export async function checkReadiness(extra: Record<string, ReadinessCheck> = {}, timeoutMs = READINESS_CHECK_TIMEOUT_MS): Promise<ReadinessReport> {
  const all = new Map<string, ReadinessCheck>([...Object.entries(extra), ...state().checks]);
  const names = [...all.keys()];
  const outcomes = await Promise.all(names.map((name) => runCheck(all.get(name)!, timeoutMs)));
  const checks = Object.fromEntries(names.map((name, index) => [name, outcomes[index]!]));
  const draining = isDraining();
  const failed = names.find((name) => !checks[name]!.ok);
  const reason = draining ? "draining" : failed ? `${failed}: ${(checks[failed] as { reason: string }).reason}` : null;
  return { ready: reason === null, reason, draining, checks };
}

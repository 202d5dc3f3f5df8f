/**
 * The hook for database query time. The driver adapter wrapper (lib/db/serialized-adapter.ts)
 * reports every statement here; the metrics module installs the observer. Kept on globalThis:
 * Next's route handlers are a separate module graph but share the one Prisma client (lib/db.ts).
 * No prom-client import, so it is cheap inside Next's bundle.
 */
export type DbOperation = "query" | "execute" | "script";
export type DbQueryObserver = (operation: DbOperation, seconds: number, ok: boolean) => void;

const slot = globalThis as unknown as { __parleyDbObserver?: DbQueryObserver };

export function setDbQueryObserver(observer: DbQueryObserver | null): void {
  if (observer) slot.__parleyDbObserver = observer;
  else delete slot.__parleyDbObserver;
}

/** Runs `run`, reporting its duration to the observer (if any). */
export async function timeDbOperation<T>(operation: DbOperation, run: () => Promise<T>): Promise<T> {
  const observer = slot.__parleyDbObserver;
  if (!observer) return run();
  const startedAt = performance.now();
  let ok = false;
  try {
    const result = await run();
    ok = true;
    return result;
  } finally {
    observer(operation, (performance.now() - startedAt) / 1000, ok);
  }
}

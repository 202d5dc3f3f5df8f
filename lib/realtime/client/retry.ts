/** Exponential backoff with jitter for retries that socket.io-client does not do by itself. */
export type RetrySchedule = {
  /** The next attempt of the backoff (each call waits longer). */
  schedule: (run: () => void) => number;
  /** One attempt after exactly `delayMs` (a server-chosen moment), without advancing the backoff. */
  scheduleIn: (delayMs: number, run: () => void) => number;
  cancel: () => void;
};

export function createRetrySchedule(options: { baseMs: number; maxMs: number; jitter: number; random?: () => number }): RetrySchedule {
  const random = options.random ?? Math.random;
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  return {
    schedule(run) {
      if (timer) clearTimeout(timer);
      const exponential = Math.min(options.maxMs, options.baseMs * 2 ** attempt);
      const delay = Math.min(options.maxMs, Math.round(exponential * (1 - options.jitter + 2 * options.jitter * random())));
      attempt += 1;
      timer = setTimeout(() => {
        timer = null;
        run();
      }, delay);
      return delay;
    },
    scheduleIn(delayMs, run) {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = null;
        run();
      }, delayMs);
      return delayMs;
    },
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
      attempt = 0;
    },
  };
}

/** Exponential backoff with jitter for retries that socket.io-client does not do by itself. */
export type RetrySchedule = { schedule: (run: () => void) => number; cancel: () => void };

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
    cancel() {
      if (timer) clearTimeout(timer);
      timer = null;
      attempt = 0;
    },
  };
}

/**
 * The periodic sweep that lets waits relax: runs only while someone waits (the tick says whether
 * to go on), never overlaps itself, and never keeps the process alive (unref'd).
 */
export type Sweeper = {
  /** Starts the timer unless it runs already. */
  ensureRunning(): void;
  stop(): void;
  readonly running: boolean;
};

/** The sweep period: often enough that relaxing is not noticeably late, at most every 250 ms. */
export const sweepIntervalFor = (relaxAfterMs: number): number => Math.max(25, Math.min(250, Math.floor(relaxAfterMs / 4)));

/** `tick` resolves to false when nothing waits any more; a rejected tick is reported and the timer goes on. */
export function createSweeper(tick: () => Promise<boolean>, intervalMs: number, onError: (error: unknown) => void): Sweeper {
  let timer: ReturnType<typeof setInterval> | null = null;
  let busy = false;
  /** Someone joined while a tick ran: that tick's "nothing waits" may predate the join. */
  let wanted = false;
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  return {
    ensureRunning() {
      wanted = true;
      if (timer) return;
      timer = setInterval(() => {
        if (busy) return;
        busy = true;
        wanted = false;
        tick().then(
          (goOn) => {
            busy = false;
            if (!goOn && !wanted) stop();
          },
          (error: unknown) => {
            busy = false;
            onError(error);
          },
        );
      }, intervalMs);
      timer.unref();
    },
    stop,
    get running() {
      return timer !== null;
    },
  };
}

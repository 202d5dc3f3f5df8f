/**
 * Runs `task` once the browser is idle (or after `fallbackMs` where requestIdleCallback is
 * missing, as in Safari); returns a cancel function. For work a page can do after it has painted:
 * code that is not needed for the first view.
 */
export function whenIdle(task: () => void, { timeoutMs = 5_000, fallbackMs = 1_000 } = {}): () => void {
  if (typeof window.requestIdleCallback === "function") {
    const handle = window.requestIdleCallback(task, { timeout: timeoutMs });
    return () => window.cancelIdleCallback(handle);
  }
  const timer = setTimeout(task, fallbackMs);
  return () => clearTimeout(timer);
}

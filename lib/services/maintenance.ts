/** Periodic housekeeping of the running server: uploads that were never sent are removed after 24 h. */
import type { Logger } from "pino";

import { deleteStaleUploads } from "./attachment-service";

const HOUSEKEEPING_INTERVAL_MS = 60 * 60 * 1000;

export function startMaintenance(logger: Logger): () => void {
  const run = () =>
    deleteStaleUploads().then(
      (removed) => {
        if (removed > 0) logger.info({ removed }, "stale uploads removed");
      },
      (error: unknown) => logger.warn({ err: error }, "stale upload cleanup failed"),
    );
  void run();
  const timer = setInterval(() => void run(), HOUSEKEEPING_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Structured JSON logs (pino). Redaction keeps secrets and message bodies out of every line.
 */
import pino, { type Logger } from "pino";

const slot = globalThis as unknown as { __parleyLogger?: Logger };

export function getLogger(): Logger {
  slot.__parleyLogger ??= pino({
    level: process.env.LOG_LEVEL || "info",
    base: { service: "parley", pid: process.pid },
    redact: {
      paths: ["password", "*.password", "token", "*.token", "auth.token", "body", "*.body", "headers.cookie", "*.headers.cookie", "secret"],
      censor: "[redacted]",
    },
  });
  return slot.__parleyLogger;
}

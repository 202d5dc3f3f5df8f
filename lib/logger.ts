/**
 * Structured JSON logs (pino). Redaction keeps secrets and message bodies out of every line.
 * Realtime code logs through a per-socket child (`ctx.log`), so each line carries userId and socketId.
 */
import pino, { type DestinationStream, type Logger } from "pino";

const SECRET_KEYS = ["password", "newPassword", "currentPassword", "token", "accessToken", "refreshToken", "secret", "credential", "authorization", "cookie"];
/** User content: message bodies and drafts, match reports and feedback, call SDP and ICE candidates (they carry IP addresses). */
const CONTENT_KEYS = ["body", "text", "details", "feedback", "sdp", "candidate"];

/**
 * pino's redaction has no recursive wildcard: each key is censored at the top level and up to
 * three levels down (`input.body`, `payload.message.body`, `a.b.c.body`), plus headers.
 */
export const REDACT_PATHS: string[] = [
  ...[...SECRET_KEYS, ...CONTENT_KEYS].flatMap((key) => [key, `*.${key}`, `*.*.${key}`, `*.*.*.${key}`]),
  "headers.cookie",
  "headers.authorization",
  "*.headers.cookie",
  "*.headers.authorization",
  "auth.token",
];

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? (process.env.LOG_LEVEL || "info"),
      base: { service: "parley", pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    },
    options.destination,
  );
}

const slot = globalThis as unknown as { __parleyLogger?: Logger };

export function getLogger(): Logger {
  slot.__parleyLogger ??= createLogger();
  return slot.__parleyLogger;
}

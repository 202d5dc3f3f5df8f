/**
 * AppError: the one error type domain code throws. Isomorphic; the realtime wrapper and the HTTP
 * routes map it to `{ code, message }` without leaking internals.
 */
import type { RealtimeError, RealtimeErrorCode } from "@/lib/realtime/protocol";
import { REALTIME_ERROR_CODES } from "@/lib/realtime/protocol-constants";

export class AppError extends Error {
  readonly code: RealtimeErrorCode;
  readonly userMessage: string;
  readonly retryAfterMs?: number;

  constructor(code: RealtimeErrorCode, options: { message?: string; userMessage?: string; retryAfterMs?: number; cause?: unknown } = {}) {
    super(options.message ?? options.userMessage ?? code, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.userMessage = options.userMessage ?? DEFAULT_MESSAGES[code];
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

export const DEFAULT_MESSAGES: Record<RealtimeErrorCode, string> = {
  INVALID_PAYLOAD: "The request was not valid.",
  UNAUTHORIZED: "You are signed out.",
  FORBIDDEN: "You are not allowed to do that.",
  NOT_FOUND: "That was not found.",
  CONFLICT: "That conflicts with the current state.",
  RATE_LIMITED: "Too many requests. Slow down a little.",
  PAYLOAD_TOO_LARGE: "That is too large.",
  TIMEOUT: "The server did not respond in time.",
  UNAVAILABLE: "The service is temporarily unavailable.",
  INTERNAL: "Something went wrong on our side.",
};

/** Driver-adapter error kinds (Prisma) that mean "the database is not there right now". */
const UNREACHABLE_DB_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "TlsConnectionError"]);
/** Prisma's connection error codes; PostgreSQL's SQLSTATE classes 08 (connection) and 57P (shutdown). */
const UNREACHABLE_CODES = /^(P1001|P1002|P1008|P1017|P2024|08[0-9A-Z]{3}|57P0[1-3]|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH)$/;
const UNREACHABLE_MESSAGES = /Connection terminated|Connection is closed|Stream isn't writeable|Command timed out|Reached the max retries|Can't reach database server|the database system is (shutting down|starting up)/i;

/**
 * A database or Redis that is away (an outage, a restart) rather than a bug: judged by the error's
 * shape (name, code, adapter kind, message) along its cause chain, so this module imports no driver.
 */
export function isDependencyUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 4 || typeof error !== "object" || error === null) return false;
  const { name, code, message, cause } = error as { name?: unknown; code?: unknown; message?: unknown; cause?: unknown };
  if (name === "MaxRetriesPerRequestError" || name === "PrismaClientInitializationError") return true;
  if (typeof code === "string" && UNREACHABLE_CODES.test(code)) return true;
  if (typeof message === "string" && UNREACHABLE_MESSAGES.test(message)) return true;
  const kind = (cause as { kind?: unknown } | undefined)?.kind;
  if (typeof kind === "string" && UNREACHABLE_DB_KINDS.has(kind)) return true;
  return isDependencyUnavailable(cause, depth + 1);
}

/** Whitelisted, client-safe shape of any thrown value. An unreachable dependency is UNAVAILABLE; other unknown errors are INTERNAL. */
export function toRealtimeError(error: unknown): RealtimeError {
  if (error instanceof AppError) {
    return {
      code: error.code,
      message: error.userMessage,
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    };
  }
  if (isDependencyUnavailable(error)) return { code: "UNAVAILABLE", message: DEFAULT_MESSAGES.UNAVAILABLE };
  return { code: "INTERNAL", message: DEFAULT_MESSAGES.INTERNAL };
}

/** Client side: normalize an ack error, a timeout or anything thrown into one user-facing message. */
export function describeError(error: unknown): RealtimeError {
  if (error && typeof error === "object" && "code" in error && "message" in error) {
    const candidate = error as RealtimeError;
    if ((REALTIME_ERROR_CODES as readonly unknown[]).includes(candidate.code) && typeof candidate.message === "string") return candidate;
  }
  if (error instanceof Error && /timed? ?out/i.test(error.message)) return { code: "TIMEOUT", message: DEFAULT_MESSAGES.TIMEOUT };
  return { code: "INTERNAL", message: DEFAULT_MESSAGES.INTERNAL };
}

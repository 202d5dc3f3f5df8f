/**
 * AppError: the one error type domain code throws. Isomorphic; the realtime wrapper and the HTTP
 * routes map it to `{ code, message }` without leaking internals.
 */
import { REALTIME_ERROR_CODES, type RealtimeError, type RealtimeErrorCode } from "@/lib/realtime/protocol";

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

/** Whitelisted, client-safe shape of any thrown value. Unknown errors become INTERNAL. */
export function toRealtimeError(error: unknown): RealtimeError {
  if (error instanceof AppError) {
    return {
      code: error.code,
      message: error.userMessage,
      ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
    };
  }
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

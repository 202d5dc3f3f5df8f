/** JSON error responses for route handlers: `{ error: { code, message, fields? } }`, never a stack. */
import { AppError, DEFAULT_MESSAGES, isDependencyUnavailable } from "@/lib/errors";
import type { RealtimeErrorCode } from "@/lib/realtime/protocol";

const STATUS: Record<RealtimeErrorCode, number> = {
  INVALID_PAYLOAD: 422,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  TIMEOUT: 504,
  UNAVAILABLE: 503,
  INTERNAL: 500,
};

export function errorResponse(code: RealtimeErrorCode, message?: string, fields?: Record<string, string>): Response {
  return Response.json({ error: { code, message: message ?? DEFAULT_MESSAGES[code], ...(fields ? { fields } : {}) } }, { status: STATUS[code] });
}

export function appErrorResponse(error: unknown): Response {
  if (error instanceof AppError) return errorResponse(error.code, error.userMessage);
  return errorResponse(isDependencyUnavailable(error) ? "UNAVAILABLE" : "INTERNAL");
}

/**
 * The Socket.IO contract shared by server.ts (Node) and the browser: every event name, payload
 * schema, DTO and the ack envelope. Keep it isomorphic: zod + types only (lint-enforced).
 * Payload *types* help the compiler; payload *schemas* are what the server actually trusts.
 */
import { z } from "zod";

// ── Ack envelope ──────────────────────────────────────────────────────────────
export const REALTIME_ERROR_CODES = [
  "INVALID_PAYLOAD",
  "UNAUTHORIZED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "RATE_LIMITED",
  "PAYLOAD_TOO_LARGE",
  "TIMEOUT",
  "UNAVAILABLE",
  "INTERNAL",
] as const;
export type RealtimeErrorCode = (typeof REALTIME_ERROR_CODES)[number];

export type RealtimeError = {
  code: RealtimeErrorCode;
  message: string;
  issues?: { path: string; message: string }[];
  /** Milliseconds until a rate-limited request may be retried. */
  retryAfterMs?: number;
};

export type Ack<T> = { ok: true; data: T } | { ok: false; error: RealtimeError };
export type AckCallback<T> = (result: Ack<T>) => void;

/** Reasons carried by `connect_error` from the handshake middleware (`error.message`). */
export const CONNECT_ERROR_CODES = ["UNAUTHORIZED", "FORBIDDEN_ORIGIN", "UNAVAILABLE"] as const;
export type ConnectErrorCode = (typeof CONNECT_ERROR_CODES)[number];

/** Largest Socket.IO frame the server accepts; files go over HTTP. */
export const MAX_FRAME_BYTES = 64 * 1024;

// ── Client → server payloads ─────────────────────────────────────────────────
// `.strict()`: unknown fields are a typed error, never silently ignored.
export const systemPingInputSchema = z.object({ sentAt: z.number().finite() }).strict();
export type SystemPingInput = z.infer<typeof systemPingInputSchema>;

export const systemEchoInputSchema = z.object({ nonce: z.string().min(1).max(64) }).strict();
export type SystemEchoInput = z.infer<typeof systemEchoInputSchema>;

export const emptyInputSchema = z.object({}).strict();
export type EmptyInput = z.infer<typeof emptyInputSchema>;

// ── Server → client DTOs (JSON-safe: dates are ISO strings) ─────────────────
export type SessionUserDto = { id: string; name: string; email: string; role: "user" | "admin" };
export type PingResultDto = { sentAt: number; serverTime: number };
export type EchoDto = { nonce: string; socketId: string };
export type SessionRevokedDto = { reason: "signed-out" };

// ── Event maps (the client reverses the generics) ────────────────────────────
export type ClientToServerEvents = {
  /** Round trip to the server; the ack carries the server clock. */
  "system:ping": (input: SystemPingInput, ack: AckCallback<PingResultDto>) => void;
  /** Asks the server to push `system:echoed` to every tab of this user (connection check). */
  "system:echo": (input: SystemEchoInput, ack: AckCallback<EchoDto>) => void;
  /** Who the server thinks this socket belongs to. */
  "session:whoami": (input: EmptyInput, ack: AckCallback<SessionUserDto>) => void;
};

export type ServerToClientEvents = {
  /** Sent once after the server has joined the socket to its rooms. */
  "session:ready": (event: { user: SessionUserDto; serverTime: number }) => void;
  /** The browser session this socket belongs to was signed out (in any tab). */
  "session:revoked": (event: SessionRevokedDto) => void;
  "system:echoed": (event: EchoDto) => void;
};

export type ClientEventName = keyof ClientToServerEvents;
export type ServerEventName = keyof ServerToClientEvents;

/** Handshake `auth` payload: a short-lived token from `/api/socket-token`. */
export const handshakeAuthSchema = z.object({ token: z.string().min(1).max(4_096) });
export type HandshakeAuth = z.infer<typeof handshakeAuthSchema>;

/** Response of `GET /api/socket-token`. */
export type SocketTokenResponse = { token: string; expiresAt: string; userId: string; socketUrl: string | null };

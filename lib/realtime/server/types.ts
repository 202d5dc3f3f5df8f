import type { Logger } from "pino";
import type { Server, Socket } from "socket.io";
import type { Adapter } from "socket.io-adapter";

import type { AdminInterServerEvents } from "@/lib/realtime/admin-protocol";
import type { ClientToServerEvents, PresenceActivityInput, ServerToClientEvents, SessionUserDto } from "@/lib/realtime/protocol";
import type { RealtimeMetrics } from "@/lib/ops/metrics";
import type { DrainState } from "./drain";
import type { RateLimiter } from "./rate-limit";

/** Missed broadcasts of a restored session, held until the middleware confirms the owner (recovery.ts). */
export type ParkedRecovery = { ownerId: string; packets: { data: unknown[]; rooms: string[]; except: string[] }[] };

/** Kept small on purpose: it lives as long as the socket, for every socket. `recovery` is dropped once replayed. */
/** `activity`: reported in the handshake, held only until presence counts the socket. */
export type SocketData = { userId: string; sid: string; user: SessionUserDto; recovery?: ParkedRecovery; activity?: PresenceActivityInput };

export type InterServerEvents = AdminInterServerEvents;
export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type AppServerSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export type Identity = { user: SessionUserDto; sid: string };
export type AuthenticateResult = { ok: true; identity: Identity } | { ok: false; code: "UNAUTHORIZED" | "UNAVAILABLE" };

export type RealtimeDeps = {
  /** Handshake `auth.token` → identity. Must not throw. */
  authenticate: (token: unknown) => Promise<AuthenticateResult>;
  /** Per-user, per-event request budget. */
  rateLimiter: RateLimiter;
  logger: Logger;
  /** Browser origins allowed besides the server's own (same-origin requests are always allowed). */
  allowedOrigins: readonly string[];
  /** Upper bound on any request handler; the client gets TIMEOUT instead of waiting forever. */
  requestTimeoutMs: number;
  /** Counters for `/metrics` (events, ack latency, error codes); preallocated, cheap on the hot path. */
  metrics: RealtimeMetrics;
  /** Graceful restart: in-flight requests and whether this process is draining (drain.ts). */
  drain: DrainState;
  /** Scale-out: the Redis Streams adapter factory (redis-adapter.ts); absent, one process in memory. */
  adapter?: (nsp: unknown) => Adapter;
};

/** `log` is the socket's child logger: every line carries `userId` and `socketId`. */
export type HandlerContext = { io: AppServer; socket: AppServerSocket; userId: string; deps: RealtimeDeps; log: Logger };

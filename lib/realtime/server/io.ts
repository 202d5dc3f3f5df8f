/**
 * Creates the typed Socket.IO server on an existing http.Server: origin check, token
 * authentication in the handshake, rooms, and handler registration. Node-only.
 */
import type { Server as HttpServer } from "node:http";

import type { Logger } from "pino";
import { Server } from "socket.io";

import { getServerEnv } from "@/lib/env";
import { handshakeAuthSchema, MAX_FRAME_BYTES } from "@/lib/realtime/protocol";
// Each handler module defines its events' handlers when it loads (define-handler.ts).
import "./handlers/chat-handlers";
import "./handlers/contact-handlers";
import "./handlers/system-handlers";
import { registerAdminPeerHandlers } from "./handlers/admin-handlers";
import { callSocketGone, closeUnfinishedCalls } from "./handlers/call-handlers";
import { matchSocketGone } from "./handlers/match-handlers";
import { notificationSocketGone } from "./handlers/notification-handlers";
import { presenceSocketGone, registerPresenceHandlers } from "./handlers/presence-handlers";
import { type ConnectState, loadConnectState, prepareConnectState, takeConnectState } from "./connect-state";
import { coalesceSocketWrites } from "./corked-writes";
import { contextOf, routedEvents, routeEvents } from "./define-handler";
import { createSocketAdmission } from "./handshake-limits";
import { isOriginAllowed } from "./origin";
import { getPresenceState } from "./presence/presence-state";
import { GuardedSessionAdapter, RECOVERY_WINDOW_MS, replayRecoveredPackets } from "./recovery";
import { setRealtimeServer } from "./registry";
import { countRoomChanges } from "./room-changes";
import { conversationRoom, sessionRoom, userRoom } from "./rooms";
import type { AppServer, AppServerSocket, HandlerContext, RealtimeDeps } from "./types";

/** Heartbeat: a dead peer is noticed within PING_INTERVAL_MS + PING_TIMEOUT_MS (see docs/ARCHITECTURE.md). */
export const PING_INTERVAL_MS = 20_000;
export const PING_TIMEOUT_MS = 15_000;

/**
 * What every handler of a socket gets. A class, not an object literal with a getter: the lazy
 * logger needs no closure per socket (an idle socket's memory is a benchmark target).
 */
class SocketContext implements HandlerContext {
  #log: Logger | null = null;
  constructor(
    readonly io: AppServer,
    readonly socket: AppServerSocket,
    readonly userId: string,
    readonly deps: RealtimeDeps,
  ) {}

  /** Every realtime log line carries who and which socket (pino child, made on the first line: most sockets never log). */
  get log(): Logger {
    this.#log ??= this.deps.logger.child({ userId: this.userId, socketId: this.socket.id });
    return this.#log;
  }
}

function socketError(this: AppServerSocket, error: Error): void {
  contextOf(this)?.log.warn({ err: error }, "socket error");
}

/** What each part forgets of a socket that closed, in this order. */
const SOCKET_GONE = [presenceSocketGone, notificationSocketGone, callSocketGone, matchSocketGone];

function socketDisconnected(this: AppServerSocket, reason: string): void {
  const ctx = contextOf(this);
  if (!ctx) return;
  for (const gone of SOCKET_GONE) {
    try {
      gone(ctx);
    } catch (error) {
      ctx.log.error({ err: error }, "socket clean-up failed");
    }
  }
  if (ctx.deps.logger.isLevelEnabled("debug")) ctx.log.debug({ reason }, "socket disconnected");
}

export function createRealtimeServer(httpServer: HttpServer, deps: RealtimeDeps): AppServer {
  coalesceSocketWrites();
  countRoomChanges();
  const io: AppServer = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_FRAME_BYTES,
    pingInterval: PING_INTERVAL_MS,
    pingTimeout: PING_TIMEOUT_MS,
    // Short gaps replay missed broadcasts; the middleware still runs and the owner is checked (recovery.ts).
    connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS, skipMiddlewares: false },
    adapter: (deps.adapter ?? GuardedSessionAdapter) as typeof GuardedSessionAdapter,
    // Next's dev server owns the HMR upgrade on the same http.Server: leave other upgrades alone.
    destroyUpgrade: false,
    cors: {
      origin: (origin, callback) => callback(null, origin === undefined || deps.allowedOrigins.includes(origin)),
      credentials: false,
    },
    allowRequest: (req, callback) => {
      // A draining process takes no new sockets: the client's next try reaches another process.
      if (deps.drain.isDraining) return callback("DRAINING", false);
      const allowed = isOriginAllowed(req, deps.allowedOrigins);
      if (!allowed) deps.logger.warn({ origin: req.headers.origin }, "handshake from a foreign origin refused");
      callback(allowed ? null : "FORBIDDEN_ORIGIN", allowed);
    },
  });

  const maxSocketsPerUser = getServerEnv().MAX_SOCKETS_PER_USER;
  const admission = createSocketAdmission({
    maxPerUser: maxSocketsPerUser,
    socketsOf: (userId) => getPresenceState().socketsOf(userId),
    logger: deps.logger,
  });
  const tooManyConnections = {
    code: "TOO_MANY_CONNECTIONS",
    message: `This account already has ${maxSocketsPerUser} open connections. Close a tab or sign out on another device.`,
  };

  io.use((socket, next) => {
    const parsed = handshakeAuthSchema.safeParse(socket.handshake.auth);
    // Only what GuardedSessionAdapter parked: a recovered socket carries nothing else from its past.
    const parked = socket.recovered ? socket.data.recovery : undefined;
    // `data` reaches the client as `err.data`; the message is the typed reason.
    const refuse = (code: string, data: Record<string, unknown> = { code }) => next(Object.assign(new Error(code), { data }));
    void deps
      .authenticate(parsed.success ? parsed.data.token : undefined)
      .then(async (result) => {
        if (!result.ok) return refuse(result.code);
        const { user, sid } = result.identity;
        if (socket.recovered && parked?.ownerId !== user.id) {
          deps.logger.warn({ userId: user.id, socketId: socket.id }, "a recovered session presented by another user was refused");
          return refuse("RECOVERY_REFUSED");
        }
        if (!(await admission.admit(user.id, socket.id))) {
          deps.logger.warn({ userId: user.id, socketId: socket.id, limit: maxSocketsPerUser }, "handshake refused: too many sockets for one user");
          return refuse(tooManyConnections.code, tooManyConnections);
        }
        // Counted from now until it closes, also when the transport closes before `connection`.
        const release = () => admission.release(user.id, socket.id);
        socket.once("disconnect", release);
        socket.conn.once("close", release);
        try {
          await prepareConnectState(socket, user.id);
        } catch (error) {
          release();
          deps.logger.error({ err: error, userId: user.id, socketId: socket.id }, "could not read what a connecting socket is sent");
          return refuse("UNAVAILABLE");
        }
        const activity = parsed.success ? parsed.data.activity : undefined;
        socket.data = { userId: user.id, sid, user, ...(parked ? { recovery: parked } : {}), ...(activity ? { activity } : {}) };
        // Checked: the token (a few hundred bytes per socket) has no use after this.
        socket.handshake.auth = {};
        next();
      })
      .catch((error: unknown) => {
        deps.logger.error({ err: error, socketId: socket.id }, "handshake authentication failed");
        refuse("UNAVAILABLE");
      });
  });

  // Metrics: counted per packet with no allocation of ours (metrics.ts). Incoming names are
  // bounded to the events with a handler (define-handler.ts counts them as they arrive).
  const countOutgoing = (event: string) => deps.metrics.eventSent(event);

  // Memory per socket: the HTTP upgrade request (headers, the parsed URL, its net.Socket's
  // references) would live as long as the connection. Everything of ours that needs it runs before
  // this point (allowRequest: origin, drain) or reads the engine socket's own remoteAddress; nothing
  // reads socket.request or handshake.headers later (Socket.IO docs, "memory usage").
  io.engine.on("connection", (rawSocket: { request: unknown }) => {
    rawSocket.request = null;
  });

  deps.metrics.setKnownIncomingEvents(routedEvents());

  io.on("connection", (socket: AppServerSocket) => {
    const { userId, sid, user } = socket.data;
    const ctx = new SocketContext(io, socket, userId, deps);
    const held = takeConnectState(socket);
    const ownRooms = [userRoom(userId), sessionRoom(sid)];
    // One listener per socket for all its events, and shared functions for the rest: no closure per socket.
    routeEvents(ctx);
    socket.onAnyOutgoing(countOutgoing);
    socket.on("error", socketError);
    socket.on("disconnect", socketDisconnected);
    if (deps.logger.isLevelEnabled("debug")) ctx.log.debug("socket connected");
    const failed = (error: unknown) => {
      ctx.log.error({ err: error }, "could not prepare the connection");
      socket.disconnect(true);
    };
    const ready = (connect: ConnectState) => {
      if (!socket.connected) return;
      // Rooms come from the database: missed broadcasts replay only where the user still belongs.
      const replayed = replayRecoveredPackets(socket, socket.data.recovery);
      delete socket.data.recovery;
      if (socket.recovered) ctx.log.debug({ replayed }, "connection state recovered");
      socket.emit("session:ready", { user, serverTime: Date.now() });
      socket.emit("chat:unread-counts", { counts: connect.counts });
      socket.emit("notification:count", { unreadCount: connect.unreadNotifications });
    };
    const start = (connect: ConnectState, rooms: string[]) => {
      if (!socket.connected) return;
      registerPresenceHandlers(ctx, connect);
      const joined = socket.join([...rooms, ...connect.counts.map((count) => conversationRoom(count.conversationId))]);
      // session:ready promises the rooms are joined. The in-memory and cluster adapters join at once,
      // and then it leaves in the connect ack's write (the ack is flushed at the end of this tick).
      if (joined instanceof Promise) joined.then(() => ready(connect), failed);
      else ready(connect);
    };
    if (held) start(held, ownRooms);
    else {
      // A room changed since the read: in the user room first, so a change from now on reaches this socket, then read again.
      Promise.resolve(socket.join(ownRooms))
        .then(() => loadConnectState(userId))
        .then((connect) => start(connect, []))
        .catch(failed);
    }
  });

  registerAdminPeerHandlers(io, deps);
  closeUnfinishedCalls({ io, deps }).catch((error: unknown) => deps.logger.error({ err: error }, "could not close unfinished calls"));
  setRealtimeServer(io);
  return io;
}

/**
 * Process entrypoint: one http.Server serves Next.js and Socket.IO on one port.
 * Wiring only: configuration, migrations, the two handlers, graceful shutdown.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

import type next from "next";

import { resolveAuthSecret } from "@/lib/auth/secret";
import { isSocketTokenRequest, serveSocketToken } from "@/lib/auth/socket-token-endpoint";
import { closeDb, dbReady } from "@/lib/db";
import { applyMigrations } from "@/lib/db/migrate";
import { EnvError, getServerEnv, type ServerEnv } from "@/lib/env";
import { getLogger } from "@/lib/logger";
import { installProcessMetrics } from "@/lib/ops/metrics";
import { isMetricsRequest, serveMetrics } from "@/lib/ops/metrics-endpoint";
import { markDraining } from "@/lib/ops/readiness";
import { createRealtimeDeps } from "@/lib/realtime/server/deps";
import { drainRealtime, RECONNECT_WITHIN_MS } from "@/lib/realtime/server/drain";
import { createRealtimeServer } from "@/lib/realtime/server/io";
import { liveSources } from "@/lib/realtime/server/live-counts";
import { startScaleOut } from "@/lib/realtime/server/scale-out";
import { setRealtimeServer } from "@/lib/realtime/server/registry";
import { startMaintenance } from "@/lib/services/maintenance";
import { prepareSends } from "@/lib/services/message-service";

type NextApp = ReturnType<typeof next>;

/**
 * Connections the kernel holds for us while the event loop is busy (capped by net.core.somaxconn,
 * 4096 on current Linux). Node's default, 511, overflowed in a reconnect storm: the kernel then drops
 * the SYN and the client's TCP retries after 1, 3, 7 s; ~5 % of 5,000 clients came back ~8 s after
 * the stop for that alone (docs/PERFORMANCE.md).
 */
const LISTEN_BACKLOG = 65_535;

function loadConfig(): { env: ServerEnv; secret: string } {
  try {
    const env = getServerEnv();
    return { env, secret: resolveAuthSecret(env) };
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(`Parley cannot start. ${error.message}`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
}

async function main(): Promise<void> {
  const { env, secret } = loadConfig();
  const logger = getLogger();
  // Before the first query, so database time is measured from the start.
  const metrics = installProcessMetrics();
  // next-auth inside Next's bundle reads these from the same process.
  process.env.NEXTAUTH_SECRET = secret;

  const { applied } = await applyMigrations({ databaseUrl: env.DATABASE_URL });
  if (applied.length > 0) logger.info({ applied }, "database migrations applied");

  const dev = env.NODE_ENV !== "production";
  // Sockets and socket tokens do not need Next: it is loaded and prepared once the port is open, so
  // after a restart reconnecting clients are let in sooner (each refused try puts a client on a
  // longer backoff; loading Next's modules was ~40 % of the time before the port opened). A page
  // request in that moment waits for Next instead.
  let handleRequest: ReturnType<NextApp["getRequestHandler"]> | null = null;
  const loadNext = async (): Promise<NextApp> => {
    const { default: createNext } = await import("next");
    const app = createNext({ dev, hostname: env.HOST, port: env.PORT, quiet: !dev });
    await app.prepare();
    handleRequest = app.getRequestHandler();
    return app;
  };
  /** Set as the port opens (before it no request can arrive); a failure ends the start below. */
  let nextLoaded: Promise<NextApp> | null = null;
  await dbReady();
  // The send worker starts meanwhile too: awaited before the ready line, not before the port opens.
  const sendsPrepared = prepareSends();
  sendsPrepared.catch(() => undefined); // awaited below

  const httpServer = createServer((req, res) => {
    // Served here, not by Next: checked before X-Forwarded-For is rewritten (a proxy header refuses loopback access).
    if (isMetricsRequest(req)) return void serveMetrics(req, res, { metrics, token: env.METRICS_TOKEN });
    // Per-IP limits read X-Forwarded-For; unless a trusted proxy sets it, it is the peer address.
    if (!env.TRUST_PROXY) req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "unknown";
    // Every reconnecting client asks for one: answered without Next's request pipeline (same code as the route).
    if (isSocketTokenRequest(req)) return void serveSocketToken(req, res, secret);
    if (handleRequest) return void handleRequest(req, res);
    void nextLoaded?.then(() => handleRequest?.(req, res), () => res.destroy());
  });
  // Before the deps: the rate limiter and shared state pick Redis when it is configured.
  const scaleOut = env.REDIS_URL ? await startScaleOut(env.REDIS_URL, logger) : null;
  const deps = { ...createRealtimeDeps({ env, secret, logger, metrics }), ...(scaleOut ? { adapter: scaleOut.adapter } : {}) };
  const io = createRealtimeServer(httpServer, deps);
  scaleOut?.attach(io, deps);
  metrics.setLiveSources(liveSources(io));

  httpServer.once("error", (error) => {
    logger.fatal({ err: error }, "http server failed");
    process.exit(1);
  });
  await new Promise<void>((resolve) => httpServer.listen({ port: env.PORT, host: env.HOST, backlog: LISTEN_BACKLOG }, resolve));
  nextLoaded = loadNext();
  const [app] = await Promise.all([nextLoaded, sendsPrepared]);
  const { port } = httpServer.address() as AddressInfo;
  process.env.NEXTAUTH_URL ??= `http://${env.HOST === "0.0.0.0" ? "localhost" : env.HOST}:${port}`;
  const stopMaintenance = startMaintenance(logger);
  console.log(`> Parley ready on http://${env.HOST}:${port} (${dev ? "development" : "production"})`);

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    setTimeout(() => {
      logger.error("shutdown timed out; exiting");
      process.exit(1);
    }, env.SHUTDOWN_TIMEOUT_MS).unref();
    // Rolling restart: not ready (load balancers stop routing here), no new connections, clients told
    // to reconnect elsewhere, requests already sent answered, then every socket closed.
    markDraining();
    httpServer.close();
    stopMaintenance();
    const noticeMs = Math.min(env.SHUTDOWN_NOTICE_MS, Math.floor(env.SHUTDOWN_TIMEOUT_MS / 4));
    void drainRealtime(io, deps, {
      noticeMs,
      timeoutMs: Math.max(100, env.SHUTDOWN_TIMEOUT_MS - noticeMs - 2_000),
      reconnectWithinMs: RECONNECT_WITHIN_MS,
    })
      .then(() => {
        setRealtimeServer(null);
        // io.close() ends what is left (sockets, engine) and the listener.
        return io.close();
      })
      .then(() => httpServer.closeAllConnections())
      .then(() => scaleOut?.stop())
      .then(() => app.close())
      .then(() => closeDb())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, "error during shutdown");
          process.exit(1);
        },
      );
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

main().catch((error: unknown) => {
  console.error("Parley failed to start:", error);
  process.exit(1);
});

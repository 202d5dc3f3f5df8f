/** The production dependencies of the realtime server: real token check over Prisma, real limiter. */
import type { Logger } from "pino";

import { verifySocketToken } from "@/lib/auth/socket-token";
import type { ServerEnv } from "@/lib/env";
import { isSessionRevoked } from "@/lib/services/session-service";
import { findSessionUser } from "@/lib/services/user-service";
import type { RealtimeMetrics } from "@/lib/ops/metrics";
import { createDrainState } from "./drain";
import { createRateLimiter } from "./rate-limit";
import type { AuthenticateResult, RealtimeDeps } from "./types";

export function createRealtimeDeps(options: { env: ServerEnv; secret: string; logger: Logger; metrics: RealtimeMetrics }): RealtimeDeps {
  const { env, secret, logger, metrics } = options;
  const allowedOrigins = [...(env.ALLOWED_ORIGINS ?? [])];
  if (env.NEXTAUTH_URL) allowedOrigins.push(new URL(env.NEXTAUTH_URL).origin);

  const authenticate = async (token: unknown): Promise<AuthenticateResult> => {
    const verified = await verifySocketToken(secret, token);
    if (!verified.ok) return { ok: false, code: "UNAUTHORIZED" };
    const { userId, sid } = verified.claims;
    try {
      const [revoked, user] = await Promise.all([isSessionRevoked(sid), findSessionUser(userId)]);
      if (revoked || !user) return { ok: false, code: "UNAUTHORIZED" };
      return { ok: true, identity: { user, sid } };
    } catch (error) {
      logger.error({ err: error, userId }, "database unavailable during handshake");
      return { ok: false, code: "UNAVAILABLE" };
    }
  };

  return {
    authenticate,
    rateLimiter: createRateLimiter({ pointsPerSecond: env.RATE_LIMIT_PER_SECOND }),
    logger,
    allowedOrigins,
    requestTimeoutMs: 10_000,
    metrics,
    drain: createDrainState(),
  };
}

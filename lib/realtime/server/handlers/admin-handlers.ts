/** Administrators only: live counts for the admin dashboard (polled); sockets are this process's. */
import { AppError } from "@/lib/errors";
import { processInfo } from "@/lib/ops/process-info";
import { adminStatsInputSchema, type AdminStatsDto } from "@/lib/realtime/protocol";
import { defineAckHandler } from "../define-handler";
import { liveSources } from "../live-counts";
import type { HandlerContext } from "../types";

const stats = defineAckHandler("admin:stats", adminStatsInputSchema, async (_input, { io, socket, deps }): Promise<AdminStatsDto> => {
  // The role the handshake resolved (first account or ADMIN_EMAILS); the page hides itself too, but this decides.
  if (socket.data.user.role !== "admin") throw new AppError("FORBIDDEN", { userMessage: "Only administrators can see these figures." });
  const live = liveSources(io);
  const [active, ringing] = await Promise.all([live.activeCalls(), live.ringingCalls()]);
  const calls = { active, ringing };
  const rates = deps.metrics.recentRates();
  const info = processInfo();
  const now = new Date();
  return {
    process: {
      id: info.id,
      hostname: info.hostname,
      pid: info.pid,
      startedAt: info.startedAt.toISOString(),
      uptimeSeconds: Math.round(process.uptime()),
      draining: deps.drain.isDraining,
    },
    connectedUsers: live.connectedUsers(),
    openSockets: live.openSockets(),
    activeCalls: calls.active,
    ringingCalls: calls.ringing,
    matchQueueLength: await live.matchQueueLength(),
    errorRate: { perMinute: rates.errorsPerMinute, errors: rates.errors, windowSeconds: rates.windowSeconds, byCode: rates.errorsByCode },
    requestsPerMinute: rates.requestsPerMinute,
    generatedAt: now.toISOString(),
  };
});

export function registerAdminHandlers(ctx: HandlerContext): void {
  ctx.socket.on("admin:stats", stats(ctx));
}

/**
 * Administrators only: live counts for the admin dashboard (polled). With several processes (the
 * Redis adapter) the answering one asks the others for their own counts and lists them all.
 */
import { AppError } from "@/lib/errors";
import { processInfo } from "@/lib/ops/process-info";
import { ADMIN_PEER_TIMEOUT_MS, type AdminProcessCountsDto, adminStatsInputSchema, type AdminStatsDto } from "@/lib/realtime/protocol";
import { defineAckHandler } from "../define-handler";
import { liveSources } from "../live-counts";
import type { AppServer, RealtimeDeps } from "../types";

function ownCounts(io: AppServer, deps: RealtimeDeps): AdminProcessCountsDto {
  const live = liveSources(io);
  const info = processInfo();
  const rates = deps.metrics.recentRates();
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
    errorsPerMinute: rates.errorsPerMinute,
    requestsPerMinute: rates.requestsPerMinute,
  };
}

/** The other processes' counts; none when they do not all answer in time (a dying process): the dashboard polls again. */
function peerCounts(io: AppServer, deps: RealtimeDeps): Promise<AdminProcessCountsDto[]> {
  // The memory adapter has no peers (and no serverSideEmit).
  if (!deps.adapter) return Promise.resolve([]);
  return new Promise((resolve) => {
    // The adapter answers once every live process has (or after its own request timeout, with what came).
    const timer = setTimeout(() => resolve([]), ADMIN_PEER_TIMEOUT_MS);
    (io.serverSideEmit as (event: string, ack: (error: Error | null, responses?: AdminProcessCountsDto[]) => void) => boolean)(
      "admin:process-counts",
      (_error, responses) => {
        clearTimeout(timer);
        resolve(responses ?? []);
      },
    );
  });
}

defineAckHandler("admin:stats", adminStatsInputSchema, async (_input, { io, socket, deps }): Promise<AdminStatsDto> => {
  // The role the handshake resolved (first account or ADMIN_EMAILS); the page hides itself too, but this decides.
  if (socket.data.user.role !== "admin") throw new AppError("FORBIDDEN", { userMessage: "Only administrators can see these figures." });
  const live = liveSources(io);
  const own = ownCounts(io, deps);
  const [peers, activeCalls, ringingCalls, matchQueueLength] = await Promise.all([peerCounts(io, deps), live.activeCalls(), live.ringingCalls(), live.matchQueueLength()]);
  const rates = deps.metrics.recentRates();
  return {
    process: own.process,
    processes: [own, ...peers.sort((a, b) => a.process.id.localeCompare(b.process.id))],
    connectedUsers: own.connectedUsers,
    openSockets: own.openSockets,
    activeCalls,
    ringingCalls,
    matchQueueLength,
    errorRate: { perMinute: rates.errorsPerMinute, errors: rates.errors, windowSeconds: rates.windowSeconds, byCode: rates.errorsByCode },
    requestsPerMinute: rates.requestsPerMinute,
    generatedAt: new Date().toISOString(),
  };
});


/** Once per server: answer the other processes' requests for this one's counts. */
export function registerAdminPeerHandlers(io: AppServer, deps: RealtimeDeps): void {
  io.on("admin:process-counts", (ack) => ack(ownCounts(io, deps)));
}

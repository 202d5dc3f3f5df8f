/**
 * The operations part of the one contract (re-exported by protocol.ts, merged into its event maps):
 * live counts for administrators. Isomorphic: zod and types only.
 *
 * Every figure is for the one process that answers (`process.id`): with several processes, a
 * dashboard asks each of them (or reads Prometheus, which scrapes each), never adds them up here.
 */
import { z } from "zod";

import type { AckCallback } from "./protocol";

/** How often the admin dashboard asks for fresh counts. */
export const ADMIN_STATS_POLL_MS = 3_000;
/** The window of the recent error rate. */
export const ADMIN_ERROR_WINDOW_SECONDS = 300;

export const adminStatsInputSchema = z.object({}).strict();

export type AdminProcessDto = {
  /** Stable for the life of the process: `<hostname>:<pid>`. */
  id: string;
  hostname: string;
  pid: number;
  startedAt: string;
  uptimeSeconds: number;
  /** True once SIGTERM was received: clients are being moved elsewhere. */
  draining: boolean;
};

export type AdminStatsDto = {
  process: AdminProcessDto;
  /** Distinct users with at least one socket on this process. */
  connectedUsers: number;
  openSockets: number;
  /** Answered calls whose state lives on this process. */
  activeCalls: number;
  ringingCalls: number;
  matchQueueLength: number;
  /** Failed acks (any typed error code) per minute over the last `windowSeconds` (or the uptime, if shorter). */
  errorRate: { perMinute: number; errors: number; windowSeconds: number; byCode: Partial<Record<string, number>> };
  /** Requests answered per minute over the same window, for scale. */
  requestsPerMinute: number;
  generatedAt: string;
};

export type AdminClientEvents = {
  /** Administrators only (FORBIDDEN otherwise): live counts of the answering process. */
  "admin:stats": (input: z.infer<typeof adminStatsInputSchema>, ack: AckCallback<AdminStatsDto>) => void;
};

export type AdminServerEvents = Record<never, never>;

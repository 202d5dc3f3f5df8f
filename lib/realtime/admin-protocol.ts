/**
 * The operations part of the one contract (re-exported by protocol.ts, merged into its event maps):
 * live counts for administrators. Isomorphic: zod and types only.
 *
 * The figures are the answering process's (`process.id`), except calls and the match queue, whose
 * state is shared in the scale-out setup; `processes` lists every process that answered in time
 * (this one first), so the dashboard shows users and sockets per process. Prometheus scrapes each.
 */
import { z } from "zod";

import type { AckCallback } from "./protocol";

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

/** One process's own load, as every process reports it to the one asking (InterServerEvents). */
export type AdminProcessCountsDto = {
  process: AdminProcessDto;
  connectedUsers: number;
  openSockets: number;
  errorsPerMinute: number;
  requestsPerMinute: number;
};

export type AdminStatsDto = {
  process: AdminProcessDto;
  /** This process first, then every other one that answered within ADMIN_PEER_TIMEOUT_MS. */
  processes: AdminProcessCountsDto[];
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

/** Between server processes (the Redis adapter): each answers with its own counts. */
export type AdminInterServerEvents = {
  "admin:process-counts": (ack: (counts: AdminProcessCountsDto) => void) => void;
};

/**
 * The match part of the one contract (re-exported by protocol.ts, merged into its event maps):
 * anonymous voice calls with strangers, paired by language and mood. Isomorphic: zod and types only.
 *
 * Privacy rule for every type below: nothing that reaches one side may carry the other side's user
 * id, name, email, avatar or anything else that maps back to the account. The other side is an
 * alias, fresh and random for each match. A match call travels through the calls stack (`call:*`
 * events); for a match call the server sends each side a CallDto in which the other participant is
 * `{ id: MATCH_PEER_ID, name: <alias>, avatarColor: <from the alias> }` and `match` is set.
 */
import { z } from "zod";

import { MATCH_MOODS, MATCH_LANGUAGES, MATCH_TOPIC_MAX_LENGTH, MATCH_FEEDBACK_MAX_LENGTH, MATCH_REPORT_DETAILS_MAX_LENGTH, MATCH_REPORT_REASONS, type MatchMood, type MatchLanguage, type MatchReportReason } from "./protocol-constants";

import { text } from "./text-schema";

import type { AckCallback, CallDto, PublicUserDto } from "./protocol";

const idSchema = text().min(1).max(64);

// ── Client → server ──────────────────────────────────────────────────────────
const topicSchema = z
  .string()
  .trim()
  .max(MATCH_TOPIC_MAX_LENGTH)
  .transform((topic) => (topic.length > 0 ? topic : null))
  .nullable()
  .optional();
export const matchJoinInputSchema = z.object({ mood: z.enum(MATCH_MOODS), language: z.enum(MATCH_LANGUAGES), topic: topicSchema }).strict();
export type MatchJoinInput = z.input<typeof matchJoinInputSchema>;
export const matchTargetInputSchema = z.object({ matchId: idSchema }).strict();
export const matchRateInputSchema = z
  .object({ matchId: idSchema, score: z.number().int().min(1).max(5), feedback: text().trim().max(MATCH_FEEDBACK_MAX_LENGTH).nullable().optional() })
  .strict();
export const matchReportInputSchema = z
  .object({ matchId: idSchema, reason: z.enum(MATCH_REPORT_REASONS), details: text().trim().max(MATCH_REPORT_DETAILS_MAX_LENGTH).nullable().optional() })
  .strict();
export const matchReportsInputSchema = z.object({ before: text().min(1).max(128).nullable().optional() }).strict();

// ── Server → client DTOs ─────────────────────────────────────────────────────
export type MatchPreferencesDto = { mood: MatchMood; language: MatchLanguage; topic: string | null };

/** Waiting in the queue. Position counts from 1 among the people waiting for the same language. */
export type MatchQueuedDto = {
  state: "queued";
  preferences: MatchPreferencesDto;
  position: number;
  /** People waiting for the same language, this one included. */
  waiting: number;
  /** From recent waits for this language; null until there is any. */
  estimateSeconds: number | null;
  joinedAt: string;
  /** The wait passed MATCH_RELAX_AFTER_MS: any mood is now acceptable. */
  relaxed: boolean;
};

/** One side's view of a match. Never the other side's identity: only its alias, mood and topic. */
export type MatchDto = {
  id: string;
  callId: string;
  /** The caller sends the first offer; the callee answers. */
  role: "caller" | "callee";
  language: MatchLanguage;
  /** `avatarColor` is derived from the alias, the same colour the match call's CallDto shows. */
  self: { alias: string; avatarColor: string; mood: MatchMood; topic: string | null };
  peer: { alias: string; avatarColor: string; mood: MatchMood; topic: string | null };
  createdAt: string;
  /** Null while the call is live. */
  endedAt: string | null;
  durationSeconds: number;
  /** What this side did after the call. */
  myRating: { score: number; feedback: string | null } | null;
  blocked: boolean;
  reported: boolean;
};

export type MatchLeftReason = "call-started" | "replaced" | "left";

export type MatchStatusDto = { state: "idle" } | MatchQueuedDto | { state: "matched"; match: MatchDto };

/** Carried by a match call's CallDto (`CallDto.match`), so call views can show aliases. */
export type CallMatchDto = { matchId: string; selfAlias: string; peerAlias: string };

/** For administrators only: a report with both accounts, for moderation. */
export type MatchReportDto = {
  id: string;
  matchId: string;
  reason: MatchReportReason;
  details: string | null;
  createdAt: string;
  reporter: PublicUserDto & { email: string };
  reported: PublicUserDto & { email: string };
  cursor: string;
};
export type MatchReportsPageDto = { items: MatchReportDto[]; hasMore: boolean };

// ── Event maps (merged into protocol.ts) ─────────────────────────────────────
export type MatchClientEvents = {
  /**
   * Joins the queue (or changes preferences while queued, keeping the place). CONFLICT while in a
   * call or a live match. The answer is "queued", or "matched" when a partner was waiting.
   */
  "match:join": (input: z.input<typeof matchJoinInputSchema>, ack: AckCallback<MatchStatusDto>) => void;
  /** Leaves the queue; a no-op when not queued. */
  "match:leave": (input: Record<string, never>, ack: AckCallback<{ state: "idle" }>) => void;
  /** Ends the live match call and joins the queue again with the same preferences. */
  "match:skip": (input: z.infer<typeof matchTargetInputSchema>, ack: AckCallback<MatchStatusDto>) => void;
  /** Where this user stands: after a reload or a reconnect. */
  "match:status": (input: Record<string, never>, ack: AckCallback<MatchStatusDto>) => void;
  /** 1–5 and optional feedback, once the call is over; rating again replaces it. */
  "match:rate": (input: z.infer<typeof matchRateInputSchema>, ack: AckCallback<MatchDto>) => void;
  /** Never be matched with this person again; ends the call if it is live. */
  "match:block": (input: z.infer<typeof matchTargetInputSchema>, ack: AckCallback<MatchDto>) => void;
  /** Stored for administrators; one report per match and side (a second one replaces the first). */
  "match:report": (input: z.infer<typeof matchReportInputSchema>, ack: AckCallback<MatchDto>) => void;
  /** Administrators only (FORBIDDEN otherwise): reports, newest first. */
  "match:reports": (input: z.infer<typeof matchReportsInputSchema>, ack: AckCallback<MatchReportsPageDto>) => void;
};

export type MatchServerEvents = {
  /**
   * To the queued socket whenever its position or "relaxed" changed (not when only the count
   * waiting did: someone joining behind you pushes nothing).
   */
  "match:queue": (event: MatchQueuedDto) => void;
  /** To each side's queued socket: the call is already answered; the caller offers at once. */
  "match:found": (event: { match: MatchDto; call: CallDto }) => void;
  /**
   * This tab is out of the queue without having asked: a call started, another tab joined in its
   * place ("replaced"), or another tab left the queue ("left").
   */
  "match:left": (event: { reason: MatchLeftReason }) => void;
};

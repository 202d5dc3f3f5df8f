/**
 * Matches in the database: the Match row and its answered Call row, created together; what each
 * side did afterwards (rating, report, block); who a person must never be matched with; the
 * administrators' report list; and each side's MatchDto. Node-only; the queue and the emitting
 * are the match handlers' (lib/realtime/server/handlers/match-handlers.ts).
 *
 * Both accounts are stored (side A is the call's caller) so administrators can act on a report,
 * but a MatchDto never carries either: a side sees its own alias, mood and topic and the other's.
 */
import { randomBytes } from "node:crypto";

import { dbReady } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import {
  MATCH_LANGUAGES,
  MATCH_MOODS,
  MATCH_REPORT_REASONS,
  MATCH_REPORTS_PAGE_SIZE,
  type MatchDto,
  type MatchLanguage,
  type MatchMood,
  type MatchReportDto,
  type MatchReportReason,
  type MatchReportsPageDto,
} from "@/lib/realtime/protocol";
import { type CallRecord, durationOf } from "@/lib/realtime/server/calls/call-machine";
import type { MatchPreferences } from "@/lib/realtime/server/match/pairing";
import { toCallRecord } from "@/lib/services/call-service";
import { avatarColorFor, decodeCursor, encodeCursor } from "@/lib/services/chat-dto";
import { TX_OPTIONS } from "@/lib/services/message-service";

/** 128 random bits, base64url: unguessable, so someone else's match id cannot be probed. */
export const newMatchId = (): string => randomBytes(16).toString("base64url");

export type MatchRecord = {
  id: string;
  callId: string;
  /** Side A: the call's caller (the one who had waited longer). */
  userAId: string;
  userBId: string;
  aliasA: string;
  aliasB: string;
  moodA: MatchMood;
  moodB: MatchMood;
  topicA: string | null;
  topicB: string | null;
  language: MatchLanguage;
  createdAt: Date;
};

type MatchRow = Prisma.MatchGetPayload<object>;

const pick = <T extends string>(allowed: readonly T[], value: string, fallback: T): T => allowed.find((item) => item === value) ?? fallback;

function toMatchRecord(row: MatchRow): MatchRecord {
  return {
    id: row.id,
    callId: row.callId,
    userAId: row.userAId,
    userBId: row.userBId,
    aliasA: row.aliasA,
    aliasB: row.aliasB,
    moodA: pick(MATCH_MOODS, row.moodA, "chill"),
    moodB: pick(MATCH_MOODS, row.moodB, "chill"),
    topicA: row.topicA,
    topicB: row.topicB,
    language: pick(MATCH_LANGUAGES, row.language, "en"),
    createdAt: row.createdAt,
  };
}

export const isSideA = (match: Pick<MatchRecord, "userAId">, userId: string): boolean => match.userAId === userId;
export const otherUserOf = (match: Pick<MatchRecord, "userAId" | "userBId">, userId: string): string => (isSideA(match, userId) ? match.userBId : match.userAId);

/** What `userId` asked for when queueing: a skip joins again with exactly that. */
export function preferencesOf(match: MatchRecord, userId: string): MatchPreferences {
  return isSideA(match, userId)
    ? { mood: match.moodA, language: match.language, topic: match.topicA }
    : { mood: match.moodB, language: match.language, topic: match.topicB };
}

/**
 * Everyone `userId` must never be matched with: blocks in either direction, the app's (Block) and
 * the match ones (MatchBlock). Two queries, once per join.
 */
export async function loadMatchExclusions(userId: string): Promise<Set<string>> {
  const db = await dbReady();
  const either = { OR: [{ blockerId: userId }, { blockedId: userId }] };
  const select = { blockerId: true, blockedId: true } as const;
  const [blocks, matchBlocks] = await Promise.all([db.block.findMany({ where: either, select }), db.matchBlock.findMany({ where: either, select })]);
  return new Set([...blocks, ...matchBlocks].map((block) => (block.blockerId === userId ? block.blockedId : block.blockerId)));
}

/** The Match row and its Call row (already answered, matchId set), in one transaction. */
export async function createMatchRecords(match: MatchRecord, call: CallRecord): Promise<void> {
  const db = await dbReady();
  await db.$transaction(async (tx) => {
    await tx.match.create({ data: { ...match } });
    await tx.call.create({
      data: {
        id: call.id,
        callerId: call.callerId,
        calleeId: call.calleeId,
        kind: call.kind,
        status: call.status,
        outcome: call.outcome,
        endReason: call.endReason,
        conversationId: null,
        createdAt: call.createdAt,
        answeredAt: call.answeredAt,
        endedAt: call.endedAt,
        durationSeconds: call.durationSeconds,
        matchId: match.id,
      },
    });
  }, TX_OPTIONS);
}

/** The match if `userId` was one of its sides; null otherwise (someone else's id looks unknown). */
export async function findParticipantMatch(matchId: string, userId: string): Promise<MatchRecord | null> {
  const db = await dbReady();
  const row = await db.match.findFirst({ where: { id: matchId, OR: [{ userAId: userId }, { userBId: userId }] } });
  return row ? toMatchRecord(row) : null;
}

export async function findMatchOfCall(callId: string): Promise<MatchRecord | null> {
  const db = await dbReady();
  const row = await db.match.findUnique({ where: { callId } });
  return row ? toMatchRecord(row) : null;
}

type CallTimes = Pick<CallRecord, "answeredAt" | "endedAt" | "durationSeconds">;
type AfterCall = Pick<MatchDto, "myRating" | "blocked" | "reported">;
const NOTHING_YET: AfterCall = { myRating: null, blocked: false, reported: false };

/** One side's view. `call` is the live record while the call lasts (the duration grows), then the stored one. */
export function toMatchDto(match: MatchRecord, viewerId: string, call: CallTimes, after: AfterCall = NOTHING_YET, now = new Date()): MatchDto {
  const a = { alias: match.aliasA, avatarColor: avatarColorFor(match.aliasA), mood: match.moodA, topic: match.topicA };
  const b = { alias: match.aliasB, avatarColor: avatarColorFor(match.aliasB), mood: match.moodB, topic: match.topicB };
  const viewerIsA = isSideA(match, viewerId);
  return {
    id: match.id,
    callId: match.callId,
    role: viewerIsA ? "caller" : "callee",
    language: match.language,
    self: viewerIsA ? a : b,
    peer: viewerIsA ? b : a,
    createdAt: match.createdAt.toISOString(),
    endedAt: call.endedAt?.toISOString() ?? null,
    durationSeconds: call.endedAt ? call.durationSeconds : durationOf(call.answeredAt, now),
    ...after,
  };
}

/** The viewer's MatchDto with what they did after the call; `live` is the call while it lasts. */
export async function loadMatchDto(match: MatchRecord, viewerId: string, live: CallRecord | null): Promise<MatchDto> {
  const db = await dbReady();
  const [rating, report, block, callRow] = await Promise.all([
    db.matchRating.findUnique({ where: { matchId_raterId: { matchId: match.id, raterId: viewerId } }, select: { score: true, feedback: true } }),
    db.matchReport.findUnique({ where: { matchId_reporterId: { matchId: match.id, reporterId: viewerId } }, select: { id: true } }),
    db.matchBlock.findUnique({ where: { blockerId_blockedId: { blockerId: viewerId, blockedId: otherUserOf(match, viewerId) } }, select: { blockerId: true } }),
    live ? null : db.call.findUnique({ where: { id: match.callId } }),
  ]);
  const call: CallTimes = live ?? (callRow ? toCallRecord(callRow) : { answeredAt: null, endedAt: match.createdAt, durationSeconds: 0 });
  return toMatchDto(match, viewerId, call, { myRating: rating, blocked: block !== null, reported: report !== null });
}

/** 1–5 with optional feedback; rating again replaces it. */
export async function rateMatch(match: MatchRecord, raterId: string, input: { score: number; feedback?: string | null | undefined }): Promise<void> {
  const db = await dbReady();
  const feedback = input.feedback?.trim() ? input.feedback.trim() : null;
  await db.matchRating.upsert({
    where: { matchId_raterId: { matchId: match.id, raterId } },
    create: { matchId: match.id, raterId, score: input.score, feedback },
    update: { score: input.score, feedback },
  });
}

/** Never match these two again. Returns the blocked user's id (for the live queue, never for the wire). */
export async function blockFromMatch(match: MatchRecord, blockerId: string): Promise<string> {
  const db = await dbReady();
  const blockedId = otherUserOf(match, blockerId);
  await db.matchBlock.upsert({
    where: { blockerId_blockedId: { blockerId, blockedId } },
    create: { blockerId, blockedId, matchId: match.id },
    update: {},
  });
  return blockedId;
}

/** One report per match and reporter: a second one replaces the first (and counts from now). */
export async function reportMatch(
  match: MatchRecord,
  reporterId: string,
  input: { reason: MatchReportReason; details?: string | null | undefined },
): Promise<void> {
  const db = await dbReady();
  const details = input.details?.trim() ? input.details.trim() : null;
  const reportedId = otherUserOf(match, reporterId);
  await db.matchReport.upsert({
    where: { matchId_reporterId: { matchId: match.id, reporterId } },
    create: { matchId: match.id, reporterId, reportedId, reason: input.reason, details },
    update: { reason: input.reason, details, createdAt: new Date() },
  });
}

/** For administrators: reports newest first by (createdAt, id); `before` is the last item's cursor. */
export async function listMatchReports(before: string | null | undefined): Promise<MatchReportsPageDto> {
  const db = await dbReady();
  const where: Prisma.MatchReportWhereInput = {};
  if (before) {
    const [at = "", id = ""] = decodeCursor(before, 2);
    const createdAt = new Date(at);
    if (Number.isNaN(createdAt.getTime()) || id.length === 0) throw new AppError("INVALID_PAYLOAD", { userMessage: "That page cursor is not valid." });
    where.OR = [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }];
  }
  const rows = await db.matchReport.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: MATCH_REPORTS_PAGE_SIZE + 1 });
  const page = rows.slice(0, MATCH_REPORTS_PAGE_SIZE);
  const ids = [...new Set(page.flatMap((row) => [row.reporterId, row.reportedId]))];
  const users = new Map((await db.user.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, email: true } })).map((user) => [user.id, user]));
  const account = (id: string) => {
    const user = users.get(id) ?? { id, name: "Deleted user", email: "" };
    return { id: user.id, name: user.name, avatarColor: avatarColorFor(user.id), email: user.email };
  };
  const items: MatchReportDto[] = page.map((row) => ({
    id: row.id,
    matchId: row.matchId,
    reason: pick(MATCH_REPORT_REASONS, row.reason, "other"),
    details: row.details,
    createdAt: row.createdAt.toISOString(),
    reporter: account(row.reporterId),
    reported: account(row.reportedId),
    cursor: encodeCursor([row.createdAt.toISOString(), row.id]),
  }));
  return { items, hasMore: rows.length > MATCH_REPORTS_PAGE_SIZE };
}

/**
 * Calls in the database: who may call whom, the stored Call record, its DTO, history paging and
 * the chat line an ended call leaves. Node-only; the live state and the emitting are the call
 * handlers' (lib/realtime/server/handlers/call-handlers.ts).
 *
 * A match call (anonymous, lib/services/match-service.ts) is a Call row with `matchId` set. Its
 * DTO depends on who looks: the viewer's own side is their real user, the other side only an
 * alias (`MATCH_PEER_ID`), so every DTO here is built for one viewer.
 */
import { randomBytes } from "node:crypto";

import { dbReady } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import {
  CALL_HISTORY_PAGE_SIZE,
  CALL_KINDS,
  type CallDto,
  type CallEndReason,
  type CallHistoryPageDto,
  type CallKind,
  type CallOutcome,
  type CallStatus,
  MATCH_PEER_ID,
  type MessageDto,
  type PublicUserDto,
} from "@/lib/realtime/protocol";
import type { CallRecord } from "@/lib/realtime/server/calls/call-machine";
import { avatarColorFor, decodeCursor, encodeCursor, publicUserOf, toUsersById, type UsersById } from "@/lib/services/chat-dto";
import { directKeyOf } from "@/lib/services/conversation-service";
import { appendSystemMessage, toMessageDtos, TX_OPTIONS } from "@/lib/services/message-service";

/** 128 random bits, base64url (22 characters): unguessable, unrelated to any other call's id. */
export const newCallId = (): string => randomBytes(16).toString("base64url");

const forbidden = (userMessage: string) => new AppError("FORBIDDEN", { userMessage });

export type Callable = { conversationId: string | null; isContact: boolean };

/**
 * A call may go to a contact or to the other member of an existing direct chat; never to oneself,
 * never between people where either blocked the other. Anyone who may not be called is NOT_FOUND,
 * exactly like an unknown id: a refusal must not tell a stranger that the id is a person, nor the
 * blocked side that it was blocked (as opening a direct chat does; test/security/authorization).
 */
export async function checkCallable(callerId: string, calleeId: string): Promise<Callable> {
  if (callerId === calleeId) throw forbidden("You can't call yourself.");
  const db = await dbReady();
  const [callee, blocks, contact, direct] = await Promise.all([
    db.user.findUnique({ where: { id: calleeId }, select: { id: true } }),
    db.block.count({ where: { OR: [{ blockerId: callerId, blockedId: calleeId }, { blockerId: calleeId, blockedId: callerId }] } }),
    db.contact.findUnique({ where: { ownerId_contactId: { ownerId: callerId, contactId: calleeId } }, select: { ownerId: true } }),
    db.conversation.findUnique({ where: { directKey: directKeyOf(callerId, calleeId) }, select: { id: true } }),
  ]);
  if (!callee || blocks > 0 || (!contact && !direct)) throw new AppError("NOT_FOUND", { userMessage: "That person was not found." });
  return { conversationId: direct?.id ?? null, isContact: contact !== null };
}

/** Both participants' names, for DTOs. */
export async function loadCallUsers(ids: readonly string[]): Promise<UsersById> {
  const db = await dbReady();
  return toUsersById(await db.user.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } }));
}

/** A regular call's DTO: the same for both participants. */
export function toCallDto(call: CallRecord, users: UsersById): CallDto {
  return {
    id: call.id,
    kind: call.kind,
    caller: publicUserOf(users, call.callerId),
    callee: publicUserOf(users, call.calleeId),
    conversationId: call.conversationId,
    status: call.status,
    outcome: call.outcome,
    endReason: call.endReason,
    createdAt: call.createdAt.toISOString(),
    answeredAt: call.answeredAt?.toISOString() ?? null,
    endedAt: call.endedAt?.toISOString() ?? null,
    durationSeconds: call.durationSeconds,
    match: null,
  };
}

/**
 * Regular calls always have their direct conversation (call:start opens one); only a match call
 * has none. This is what live code can tell without the database; the row's matchId is the record.
 */
export const isMatchCall = (call: Pick<CallRecord, "conversationId">): boolean => call.conversationId === null;

/** What a match call's DTOs need: side A (the caller) and side B's aliases. */
export type MatchCallSides = { matchId: string; aliasA: string; aliasB: string };

/** Without its Match row (never expected) a match call still names nobody. */
const UNKNOWN_SIDES: MatchCallSides = { matchId: "", aliasA: "Stranger", aliasB: "Stranger" };

/** The other participant of a match call, as the viewer sees them: an alias, nothing of the account. */
export const matchPeerOf = (alias: string): PublicUserDto => ({ id: MATCH_PEER_ID, name: alias, avatarColor: avatarColorFor(alias) });

/**
 * The call as `viewerId` sees it. A match call shows the viewer's own side and the other's alias
 * only; a viewer who is neither participant of a match call gets an error, never the accounts.
 */
export function toCallDtoFor(call: CallRecord, viewerId: string, users: UsersById, match: MatchCallSides | null): CallDto {
  if (!match && !isMatchCall(call)) return toCallDto(call, users);
  const sides = match ?? UNKNOWN_SIDES;
  const viewerIsCaller = call.callerId === viewerId;
  if (!viewerIsCaller && call.calleeId !== viewerId) throw new Error("a match call's DTO is only for its participants");
  const self = publicUserOf(users, viewerId);
  const [selfAlias, peerAlias] = viewerIsCaller ? [sides.aliasA, sides.aliasB] : [sides.aliasB, sides.aliasA];
  return {
    ...toCallDto(call, new Map()),
    caller: viewerIsCaller ? self : matchPeerOf(peerAlias),
    callee: viewerIsCaller ? matchPeerOf(peerAlias) : self,
    match: { matchId: sides.matchId, selfAlias, peerAlias },
  };
}

/** Loads what the call's DTOs need once; the result builds the DTO for either participant. */
export async function loadCallDtos(call: CallRecord): Promise<(viewerId: string) => CallDto> {
  const db = await dbReady();
  const [users, match] = await Promise.all([
    loadCallUsers([call.callerId, call.calleeId]),
    isMatchCall(call) ? db.match.findUnique({ where: { callId: call.id }, select: { id: true, aliasA: true, aliasB: true } }) : null,
  ]);
  const sides = match ? { matchId: match.id, aliasA: match.aliasA, aliasB: match.aliasB } : null;
  return (viewerId) => toCallDtoFor(call, viewerId, users, sides);
}

type CallRow = Prisma.CallGetPayload<object>;

const STATUSES: readonly CallStatus[] = ["ringing", "active", "ended"];
const OUTCOMES: readonly CallOutcome[] = ["completed", "missed", "declined", "cancelled", "busy", "failed"];
const REASONS: readonly CallEndReason[] = ["hangup", "timeout", "offline", "declined", "cancelled", "busy", "disconnected", "failed"];
const pick = <T extends string>(allowed: readonly T[], value: string | null): T | null => allowed.find((item) => item === value) ?? null;

export function toCallRecord(row: CallRow): CallRecord {
  return {
    id: row.id,
    kind: pick<CallKind>(CALL_KINDS, row.kind) ?? "audio",
    callerId: row.callerId,
    calleeId: row.calleeId,
    conversationId: row.conversationId,
    status: pick(STATUSES, row.status) ?? "ended",
    outcome: pick(OUTCOMES, row.outcome),
    endReason: pick(REASONS, row.endReason),
    createdAt: row.createdAt,
    answeredAt: row.answeredAt,
    endedAt: row.endedAt,
    durationSeconds: row.durationSeconds,
  };
}

/** Writes the record as it is now (insert at start, then each transition). */
/** The stored states a call's new state may replace: a stored call never goes back (ringing → active → ended, ended once). */
const REPLACES: Record<CallRecord["status"], CallRecord["status"][]> = { ringing: ["ringing"], active: ["ringing", "active"], ended: ["ringing", "active"] };

const isUniqueViolation = (error: unknown): boolean =>
  typeof error === "object" && error !== null && "code" in error && (error as { code: unknown }).code === "P2002";

/**
 * Inserts or advances a call's row. Writes of one call are chained per process, but with several
 * processes its changes (answered on one, hung up on another, closed at another's boot) reach the
 * database in no fixed order: a write that would take the row back is dropped.
 */
export async function saveCall(call: CallRecord): Promise<void> {
  const db = await dbReady();
  const data = {
    status: call.status,
    outcome: call.outcome,
    endReason: call.endReason,
    conversationId: call.conversationId,
    answeredAt: call.answeredAt,
    endedAt: call.endedAt,
    durationSeconds: call.durationSeconds,
  };
  const { count } = await db.call.updateMany({ where: { id: call.id, status: { in: REPLACES[call.status] } }, data });
  if (count > 0) return;
  try {
    await db.call.create({ data: { id: call.id, callerId: call.callerId, calleeId: call.calleeId, kind: call.kind, createdAt: call.createdAt, ...data } });
  } catch (error) {
    // The row exists in a later state already.
    if (!isUniqueViolation(error)) throw error;
  }
}

/** The stored call if `userId` took part in it; null otherwise (someone else's id looks unknown). */
export async function findParticipantCall(callId: string, userId: string): Promise<CallRecord | null> {
  const db = await dbReady();
  const row = await db.call.findFirst({ where: { id: callId, OR: [{ callerId: userId }, { calleeId: userId }] } });
  return row ? toCallRecord(row) : null;
}

/** Calls still ringing or active in the database: after a restart nothing is live, so they are over. */
export async function listUnfinishedCalls(): Promise<CallRecord[]> {
  const db = await dbReady();
  return (await db.call.findMany({ where: { status: { in: ["ringing", "active"] } } })).map(toCallRecord);
}

/**
 * The caller's calls, newest first by (createdAt, id); `before` is the cursor of the last item
 * shown. `withUserId` keeps only calls with that person, never match calls: otherwise asking for
 * a contact would tell whether they were the stranger. Direction is relative to the caller; a
 * match call shows only the caller's own side.
 */
export async function listCallHistory(userId: string, input: { before?: string | null | undefined; withUserId?: string | undefined }): Promise<CallHistoryPageDto> {
  const db = await dbReady();
  const sides: Prisma.CallWhereInput[] = input.withUserId
    ? [
        { callerId: userId, calleeId: input.withUserId, matchId: null },
        { callerId: input.withUserId, calleeId: userId, matchId: null },
      ]
    : [{ callerId: userId }, { calleeId: userId }];
  const where: Prisma.CallWhereInput = { OR: sides };
  if (input.before) {
    const [at = "", id = ""] = decodeCursor(input.before, 2);
    const createdAt = new Date(at);
    if (Number.isNaN(createdAt.getTime()) || id.length === 0) throw new AppError("INVALID_PAYLOAD", { userMessage: "That page cursor is not valid." });
    where.AND = [{ OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] }];
  }
  const rows = await db.call.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: CALL_HISTORY_PAGE_SIZE + 1 });
  const page = rows.slice(0, CALL_HISTORY_PAGE_SIZE);
  const matchIds = page.flatMap((row) => (row.matchId ? [row.matchId] : []));
  // A match call's other side is never loaded: only the viewer's own name is needed for it.
  const userIds = page.flatMap((row) => (row.matchId || row.conversationId === null ? [userId] : [row.callerId, row.calleeId]));
  const [users, matches] = await Promise.all([
    loadCallUsers(userIds),
    matchIds.length > 0 ? db.match.findMany({ where: { id: { in: matchIds } }, select: { id: true, aliasA: true, aliasB: true } }) : [],
  ]);
  const sidesById = new Map(matches.map((match) => [match.id, { matchId: match.id, aliasA: match.aliasA, aliasB: match.aliasB }]));
  return {
    items: page.map((row) => {
      const call = toCallRecord(row);
      return {
        ...toCallDtoFor(call, userId, users, row.matchId ? (sidesById.get(row.matchId) ?? null) : null),
        direction: call.callerId === userId ? "outgoing" : "incoming",
        cursor: encodeCursor([call.createdAt.toISOString(), call.id]),
      };
    }),
    hasMore: rows.length > CALL_HISTORY_PAGE_SIZE,
  };
}

/** The system line ("Missed audio call", "Video call · 3:21") in the pair's direct chat, by the caller. */
export async function appendCallLine(conversationId: string, callerId: string, body: string): Promise<MessageDto | null> {
  const db = await dbReady();
  const row = await db.$transaction((tx) => appendSystemMessage(tx, { conversationId, authorId: callerId, body }), TX_OPTIONS);
  const [message] = await toMessageDtos(db, [row]);
  return message ?? null;
}

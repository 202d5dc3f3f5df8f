/**
 * Calls in the database: who may call whom, the stored Call record, its DTO, history paging and
 * the chat line an ended call leaves. Node-only; the live state and the emitting are the call
 * handlers' (lib/realtime/server/handlers/call-handlers.ts).
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
  type MessageDto,
} from "@/lib/realtime/protocol";
import type { CallRecord } from "@/lib/realtime/server/calls/call-machine";
import { decodeCursor, encodeCursor, publicUserOf, toUsersById, type UsersById } from "@/lib/services/chat-dto";
import { directKeyOf } from "@/lib/services/conversation-service";
import { appendSystemMessage, toMessageDtos, TX_OPTIONS } from "@/lib/services/message-service";

/** 128 random bits, base64url (22 characters): unguessable, unrelated to any other call's id. */
export const newCallId = (): string => randomBytes(16).toString("base64url");

const forbidden = (userMessage: string) => new AppError("FORBIDDEN", { userMessage });

export type Callable = { conversationId: string | null; isContact: boolean };

/**
 * A call may go to a contact or to the other member of an existing direct chat; never to oneself,
 * never between people where either blocked the other. Unknown people are NOT_FOUND.
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
  if (!callee) throw new AppError("NOT_FOUND", { userMessage: "That person was not found." });
  if (blocks > 0) throw forbidden("You can't call this person.");
  if (!contact && !direct) throw forbidden("You can only call your contacts and people you chat with.");
  return { conversationId: direct?.id ?? null, isContact: contact !== null };
}

/** Both participants' names, for DTOs. */
export async function loadCallUsers(ids: readonly string[]): Promise<UsersById> {
  const db = await dbReady();
  return toUsersById(await db.user.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, name: true } }));
}

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
  await db.call.upsert({
    where: { id: call.id },
    create: { id: call.id, callerId: call.callerId, calleeId: call.calleeId, kind: call.kind, createdAt: call.createdAt, ...data },
    update: data,
  });
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
 * shown. `withUserId` keeps only calls with that person. Direction is relative to the caller.
 */
export async function listCallHistory(userId: string, input: { before?: string | null | undefined; withUserId?: string | undefined }): Promise<CallHistoryPageDto> {
  const db = await dbReady();
  const sides: Prisma.CallWhereInput[] = input.withUserId
    ? [{ callerId: userId, calleeId: input.withUserId }, { callerId: input.withUserId, calleeId: userId }]
    : [{ callerId: userId }, { calleeId: userId }];
  const where: Prisma.CallWhereInput = { OR: sides };
  if (input.before) {
    const [at = "", id = ""] = decodeCursor(input.before, 2);
    const createdAt = new Date(at);
    if (Number.isNaN(createdAt.getTime()) || id.length === 0) throw new AppError("INVALID_PAYLOAD", { userMessage: "That page cursor is not valid." });
    where.AND = [{ OR: [{ createdAt: { lt: createdAt } }, { createdAt, id: { lt: id } }] }];
  }
  const rows = await db.call.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: CALL_HISTORY_PAGE_SIZE + 1 });
  const page = rows.slice(0, CALL_HISTORY_PAGE_SIZE).map(toCallRecord);
  const users = await loadCallUsers(page.flatMap((call) => [call.callerId, call.calleeId]));
  return {
    items: page.map((call) => ({
      ...toCallDto(call, users),
      direction: call.callerId === userId ? "outgoing" : "incoming",
      cursor: encodeCursor([call.createdAt.toISOString(), call.id]),
    })),
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

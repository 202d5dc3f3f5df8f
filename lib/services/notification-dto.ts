/** Notification rows → protocol DTOs, paging cursors and stored preferences. Node-only, no queries. */
import { AppError } from "@/lib/errors";
import {
  NOTIFICATION_KINDS,
  type NotificationDto,
  type NotificationKind,
  type NotificationPreferencesDto,
  type PublicUserDto,
} from "@/lib/realtime/protocol";
import { decodeCursor, encodeCursor, publicUserOf, type UsersById } from "@/lib/services/chat-dto";

/** A stored row as Prisma returns it, or as a raw `RETURNING` gives it (dates may come as text). */
export type NotificationRow = {
  id: string;
  userId: string;
  kind: string;
  conversationId: string | null;
  messageId: string | null;
  seq: number | bigint | null;
  actorId: string | null;
  title: string | null;
  preview: string | null;
  count: number | bigint;
  readAt: Date | string | null;
  createdAt: Date | string;
  updatedAt: Date | string;
};

const asDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));
const isKind = (value: string): value is NotificationKind => (NOTIFICATION_KINDS as readonly string[]).includes(value);

export function notificationCursor(updatedAt: Date, id: string): string {
  return encodeCursor([updatedAt.toISOString(), id]);
}

/** The (updatedAt, id) a cursor names; anything we did not issue is INVALID_PAYLOAD. */
export function decodeNotificationCursor(cursor: string): { updatedAt: Date; id: string } {
  const [at = "", id = ""] = decodeCursor(cursor, 2);
  const updatedAt = new Date(at);
  if (Number.isNaN(updatedAt.getTime()) || id.length === 0) throw new AppError("INVALID_PAYLOAD", { userMessage: "That page cursor is not valid." });
  return { updatedAt, id };
}

/** `actor` overrides the lookup (the caller knows who acted); otherwise `users` names the actor. */
export function toNotificationDto(row: NotificationRow, actors: { users?: UsersById; actor?: PublicUserDto | null }): NotificationDto {
  const updatedAt = asDate(row.updatedAt);
  let actor: PublicUserDto | null = null;
  if (row.actorId) actor = actors.actor?.id === row.actorId ? actors.actor : publicUserOf(actors.users ?? new Map(), row.actorId);
  return {
    id: row.id,
    kind: isKind(row.kind) ? row.kind : "announcement",
    conversationId: row.conversationId,
    messageId: row.messageId,
    seq: row.seq === null ? null : Number(row.seq),
    actor,
    title: row.title,
    preview: row.preview,
    count: Number(row.count),
    readAt: row.readAt === null ? null : asDate(row.readAt).toISOString(),
    createdAt: asDate(row.createdAt).toISOString(),
    updatedAt: updatedAt.toISOString(),
    cursor: notificationCursor(updatedAt, row.id),
  };
}

// ── Preferences: stored as a JSON array of the kinds switched off ────────────
export function parseDisabledKinds(stored: string | null | undefined): Set<NotificationKind> {
  try {
    const value: unknown = JSON.parse(stored ?? "[]");
    if (Array.isArray(value)) return new Set(value.filter((item): item is NotificationKind => typeof item === "string" && isKind(item)));
  } catch {
    // a damaged value means "everything on"
  }
  return new Set();
}

export function serializeDisabledKinds(disabled: ReadonlySet<NotificationKind>): string {
  return JSON.stringify(NOTIFICATION_KINDS.filter((kind) => disabled.has(kind)));
}

export function toPreferencesDto(disabled: ReadonlySet<NotificationKind>): NotificationPreferencesDto {
  const kinds = Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, !disabled.has(kind)])) as Record<NotificationKind, boolean>;
  return { kinds };
}

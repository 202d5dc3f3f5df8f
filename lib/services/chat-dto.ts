/** Prisma rows → protocol DTOs for contacts, conversations and messages. Node-only, no queries. */
import type { Prisma } from "@/lib/generated/prisma/client";
import type {
  ConversationDto,
  FriendRequestDto,
  FriendRequestStatus,
  MemberDto,
  MessageDto,
  PublicUserDto,
  ReactionDto,
  ReplyPreviewDto,
} from "@/lib/realtime/protocol";
import { AppError } from "@/lib/errors";
import { toAttachmentDto } from "@/lib/services/attachment-service";

// Tailwind 500 shades: readable white initials on every one of them.
const AVATAR_COLORS = ["#ef4444", "#f97316", "#f59e0b", "#84cc16", "#10b981", "#14b8a6", "#06b6d4", "#3b82f6", "#8b5cf6", "#ec4899"] as const;

/** Deterministic per user id (FNV-1a), so every client draws the same color without storing it. */
export function avatarColorFor(userId: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < userId.length; index += 1) {
    hash ^= userId.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return AVATAR_COLORS[(hash >>> 0) % AVATAR_COLORS.length] ?? AVATAR_COLORS[0];
}

export type UserRow = { id: string; name: string };
export type UsersById = ReadonlyMap<string, UserRow>;

const DELETED_USER_NAME = "Deleted user";

export function toPublicUser(user: UserRow): PublicUserDto {
  return { id: user.id, name: user.name, avatarColor: avatarColorFor(user.id) };
}

export function publicUserOf(users: UsersById, userId: string): PublicUserDto {
  return toPublicUser(users.get(userId) ?? { id: userId, name: DELETED_USER_NAME });
}

export function toUsersById(rows: readonly UserRow[]): Map<string, UserRow> {
  return new Map(rows.map((row) => [row.id, { id: row.id, name: row.name }]));
}

// ── Friend requests ─────────────────────────────────────────────────────────
type FriendRequestRow = { id: string; fromId: string; toId: string; status: string; createdAt: Date };

const REQUEST_STATUSES: readonly FriendRequestStatus[] = ["pending", "accepted", "declined", "cancelled"];

export function toFriendRequestDto(row: FriendRequestRow, users: UsersById): FriendRequestDto {
  const status = REQUEST_STATUSES.find((candidate) => candidate === row.status) ?? "cancelled";
  return { id: row.id, from: publicUserOf(users, row.fromId), to: publicUserOf(users, row.toId), status, createdAt: row.createdAt.toISOString() };
}

// ── Messages ────────────────────────────────────────────────────────────────
export const PREVIEW_LENGTH = 140;
const MENTION_PATTERN = /<@([A-Za-z0-9_-]{1,64})>/g;

/** Ids written as `<@userId>` in the body that belong to `memberIds`, once each, in order. */
export function parseMentions(body: string, memberIds: ReadonlySet<string>): string[] {
  const found = new Set<string>();
  for (const match of body.matchAll(MENTION_PATTERN)) {
    const id = match[1];
    if (id && memberIds.has(id)) found.add(id);
  }
  return [...found];
}

/** One line of plain text for conversation lists: mentions resolved to names, whitespace collapsed. */
export function previewOf(body: string, attachmentCount: number, users: UsersById = new Map()): string {
  const text = body
    .replace(MENTION_PATTERN, (_token, id: string) => `@${users.get(id)?.name ?? "someone"}`)
    .replace(/\s+/g, " ")
    .trim();
  if (text.length > 0) return text.slice(0, PREVIEW_LENGTH);
  if (attachmentCount === 1) return "📎 Attachment";
  return attachmentCount > 1 ? `📎 ${attachmentCount} attachments` : "";
}

export const DELETED_PREVIEW = "Message deleted";

export const messageInclude = {
  reactions: { orderBy: [{ createdAt: "asc" }, { userId: "asc" }] },
  attachments: { orderBy: { createdAt: "asc" } },
} satisfies Prisma.MessageInclude;

export type MessageRow = Prisma.MessageGetPayload<{ include: typeof messageInclude }>;
export type ReplySourceRow = { id: string; seq: number; authorId: string; body: string; deletedAt: Date | null };

export function toReplyPreview(row: ReplySourceRow): ReplyPreviewDto {
  const isDeleted = row.deletedAt !== null;
  return { id: row.id, seq: row.seq, authorId: row.authorId, body: isDeleted ? "" : row.body.slice(0, PREVIEW_LENGTH), isDeleted };
}

function groupReactions(rows: MessageRow["reactions"]): ReactionDto[] {
  const byEmoji = new Map<string, string[]>();
  for (const row of rows) {
    const userIds = byEmoji.get(row.emoji) ?? [];
    userIds.push(row.userId);
    byEmoji.set(row.emoji, userIds);
  }
  return [...byEmoji].map(([emoji, userIds]) => ({ emoji, userIds }));
}

export function toMessageDto(row: MessageRow, context: { replyTo: ReplyPreviewDto | null; memberIds: ReadonlySet<string> }): MessageDto {
  const isDeleted = row.deletedAt !== null;
  return {
    id: row.id,
    clientMessageId: row.clientMessageId,
    conversationId: row.conversationId,
    seq: row.seq,
    version: row.version,
    authorId: row.authorId,
    kind: row.kind === "system" ? "system" : "text",
    body: isDeleted ? "" : row.body,
    mentions: isDeleted || row.kind === "system" ? [] : parseMentions(row.body, context.memberIds),
    replyTo: context.replyTo,
    reactions: isDeleted ? [] : groupReactions(row.reactions),
    attachments: isDeleted ? [] : row.attachments.map(toAttachmentDto),
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
    deletedAt: row.deletedAt?.toISOString() ?? null,
  };
}

// ── Conversations ───────────────────────────────────────────────────────────
export type ConversationRow = {
  id: string;
  kind: string;
  name: string | null;
  lastSeq: number;
  lastVersion: number;
  lastActivityAt: Date;
  lastMessagePreview: string | null;
  lastMessageAuthorId: string | null;
};
export type MembershipRow = { userId: string; role: string; readSeq: number; joinedAt: Date; mutedUntil: Date | null };

/** A conversation with its members and their names: enough to build the DTO for any member. */
export type ConversationView = { conversation: ConversationRow; memberships: MembershipRow[]; users: UsersById };

const roleOf = (role: string): MemberDto["role"] => (role === "admin" ? "admin" : "member");

export function titleFor(view: ConversationView, viewerId: string): string {
  const { conversation, memberships, users } = view;
  if (conversation.kind === "group") return conversation.name ?? "Group";
  const other = memberships.find((membership) => membership.userId !== viewerId);
  return other ? publicUserOf(users, other.userId).name : publicUserOf(users, viewerId).name;
}

/** The conversation as `viewerId` sees it: title, role and unread count are theirs. */
export function toConversationDto(view: ConversationView, viewerId: string): ConversationDto {
  const { conversation, memberships, users } = view;
  const ordered = [...memberships].sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime() || a.userId.localeCompare(b.userId));
  const mine = memberships.find((membership) => membership.userId === viewerId);
  return {
    id: conversation.id,
    kind: conversation.kind === "group" ? "group" : "direct",
    title: titleFor(view, viewerId),
    members: ordered.map((membership) => ({ ...publicUserOf(users, membership.userId), role: roleOf(membership.role), readSeq: membership.readSeq })),
    lastSeq: conversation.lastSeq,
    lastVersion: conversation.lastVersion,
    lastActivityAt: conversation.lastActivityAt.toISOString(),
    lastMessagePreview: conversation.lastMessagePreview,
    lastMessageAuthorId: conversation.lastMessageAuthorId,
    unreadCount: Math.max(0, conversation.lastSeq - (mine?.readSeq ?? conversation.lastSeq)),
    myRole: roleOf(mine?.role ?? "member"),
    mutedUntil: mine?.mutedUntil && mine.mutedUntil.getTime() > Date.now() ? mine.mutedUntil.toISOString() : null,
  };
}

// ── Paging ──────────────────────────────────────────────────────────────────
/** For `LIKE … ESCAPE '\\'`: the user's text matches literally. */
export const escapeLike = (text: string) => text.replace(/[\\%_]/g, (char) => `\\${char}`);

export function encodeCursor(parts: string[]): string {
  return Buffer.from(JSON.stringify(parts)).toString("base64url");
}

export function decodeCursor(cursor: string, length: number): string[] {
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(parts) && parts.length === length && parts.every((part) => typeof part === "string")) return parts as string[];
  } catch {
    // fall through: a cursor we did not issue
  }
  throw new AppError("INVALID_PAYLOAD", { userMessage: "That page cursor is not valid." });
}

/**
 * The Socket.IO contract shared by server.ts (Node) and the browser: every event name, payload
 * schema, DTO and the ack envelope. Keep it isomorphic: zod + types only (lint-enforced).
 * Payload *types* help the compiler; payload *schemas* are what the server actually trusts.
 */
import { z } from "zod";

import { MESSAGE_MAX_LENGTH, GROUP_NAME_MAX_LENGTH, GROUP_MAX_MEMBERS, MAX_ATTACHMENTS_PER_MESSAGE, PRESENCE_TEXT_MAX_LENGTH, PRESENCE_MODES, type RealtimeErrorCode, type PresenceMode } from "./protocol-constants";

import { text } from "./text-schema";

import type { AdminClientEvents, AdminServerEvents } from "./admin-protocol";
import type { CallClientEvents, CallServerEvents } from "./call-protocol";
import type { MatchClientEvents, MatchServerEvents } from "./match-protocol";
import type { NotificationClientEvents, NotificationServerEvents } from "./notification-protocol";

// ── Ack envelope ──────────────────────────────────────────────────────────────

export type RealtimeError = {
  code: RealtimeErrorCode;
  message: string;
  issues?: { path: string; message: string }[];
  /** Milliseconds until a rate-limited request may be retried. */
  retryAfterMs?: number;
};

export type Ack<T> = { ok: true; data: T } | { ok: false; error: RealtimeError };
export type AckCallback<T> = (result: Ack<T>) => void;

// ── Client → server payloads ─────────────────────────────────────────────────
// `.strict()`: unknown fields are a typed error, never silently ignored.
export const systemPingInputSchema = z.object({ sentAt: z.number().finite() }).strict();
export type SystemPingInput = z.infer<typeof systemPingInputSchema>;

export const systemEchoInputSchema = z.object({ nonce: text().min(1).max(64) }).strict();
export type SystemEchoInput = z.infer<typeof systemEchoInputSchema>;

export const emptyInputSchema = z.object({}).strict();
export type EmptyInput = z.infer<typeof emptyInputSchema>;


const idSchema = text().min(1).max(64);
const cursorSchema = text().min(1).max(200);

// ── Contacts: client → server ────────────────────────────────────────────────
export const contactsSearchInputSchema = z
  .object({ query: text().trim().min(1).max(254), cursor: cursorSchema.optional() })
  .strict();
export const userTargetInputSchema = z.object({ userId: idSchema }).strict();
export const requestTargetInputSchema = z.object({ requestId: idSchema }).strict();
export const contactsRespondInputSchema = z.object({ requestId: idSchema, accept: z.boolean() }).strict();

// ── Conversations: client → server ───────────────────────────────────────────
const groupNameSchema = text().trim().min(1).max(GROUP_NAME_MAX_LENGTH);
export const conversationTargetInputSchema = z.object({ conversationId: idSchema }).strict();
export const conversationCreateGroupInputSchema = z
  .object({ name: groupNameSchema, memberIds: z.array(idSchema).max(GROUP_MAX_MEMBERS - 1) })
  .strict();
export const conversationAddMembersInputSchema = z
  .object({ conversationId: idSchema, userIds: z.array(idSchema).min(1).max(GROUP_MAX_MEMBERS - 1) })
  .strict();
export const conversationMemberInputSchema = z.object({ conversationId: idSchema, userId: idSchema }).strict();
export const conversationRenameInputSchema = z.object({ conversationId: idSchema, name: groupNameSchema }).strict();

// ── Messages: client → server ────────────────────────────────────────────────
const messageBodySchema = text().max(MESSAGE_MAX_LENGTH).refine((body) => body.trim().length > 0, "Message is empty.");
export const chatSendInputSchema = z
  .object({
    conversationId: idSchema,
    clientMessageId: z.uuid(), // idempotency key; also correlates the optimistic row
    body: text().max(MESSAGE_MAX_LENGTH),
    replyToId: idSchema.optional(),
    attachmentIds: z.array(idSchema).max(MAX_ATTACHMENTS_PER_MESSAGE).optional(),
  })
  .strict()
  .refine((input) => input.body.trim().length > 0 || (input.attachmentIds?.length ?? 0) > 0, {
    message: "Message is empty.",
    path: ["body"],
  });
export type ChatSendInput = z.infer<typeof chatSendInputSchema>;
export const chatEditInputSchema = z.object({ messageId: idSchema, body: messageBodySchema }).strict();
export const messageTargetInputSchema = z.object({ messageId: idSchema }).strict();
export const chatReactInputSchema = z
  .object({ messageId: idSchema, emoji: text().min(1).max(16).regex(/^\p{Extended_Pictographic}/u, "Not an emoji."), isOn: z.boolean() })
  .strict();
export const chatHistoryInputSchema = z
  .object({ conversationId: idSchema, beforeSeq: z.number().int().positive().optional(), limit: z.number().int().min(1).max(100).optional() })
  .strict();
export const chatAroundInputSchema = z.object({ conversationId: idSchema, seq: z.number().int().positive() }).strict();
export const chatSyncInputSchema = z
  .object({
    conversations: z
      .array(z.object({ conversationId: idSchema, afterVersion: z.number().int().min(0) }).strict())
      .max(500),
  })
  .strict();
export const chatSearchInputSchema = z
  .object({ query: text().trim().min(2).max(200), conversationId: idSchema.optional(), cursor: cursorSchema.optional() })
  .strict();
export const chatMarkReadInputSchema = z.object({ conversationId: idSchema, seq: z.number().int().min(0) }).strict();
export const chatTypingInputSchema = z.object({ conversationId: idSchema, isTyping: z.boolean() }).strict();
export type ChatTypingInput = z.infer<typeof chatTypingInputSchema>;

// ── Presence: client → server ────────────────────────────────────────────────
export const presenceSetStatusInputSchema = z
  .object({
    status: z.enum(PRESENCE_MODES),
    customText: text().trim().max(PRESENCE_TEXT_MAX_LENGTH).nullable().optional(),
    customEmoji: text().min(1).max(16).regex(/^\p{Extended_Pictographic}/u, "Not an emoji.").nullable().optional(),
    expiresAt: z.iso.datetime({ offset: true }).nullable().optional(),
  })
  .strict();
export type PresenceSetStatusInput = z.infer<typeof presenceSetStatusInputSchema>;
export const presenceActivityInputSchema = z.object({ isIdle: z.boolean(), isHidden: z.boolean() }).strict();
export type PresenceActivityInput = z.infer<typeof presenceActivityInputSchema>;

// ── Server → client DTOs (JSON-safe: dates are ISO strings) ─────────────────
export type SessionUserDto = { id: string; name: string; email: string; role: "user" | "admin" };
export type PingResultDto = { sentAt: number; serverTime: number };
export type EchoDto = { nonce: string; socketId: string };
export type SessionRevokedDto = { reason: "signed-out" };
/**
 * The process is restarting (rolling deploy): it answers what is in flight, then closes the socket.
 * The client reconnects (to another process, through the load balancer) after a random delay in
 * [0, reconnectWithinMs], so the tabs of a restarted process do not arrive all at once.
 */
export type SystemRestartingDto = { reconnectWithinMs: number };

/** What anyone may see of a user: never the email of someone else. */
export type PublicUserDto = { id: string; name: string; avatarColor: string };
export type FriendRequestStatus = "pending" | "accepted" | "declined" | "cancelled";
export type FriendRequestDto = {
  id: string;
  from: PublicUserDto;
  to: PublicUserDto;
  status: FriendRequestStatus;
  createdAt: string;
};
export type ContactsDto = {
  contacts: PublicUserDto[];
  incoming: FriendRequestDto[];
  outgoing: FriendRequestDto[];
  blocked: PublicUserDto[];
};
export type UserSearchResultDto = PublicUserDto & { relation: "self" | "contact" | "incoming" | "outgoing" | "blocked" | "none" };

export type ConversationKind = "direct" | "group";
export type MemberDto = PublicUserDto & { role: "admin" | "member"; readSeq: number };
export type ConversationDto = {
  id: string;
  kind: ConversationKind;
  /** Group name; for direct chats the other member's name. */
  title: string;
  members: MemberDto[];
  lastSeq: number;
  lastVersion: number;
  lastActivityAt: string;
  lastMessagePreview: string | null;
  lastMessageAuthorId: string | null;
  /** Derived from the caller's read pointer and lastSeq, never a stored counter. */
  unreadCount: number;
  myRole: "admin" | "member";
  /** The caller's mute of this conversation (ISO; a far-future date means "forever"); null: not muted. */
  mutedUntil: string | null;
};

export type ReactionDto = { emoji: string; userIds: string[] };
export type AttachmentDto = { id: string; fileName: string; contentType: string; size: number; width: number | null; height: number | null; url: string };
export type ReplyPreviewDto = { id: string; seq: number; authorId: string; body: string; isDeleted: boolean };
export type MessageDto = {
  id: string;
  clientMessageId: string;
  conversationId: string;
  seq: number;
  version: number;
  authorId: string;
  kind: "text" | "system";
  /** Empty when deleted: the content is gone for everyone. */
  body: string;
  mentions: string[];
  replyTo: ReplyPreviewDto | null;
  reactions: ReactionDto[];
  attachments: AttachmentDto[];
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
};
export type HistoryPageDto = { conversationId: string; messages: MessageDto[]; hasMore: boolean };
export type SyncResultDto = { updates: { conversationId: string; messages: MessageDto[]; lastVersion: number; hasMore: boolean }[] };
export type SearchHitDto = { message: MessageDto; conversationId: string; conversationTitle: string };
export type SearchPageDto = { hits: SearchHitDto[]; nextCursor: string | null };
export type UserSearchPageDto = { users: UserSearchResultDto[]; nextCursor: string | null };
export type ReadUpdateDto = { conversationId: string; userId: string; readSeq: number };
export type UnreadCountsDto = { counts: { conversationId: string; unreadCount: number; readSeq: number }[] };
export type TypingEventDto = { conversationId: string; userId: string; isTyping: boolean };
export type MentionEventDto = { conversationId: string; messageId: string; seq: number; byUserId: string };
/** A status as others see it: "invisible" is reported as "offline". */
export type PresenceStatus = "online" | "away" | "dnd" | "offline";
export type PresenceDto = {
  userId: string;
  status: PresenceStatus;
  customText: string | null;
  customEmoji: string | null;
  /** Only for offline users (null while online, and for invisible users seen by others). */
  lastSeenAt: string | null;
  /** In an answered call right now (never for someone who looks offline). */
  inCall: boolean;
};
/** The caller's own view: the chosen mode and when the custom status clears itself. */
export type OwnPresenceDto = PresenceDto & { mode: PresenceMode; expiresAt: string | null };


// ── Event maps (the client reverses the generics) ────────────────────────────
export * from "./protocol-constants";
export * from "./admin-protocol";
export * from "./call-protocol";
export * from "./match-protocol";
export * from "./notification-protocol";

export type ClientToServerEvents = NotificationClientEvents & CallClientEvents & MatchClientEvents & AdminClientEvents & {
  /** Round trip to the server; the ack carries the server clock. */
  "system:ping": (input: SystemPingInput, ack: AckCallback<PingResultDto>) => void;
  /** Asks the server to push `system:echoed` to every tab of this user (connection check). */
  "system:echo": (input: SystemEchoInput, ack: AckCallback<EchoDto>) => void;
  /** Who the server thinks this socket belongs to. */
  "session:whoami": (input: EmptyInput, ack: AckCallback<SessionUserDto>) => void;
  "contacts:list": (input: EmptyInput, ack: AckCallback<ContactsDto>) => void;
  "contacts:search": (input: z.infer<typeof contactsSearchInputSchema>, ack: AckCallback<UserSearchPageDto>) => void;
  "contacts:request": (input: z.infer<typeof userTargetInputSchema>, ack: AckCallback<FriendRequestDto>) => void;
  "contacts:respond": (input: z.infer<typeof contactsRespondInputSchema>, ack: AckCallback<FriendRequestDto>) => void;
  "contacts:cancel": (input: z.infer<typeof requestTargetInputSchema>, ack: AckCallback<FriendRequestDto>) => void;
  "contacts:block": (input: z.infer<typeof userTargetInputSchema>, ack: AckCallback<ContactsDto>) => void;
  "contacts:unblock": (input: z.infer<typeof userTargetInputSchema>, ack: AckCallback<ContactsDto>) => void;
  "conversation:list": (input: EmptyInput, ack: AckCallback<ConversationDto[]>) => void;
  "conversation:open-direct": (input: z.infer<typeof userTargetInputSchema>, ack: AckCallback<ConversationDto>) => void;
  "conversation:create-group": (input: z.infer<typeof conversationCreateGroupInputSchema>, ack: AckCallback<ConversationDto>) => void;
  "conversation:add-members": (input: z.infer<typeof conversationAddMembersInputSchema>, ack: AckCallback<ConversationDto>) => void;
  "conversation:remove-member": (input: z.infer<typeof conversationMemberInputSchema>, ack: AckCallback<ConversationDto>) => void;
  "conversation:leave": (input: z.infer<typeof conversationTargetInputSchema>, ack: AckCallback<{ conversationId: string }>) => void;
  "conversation:rename": (input: z.infer<typeof conversationRenameInputSchema>, ack: AckCallback<ConversationDto>) => void;
  "chat:send": (input: ChatSendInput, ack: AckCallback<MessageDto>) => void;
  "chat:edit": (input: z.infer<typeof chatEditInputSchema>, ack: AckCallback<MessageDto>) => void;
  "chat:delete": (input: z.infer<typeof messageTargetInputSchema>, ack: AckCallback<MessageDto>) => void;
  "chat:react": (input: z.infer<typeof chatReactInputSchema>, ack: AckCallback<MessageDto>) => void;
  "chat:history": (input: z.infer<typeof chatHistoryInputSchema>, ack: AckCallback<HistoryPageDto>) => void;
  "chat:around": (input: z.infer<typeof chatAroundInputSchema>, ack: AckCallback<HistoryPageDto>) => void;
  "chat:sync": (input: z.infer<typeof chatSyncInputSchema>, ack: AckCallback<SyncResultDto>) => void;
  "chat:search": (input: z.infer<typeof chatSearchInputSchema>, ack: AckCallback<SearchPageDto>) => void;
  "chat:mark-read": (input: z.infer<typeof chatMarkReadInputSchema>, ack: AckCallback<ReadUpdateDto>) => void;
  /** Volatile, throttled by the client, no ack; never persisted. */
  "chat:typing": (input: ChatTypingInput) => void;
  "presence:set-status": (input: PresenceSetStatusInput, ack: AckCallback<OwnPresenceDto>) => void;
  /** Volatile, no ack: sent when this tab's idle/visibility state changes, and after each connect. */
  "presence:activity": (input: PresenceActivityInput) => void;
};

export type ServerToClientEvents = NotificationServerEvents & CallServerEvents & MatchServerEvents & AdminServerEvents & {
  /** Sent once after the server has joined the socket to its rooms. */
  "session:ready": (event: { user: SessionUserDto; serverTime: number }) => void;
  /** The browser session this socket belongs to was signed out (in any tab). */
  "session:revoked": (event: SessionRevokedDto) => void;
  "system:echoed": (event: EchoDto) => void;
  /** Graceful restart: reconnect (elsewhere) after a jittered delay once this socket closes. */
  "system:restarting": (event: SystemRestartingDto) => void;
  "contacts:request-changed": (request: FriendRequestDto) => void;
  "contacts:changed": (contacts: ContactsDto) => void;
  /** Created, renamed, members changed, or you were added ("you were added to X"). */
  "conversation:upserted": (event: { conversation: ConversationDto; addedBy: PublicUserDto | null }) => void;
  /** You left or were removed: the conversation leaves your list and its room. */
  "conversation:removed": (event: { conversationId: string }) => void;
  "chat:message-created": (message: MessageDto) => void;
  /** Edited, deleted or reacted: replaces the message with this version. */
  "chat:message-updated": (message: MessageDto) => void;
  "chat:typing-changed": (event: TypingEventDto) => void;
  "chat:read-updated": (event: ReadUpdateDto) => void;
  /** Authoritative unread counts, sent on every connect. */
  "chat:unread-counts": (event: UnreadCountsDto) => void;
  "chat:mentioned": (event: MentionEventDto) => void;
  /** Once per connect: every presence this user may see (then only changes). */
  "presence:snapshot": (event: { presences: PresenceDto[] }) => void;
  "presence:changed": (presence: PresenceDto) => void;
  /** Presences of people who just became visible (new contact or conversation) or hidden (a block). */
  "presence:batch": (event: { presences: PresenceDto[] }) => void;
  /** Own status changed (from another tab, or a custom status expired). */
  "presence:own-changed": (presence: OwnPresenceDto) => void;
};

export type ClientEventName = keyof ClientToServerEvents;
export type ServerEventName = keyof ServerToClientEvents;

/**
 * Handshake `auth` payload: a short-lived token from `/api/socket-token`, and the tab's activity
 * at that moment (so a background tab's reconnect never shows its user active for a moment). A
 * malformed activity is dropped, as a malformed `presence:activity` report is, not the handshake.
 */
export const handshakeAuthSchema = z.object({
  token: text().min(1).max(4_096),
  activity: presenceActivityInputSchema.optional().catch(undefined),
});
export type HandshakeAuth = z.infer<typeof handshakeAuthSchema>;

/** Response of `GET /api/socket-token`. */
export type SocketTokenResponse = { token: string; expiresAt: string; userId: string; socketUrl: string | null };

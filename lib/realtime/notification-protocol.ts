/**
 * The notifications part of the one contract (re-exported by protocol.ts, merged into its event
 * maps). Isomorphic: zod and types only.
 */
import { z } from "zod";

import { NOTIFICATION_KINDS, NOTIFICATION_MAX_IDS, ANNOUNCEMENT_MAX_LENGTH, type NotificationKind } from "./protocol-constants";

import { text } from "./text-schema";

import type { AckCallback, PublicUserDto } from "./protocol";

const idSchema = text().min(1).max(64);

export const MUTE_DURATIONS = ["1h", "8h", "24h", "7d", "forever", "off"] as const;
export type MuteDuration = (typeof MUTE_DURATIONS)[number];

// ── Client → server ──────────────────────────────────────────────────────────
/** Newest first; `before` is the `cursor` of the last item of the previous page. */
export const notificationsListInputSchema = z.object({ before: text().min(1).max(128).nullable().optional() }).strict();
export const notificationsIdsInputSchema = z.object({ ids: z.array(idSchema).min(1).max(NOTIFICATION_MAX_IDS) }).strict();
export const notificationsPreferencesInputSchema = z
  .object({ kinds: z.partialRecord(z.enum(NOTIFICATION_KINDS), z.boolean()) })
  .strict();
export const conversationMuteInputSchema = z.object({ conversationId: idSchema, duration: z.enum(MUTE_DURATIONS) }).strict();
/** What this tab is looking at: a conversation while it is open and the tab visible, else null. */
export const notificationsViewingInputSchema = z.object({ conversationId: idSchema.nullable() }).strict();
export const announcementInputSchema = z.object({ body: text().trim().min(1).max(ANNOUNCEMENT_MAX_LENGTH) }).strict();

// ── Server → client DTOs ─────────────────────────────────────────────────────
export type NotificationDto = {
  id: string;
  kind: NotificationKind;
  /** Source: the conversation (and message) to open, when there is one. */
  conversationId: string | null;
  messageId: string | null;
  seq: number | null;
  /** Who caused it (latest actor for coalesced ones); null for announcements. */
  actor: PublicUserDto | null;
  /** Conversation title or announcement heading, when there is one. */
  title: string | null;
  /** Short plain-text preview (message start, emoji of a reaction, announcement text). */
  preview: string | null;
  /** Coalesced events: 20 messages of one conversation are one notification with count 20. */
  count: number;
  readAt: string | null;
  createdAt: string;
  /** Last time it grew (coalescing); the list is ordered by it. */
  updatedAt: string;
  /** Opaque paging cursor. */
  cursor: string;
};
export type NotificationPageDto = { items: NotificationDto[]; hasMore: boolean; unreadCount: number };
export type NotificationCountDto = { unreadCount: number };
export type NotificationPreferencesDto = { kinds: Record<NotificationKind, boolean> };
export type ConversationMuteDto = { conversationId: string; mutedUntil: string | null };

// ── Event maps (merged into protocol.ts) ─────────────────────────────────────
export type NotificationClientEvents = {
  "notifications:list": (input: z.infer<typeof notificationsListInputSchema>, ack: AckCallback<NotificationPageDto>) => void;
  "notifications:mark-read": (input: z.infer<typeof notificationsIdsInputSchema>, ack: AckCallback<NotificationCountDto>) => void;
  "notifications:mark-all-read": (input: Record<string, never>, ack: AckCallback<NotificationCountDto>) => void;
  "notifications:delete": (input: z.infer<typeof notificationsIdsInputSchema>, ack: AckCallback<NotificationCountDto>) => void;
  "notifications:clear": (input: Record<string, never>, ack: AckCallback<NotificationCountDto>) => void;
  "notifications:get-preferences": (input: Record<string, never>, ack: AckCallback<NotificationPreferencesDto>) => void;
  "notifications:set-preferences": (input: z.infer<typeof notificationsPreferencesInputSchema>, ack: AckCallback<NotificationPreferencesDto>) => void;
  "conversation:mute": (input: z.infer<typeof conversationMuteInputSchema>, ack: AckCallback<ConversationMuteDto>) => void;
  /** Volatile, no ack: which conversation this tab shows (none while hidden). */
  "notifications:viewing": (input: z.infer<typeof notificationsViewingInputSchema>) => void;
  /** Admins only. */
  "notifications:announce": (input: z.infer<typeof announcementInputSchema>, ack: AckCallback<{ delivered: number }>) => void;
};

export type NotificationServerEvents = {
  /** New or grown (coalesced) notification; same id replaces. `unreadCount` is the new total. */
  "notification:upserted": (event: { notification: NotificationDto; unreadCount: number }) => void;
  /** Read or deleted anywhere (another device): `ids` null means all. */
  "notification:read": (event: { ids: string[] | null; unreadCount: number }) => void;
  "notification:deleted": (event: { ids: string[] | null; unreadCount: number }) => void;
  /** On every connect, and after preference changes that matter. */
  "notification:count": (event: NotificationCountDto) => void;
  "conversation:muted": (event: ConversationMuteDto) => void;
};

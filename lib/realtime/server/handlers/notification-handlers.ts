/**
 * Notifications: paging, read state, deletion, preferences, conversation mutes, what each tab is
 * looking at, and admin announcements. Every change of read state reaches all of the user's
 * devices (`notification:read` / `notification:deleted` with the new unread total), so the badge is
 * the same number everywhere. Sources live in ../notifications/notifier.ts.
 */
import type { z } from "zod";

import { AppError } from "@/lib/errors";
import {
  announcementInputSchema,
  conversationMuteInputSchema,
  emptyInputSchema,
  notificationsIdsInputSchema,
  notificationsListInputSchema,
  notificationsPreferencesInputSchema,
  notificationsViewingInputSchema,
} from "@/lib/realtime/protocol";
import {
  countUnread,
  deleteNotifications,
  getPreferences,
  loadAnnouncementDeliveries,
  listNotifications,
  markConversationNotificationsRead,
  markNotificationsRead,
  muteConversation,
  type ReadStateChange,
  setPreferences,
  storeAnnouncement,
} from "@/lib/services/notification-service";
import { defineAckHandler } from "../define-handler";
import { emitDeliveries, notifyLater } from "../notifications/notifier";
import { getViewingState } from "../notifications/viewing-state";
import { userRoom } from "../rooms";
import type { HandlerContext } from "../types";

type Broadcast = "notification:read" | "notification:deleted";

/** Every device of the user (the asking one too: applying it twice is harmless) hears what changed. */
function broadcast(ctx: Pick<HandlerContext, "io" | "userId">, event: Broadcast, change: ReadStateChange): { unreadCount: number } {
  if (change.changed) ctx.io.to(userRoom(ctx.userId)).emit(event, { ids: change.ids, unreadCount: change.unreadCount });
  return { unreadCount: change.unreadCount };
}

const list = defineAckHandler("notifications:list", notificationsListInputSchema, (input, { userId }) => listNotifications(userId, input.before));

const markRead = defineAckHandler("notifications:mark-read", notificationsIdsInputSchema, async (input, ctx) =>
  broadcast(ctx, "notification:read", await markNotificationsRead(ctx.userId, input.ids)),
);

const markAllRead = defineAckHandler("notifications:mark-all-read", emptyInputSchema, async (_input, ctx) =>
  broadcast(ctx, "notification:read", await markNotificationsRead(ctx.userId, null)),
);

const remove = defineAckHandler("notifications:delete", notificationsIdsInputSchema, async (input, ctx) =>
  broadcast(ctx, "notification:deleted", await deleteNotifications(ctx.userId, input.ids)),
);

const clear = defineAckHandler("notifications:clear", emptyInputSchema, async (_input, ctx) =>
  broadcast(ctx, "notification:deleted", await deleteNotifications(ctx.userId, null)),
);

const readPreferences = defineAckHandler("notifications:get-preferences", emptyInputSchema, (_input, { userId }) => getPreferences(userId));

const writePreferences = defineAckHandler("notifications:set-preferences", notificationsPreferencesInputSchema, (input, { userId }) =>
  setPreferences(userId, input.kinds),
);

const mute = defineAckHandler("conversation:mute", conversationMuteInputSchema, async (input, { io, userId }) => {
  const muted = await muteConversation(userId, input);
  io.to(userRoom(userId)).emit("conversation:muted", muted);
  return muted;
});

/**
 * Admins only. One row per user in one statement; then the connected users (any process, through
 * the adapter) get theirs live, after the answer. Everyone else finds it in their next list.
 */
const announce = defineAckHandler("notifications:announce", announcementInputSchema, async (input, ctx) => {
  if (ctx.socket.data.user.role !== "admin") throw new AppError("FORBIDDEN", { userMessage: "Only administrators can send announcements." });
  const { batch, delivered } = await storeAnnouncement(ctx.userId, input.body);
  notifyLater(ctx, "announcement", async () => {
    const sockets = await ctx.io.fetchSockets();
    const connected = [...new Set(sockets.map((socket) => socket.data.userId))].filter((userId) => userId && userId !== ctx.userId);
    emitDeliveries(ctx.io, await loadAnnouncementDeliveries(batch, connected));
  });
  return { delivered };
});

/** `chat:mark-read` moved the read pointer: the conversation's notifications up to there are read, on every device. */
export function readConversationNotifications(ctx: Pick<HandlerContext, "io" | "deps" | "userId">, conversationId: string, readSeq: number): void {
  notifyLater(ctx, "conversation read", async () => {
    broadcast(ctx, "notification:read", await markConversationNotificationsRead(ctx.userId, conversationId, readSeq));
  });
}

/** On every connect, after `session:ready`: the authoritative unread total. */
export async function emitNotificationCount({ socket, userId }: Pick<HandlerContext, "socket" | "userId">): Promise<void> {
  const unreadCount = await countUnread(userId);
  if (socket.connected) socket.emit("notification:count", { unreadCount });
}

export function registerNotificationHandlers(ctx: HandlerContext): void {
  const { socket, userId } = ctx;
  const viewing = getViewingState();
  socket.on("notifications:list", list(ctx));
  socket.on("notifications:mark-read", markRead(ctx));
  socket.on("notifications:mark-all-read", markAllRead(ctx));
  socket.on("notifications:delete", remove(ctx));
  socket.on("notifications:clear", clear(ctx));
  socket.on("notifications:get-preferences", readPreferences(ctx));
  socket.on("notifications:set-preferences", writePreferences(ctx));
  socket.on("conversation:mute", mute(ctx));
  socket.on("notifications:announce", announce(ctx));
  // Volatile, no ack: a malformed report is dropped; the state lives as long as the socket.
  // Reports and the final removal run in order, so a late report cannot outlive the socket.
  let pending: Promise<void> = Promise.resolve();
  const inOrder = (change: () => Promise<void>) => {
    pending = pending.then(change).catch((error: unknown) => ctx.log.warn({ err: error }, "could not record what the socket shows"));
  };
  // Only the latest report matters, so a flood coalesces: at most one report waits behind the one
  // being written (one write at a time per socket, a Redis round trip in the scale-out setup).
  type ViewingReport = z.infer<typeof notificationsViewingInputSchema>;
  let latest: ViewingReport | null = null;
  socket.on("notifications:viewing", (input: unknown) => {
    const parsed = notificationsViewingInputSchema.safeParse(input);
    if (!parsed.success) return;
    const waiting = latest !== null;
    latest = parsed.data;
    if (waiting) return;
    inOrder(() => {
      const report = latest as ViewingReport;
      latest = null;
      return viewing.set(userId, socket.id, report.conversationId);
    });
  });
  socket.on("disconnect", () => inOrder(() => viewing.remove(userId, socket.id)));
}

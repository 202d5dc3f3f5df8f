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
import { defineAckHandler, defineVolatileHandler } from "../define-handler";
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

defineAckHandler("notifications:list", notificationsListInputSchema, (input, { userId }) => listNotifications(userId, input.before));

defineAckHandler("notifications:mark-read", notificationsIdsInputSchema, async (input, ctx) =>
  broadcast(ctx, "notification:read", await markNotificationsRead(ctx.userId, input.ids)),
);

defineAckHandler("notifications:mark-all-read", emptyInputSchema, async (_input, ctx) =>
  broadcast(ctx, "notification:read", await markNotificationsRead(ctx.userId, null)),
);

defineAckHandler("notifications:delete", notificationsIdsInputSchema, async (input, ctx) =>
  broadcast(ctx, "notification:deleted", await deleteNotifications(ctx.userId, input.ids)),
);

defineAckHandler("notifications:clear", emptyInputSchema, async (_input, ctx) =>
  broadcast(ctx, "notification:deleted", await deleteNotifications(ctx.userId, null)),
);

defineAckHandler("notifications:get-preferences", emptyInputSchema, (_input, { userId }) => getPreferences(userId));

defineAckHandler("notifications:set-preferences", notificationsPreferencesInputSchema, (input, { userId }) =>
  setPreferences(userId, input.kinds),
);

defineAckHandler("conversation:mute", conversationMuteInputSchema, async (input, { io, userId }) => {
  const muted = await muteConversation(userId, input);
  io.to(userRoom(userId)).emit("conversation:muted", muted);
  return muted;
});

/**
 * Admins only. One row per user in one statement; then the connected users (any process, through
 * the adapter) get theirs live, after the answer. Everyone else finds it in their next list.
 */
defineAckHandler("notifications:announce", announcementInputSchema, async (input, ctx) => {
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


// What a socket shows (volatile, no ack): a malformed report is dropped; the state lives as long as
// the socket. Reports and the final removal run in order, so a late report cannot outlive the
// socket. Only the latest report matters, so a flood coalesces: at most one report waits behind
// the one being written (one write at a time per socket, a Redis round trip in the scale-out setup).
type ViewingReport = z.infer<typeof notificationsViewingInputSchema>;
type ViewingReports = { pending: Promise<void>; latest: ViewingReport | null };
const viewingReports = new WeakMap<object, ViewingReports>();

function reportsOf(ctx: HandlerContext): ViewingReports {
  let reports = viewingReports.get(ctx.socket);
  if (!reports) {
    reports = { pending: Promise.resolve(), latest: null };
    viewingReports.set(ctx.socket, reports);
  }
  return reports;
}

function inOrder(ctx: HandlerContext, change: () => Promise<void>): void {
  const reports = reportsOf(ctx);
  reports.pending = reports.pending.then(change).catch((error: unknown) => ctx.log.warn({ err: error }, "could not record what the socket shows"));
}

defineVolatileHandler("notifications:viewing", (input, ctx) => {
  const parsed = notificationsViewingInputSchema.safeParse(input);
  if (!parsed.success) return;
  const reports = reportsOf(ctx);
  const waiting = reports.latest !== null;
  reports.latest = parsed.data;
  if (waiting) return;
  inOrder(ctx, () => {
    const report = reports.latest as ViewingReport;
    reports.latest = null;
    return getViewingState().set(ctx.userId, ctx.socket.id, report.conversationId);
  });
});

/** The socket disconnected (io.ts): it no longer shows anything. */
export function notificationSocketGone(ctx: HandlerContext): void {
  inOrder(ctx, () => getViewingState().remove(ctx.userId, ctx.socket.id));
}

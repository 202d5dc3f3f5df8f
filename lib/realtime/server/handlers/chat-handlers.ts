import { exposeCount } from "@/lib/ops/debug-counts";
import {
  chatAroundInputSchema,
  chatEditInputSchema,
  chatHistoryInputSchema,
  chatMarkReadInputSchema,
  chatReactInputSchema,
  chatSearchInputSchema,
  chatSendInputSchema,
  chatSyncInputSchema,
  chatTypingInputSchema,
  type MessageDto,
  messageTargetInputSchema,
  TYPING_THROTTLE_MS,
} from "@/lib/realtime/protocol";
import {
  deleteMessage,
  editMessage,
  getAround,
  getHistory,
  markRead,
  reactToMessage,
  searchMessages,
  sendMessage,
  syncMessages,
} from "@/lib/services/message-service";
import { defineAckHandler, defineVolatileHandler } from "../define-handler";
import { actorOf, notifyMessage, notifyReaction } from "../notifications/notifier";
import { conversationRoom, userRoom } from "../rooms";
import type { AppServer, AppServerSocket } from "../types";
import { readConversationNotifications } from "./notification-handlers";

// Sends from one socket are stored in the order they arrived, whatever each one has to look up.
const sendQueues = new WeakMap<AppServerSocket, Promise<unknown>>();

function inArrivalOrder<T>(socket: AppServerSocket, task: () => Promise<T>): Promise<T> {
  const previous = sendQueues.get(socket) ?? Promise.resolve();
  const next = previous.then(task, task);
  sendQueues.set(socket, next.catch(() => undefined));
  return next;
}

function announceUpdate(io: AppServer, message: MessageDto): MessageDto {
  io.to(conversationRoom(message.conversationId)).emit("chat:message-updated", message);
  return message;
}

defineAckHandler("chat:send", chatSendInputSchema, (input, ctx) =>
  inArrivalOrder(ctx.socket, async () => {
    const { io, userId } = ctx;
    const { message, isNew } = await sendMessage(userId, input);
    // One emit reaches every member, including the sender's other tabs; clients dedupe by id. A
    // retry is emitted again: the process that stored the first try may have died before its
    // broadcast, and members who stayed connected would never sync it (test/scale-out).
    io.to(conversationRoom(message.conversationId)).emit("chat:message-created", message);
    if (!isNew) return message;
    const mentioned = message.mentions.filter((id) => id !== userId);
    if (mentioned.length > 0) {
      io.to(mentioned.map(userRoom)).emit("chat:mentioned", {
        conversationId: message.conversationId,
        messageId: message.id,
        seq: message.seq,
        byUserId: userId,
      });
    }
    notifyMessage(ctx, message, actorOf(ctx)); // after the answer, off the send path
    return message;
  }),
);

defineAckHandler("chat:edit", chatEditInputSchema, async (input, { io, userId }) =>
  announceUpdate(io, await editMessage(userId, input)),
);

defineAckHandler("chat:delete", messageTargetInputSchema, async (input, { io, userId }) => {
  const { message, changed } = await deleteMessage(userId, input);
  return changed ? announceUpdate(io, message) : message;
});

defineAckHandler("chat:react", chatReactInputSchema, async (input, ctx) => {
  const { message, changed } = await reactToMessage(ctx.userId, input);
  if (!changed) return message;
  if (input.isOn) notifyReaction(ctx, message, actorOf(ctx), input.emoji);
  return announceUpdate(ctx.io, message);
});

defineAckHandler("chat:history", chatHistoryInputSchema, (input, { userId }) => getHistory(userId, input));

defineAckHandler("chat:around", chatAroundInputSchema, (input, { userId }) => getAround(userId, input));

defineAckHandler("chat:sync", chatSyncInputSchema, (input, { userId }) => syncMessages(userId, input));

defineAckHandler("chat:search", chatSearchInputSchema, (input, { userId }) => searchMessages(userId, input));

// Other devices of the reader update their unread count; peers see how far they have read. The
// conversation's message, mention and reply notifications up to there are read too (every device).
defineAckHandler("chat:mark-read", chatMarkReadInputSchema, async (input, ctx) => {
  const { update, moved } = await markRead(ctx.userId, input);
  if (moved) ctx.io.to(conversationRoom(input.conversationId)).emit("chat:read-updated", update);
  readConversationNotifications(ctx, update.conversationId, update.readSeq);
  return update;
});

// ── Typing: volatile, never stored ──────────────────────────────────────────
const TYPING_THROTTLE_MAX_KEYS = 50_000;
/** `${userId}:${conversationId}` → when an isTyping=true was last relayed. Per process, like presence. */
const lastTypingRelayAt = new Map<string, number>();
exposeCount("chat.typingThrottle", () => lastTypingRelayAt.size);

function mayRelayTyping(key: string, isTyping: boolean, now: number): boolean {
  if (!isTyping) return true;
  const last = lastTypingRelayAt.get(key);
  if (last !== undefined && now - last < TYPING_THROTTLE_MS) return false;
  lastTypingRelayAt.set(key, now);
  if (lastTypingRelayAt.size > TYPING_THROTTLE_MAX_KEYS) {
    for (const [staleKey, at] of lastTypingRelayAt) if (now - at >= TYPING_THROTTLE_MS) lastTypingRelayAt.delete(staleKey);
  }
  return true;
}

defineVolatileHandler("chat:typing", (payload, ctx) => {
    const { socket, userId, deps } = ctx;
    const parsed = chatTypingInputSchema.safeParse(payload);
    if (!parsed.success) return; // fire-and-forget: dropped silently
    const { conversationId, isTyping } = parsed.data;
    const room = conversationRoom(conversationId);
    if (!socket.rooms.has(room)) return; // members only: the room is joined from the database
    void deps.rateLimiter.consume(`${userId}:chat:typing`).then(
      (budget) => {
        if (!budget.ok || !mayRelayTyping(`${userId}:${conversationId}`, isTyping, Date.now())) return;
        // Not to the typist's own tabs: they know.
        socket.volatile.to(room).except(userRoom(userId)).emit("chat:typing-changed", { conversationId, userId, isTyping });
      },
      (error: unknown) => ctx.log.warn({ err: error }, "typing relay failed"),
    );
});

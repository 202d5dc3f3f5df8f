import {
  conversationAddMembersInputSchema,
  conversationCreateGroupInputSchema,
  conversationMemberInputSchema,
  conversationRenameInputSchema,
  conversationTargetInputSchema,
  emptyInputSchema,
  type MessageDto,
  userTargetInputSchema,
} from "@/lib/realtime/protocol";
import { type ConversationView, publicUserOf, toConversationDto } from "@/lib/services/chat-dto";
import {
  addMembers,
  createGroup,
  leaveConversation,
  listConversations,
  openDirect,
  type RemovalResult,
  removeMember,
  renameGroup,
} from "@/lib/services/conversation-service";
import { defineAckHandler } from "../define-handler";
import { actorOf, notifyAddedToGroup } from "../notifications/notifier";
import { conversationRoom, userRoom } from "../rooms";
import { sharePresence } from "./presence-handlers";
import type { AppServer, HandlerContext } from "../types";

/**
 * Each member gets the conversation as they see it (title, role and unread count are per viewer),
 * so this is one emit per member's user room, not one room emit. No queries: the view has it all.
 */
function announceConversation(io: AppServer, view: ConversationView, actorId: string, addedIds: ReadonlySet<string> = new Set()): void {
  const addedBy = publicUserOf(view.users, actorId);
  for (const { userId } of view.memberships) {
    io.to(userRoom(userId)).emit("conversation:upserted", {
      conversation: toConversationDto(view, userId),
      addedBy: addedIds.has(userId) ? addedBy : null,
    });
  }
}

/** Puts the users' live sockets (every tab) in the room at once: no reconnect needed to receive. */
function joinLiveSockets(io: AppServer, userIds: readonly string[], conversationId: string): void {
  if (userIds.length === 0) return; // `in([])` would address every socket
  io.in(userIds.map(userRoom)).socketsJoin(conversationRoom(conversationId));
}

export function announceMessage(io: AppServer, message: MessageDto | null): void {
  if (message) io.to(conversationRoom(message.conversationId)).emit("chat:message-created", message);
}

/** The removed person's tabs leave the room before the rest hear about it. */
function announceRemoval(io: AppServer, result: RemovalResult, actorId: string): void {
  const conversationId = result.view.conversation.id;
  io.in(userRoom(result.removedId)).socketsLeave(conversationRoom(conversationId));
  io.to(userRoom(result.removedId)).emit("conversation:removed", { conversationId });
  announceConversation(io, result.view, actorId);
  announceMessage(io, result.systemMessage);
}

defineAckHandler("conversation:list", emptyInputSchema, (_input, { userId }) => listConversations(userId));

/** A direct chat was just created by `userId` (opened, or a call needed one): both sides' tabs join and hear of it. */
export function announceNewDirect(ctx: Pick<HandlerContext, "io" | "deps">, view: ConversationView, userId: string): void {
  const memberIds = view.memberships.map((membership) => membership.userId);
  joinLiveSockets(ctx.io, memberIds, view.conversation.id);
  announceConversation(ctx.io, view, userId, new Set(memberIds.filter((id) => id !== userId)));
  void sharePresence(ctx, [userId], memberIds);
}

defineAckHandler("conversation:open-direct", userTargetInputSchema, async (input, ctx) => {
  const { view, isNew } = await openDirect(ctx.userId, input.userId);
  if (isNew) announceNewDirect(ctx, view, ctx.userId);
  return toConversationDto(view, ctx.userId);
});

defineAckHandler("conversation:create-group", conversationCreateGroupInputSchema, async (input, ctx) => {
  const { io, userId } = ctx;
  const { view } = await createGroup(userId, input);
  const memberIds = view.memberships.map((membership) => membership.userId);
  const addedIds = memberIds.filter((id) => id !== userId);
  joinLiveSockets(io, memberIds, view.conversation.id);
  announceConversation(io, view, userId, new Set(addedIds));
  void sharePresence(ctx, memberIds, memberIds);
  notifyAddedToGroup(ctx, view.conversation, addedIds, actorOf(ctx));
  return toConversationDto(view, userId);
});

defineAckHandler("conversation:add-members", conversationAddMembersInputSchema, async (input, ctx) => {
  const { io, userId } = ctx;
  const result = await addMembers(userId, input);
  if (result.addedIds.length > 0) {
    joinLiveSockets(io, result.addedIds, input.conversationId);
    announceConversation(io, result.view, userId, new Set(result.addedIds));
    announceMessage(io, result.systemMessage);
    void sharePresence(ctx, result.addedIds, result.view.memberships.map((membership) => membership.userId));
    notifyAddedToGroup(ctx, result.view.conversation, result.addedIds, actorOf(ctx));
  }
  return toConversationDto(result.view, userId);
});

defineAckHandler("conversation:remove-member", conversationMemberInputSchema, async (input, { io, userId }) => {
  const result = await removeMember(userId, input);
  announceRemoval(io, result, userId);
  return toConversationDto(result.view, userId);
});

defineAckHandler("conversation:leave", conversationTargetInputSchema, async (input, { io, userId }) => {
  announceRemoval(io, await leaveConversation(userId, input.conversationId), userId);
  return { conversationId: input.conversationId };
});

defineAckHandler("conversation:rename", conversationRenameInputSchema, async (input, { io, userId }) => {
  const result = await renameGroup(userId, input);
  announceConversation(io, result.view, userId);
  announceMessage(io, result.systemMessage);
  return toConversationDto(result.view, userId);
});



import {
  contactsRespondInputSchema,
  contactsSearchInputSchema,
  emptyInputSchema,
  type FriendRequestDto,
  requestTargetInputSchema,
  userTargetInputSchema,
} from "@/lib/realtime/protocol";
import {
  blockUser,
  cancelFriendRequest,
  getContacts,
  respondToFriendRequest,
  searchUsers,
  sendFriendRequest,
  unblockUser,
} from "@/lib/services/contact-service";
import { defineAckHandler } from "../define-handler";
import { isEmailLookup, spendEmailLookup } from "../email-lookup-limit";
import { notifyFriendRequest } from "../notifications/notifier";
import { userRoom } from "../rooms";
import type { HandlerContext } from "../types";
import { endCallOnBlock } from "./call-handlers";
import { hidePresence, sharePresence } from "./presence-handlers";

/**
 * Both people see every change of a request between them, in all their tabs; new contacts see
 * each other's presence. A new request and an acceptance also notify (after the answer).
 */
function announceRequest(ctx: HandlerContext, request: FriendRequestDto, isNew = true): FriendRequestDto {
  ctx.io.to([userRoom(request.from.id), userRoom(request.to.id)]).emit("contacts:request-changed", request);
  if (request.status === "accepted") void sharePresence(ctx, [request.from.id], [request.to.id]);
  notifyFriendRequest(ctx, request, isNew);
  return request;
}

defineAckHandler("contacts:list", emptyInputSchema, (_input, { userId }) => getContacts(userId));

defineAckHandler("contacts:search", contactsSearchInputSchema, async (input, { userId }) => {
  if (isEmailLookup(input.query)) await spendEmailLookup(userId);
  return searchUsers(userId, input);
});

defineAckHandler("contacts:request", userTargetInputSchema, async (input, ctx) => {
  const sent = await sendFriendRequest(ctx.userId, input.userId);
  return announceRequest(ctx, sent.request, sent.isNew);
});

defineAckHandler("contacts:respond", contactsRespondInputSchema, async (input, ctx) =>
  announceRequest(ctx, await respondToFriendRequest(ctx.userId, input)),
);

defineAckHandler("contacts:cancel", requestTargetInputSchema, async (input, ctx) =>
  announceRequest(ctx, await cancelFriendRequest(ctx.userId, input.requestId)),
);

// Only the blocker's tabs hear about the block itself; the blocked person just sees them go offline.
defineAckHandler("contacts:block", userTargetInputSchema, async (input, ctx) => {
  const contacts = await blockUser(ctx.userId, input.userId);
  ctx.io.to(userRoom(ctx.userId)).emit("contacts:changed", contacts);
  hidePresence(ctx, ctx.userId, input.userId);
  await endCallOnBlock(ctx, ctx.userId, input.userId);
  return contacts;
});

// Unblocking restores visibility only where a relation remains (presence checks it on every change).
defineAckHandler("contacts:unblock", userTargetInputSchema, async (input, ctx) => {
  const contacts = await unblockUser(ctx.userId, input.userId);
  ctx.io.to(userRoom(ctx.userId)).emit("contacts:changed", contacts);
  return contacts;
});


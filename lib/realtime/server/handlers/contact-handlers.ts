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
import { userRoom } from "../rooms";
import type { AppServer, HandlerContext } from "../types";

/** Both people see every change of a request between them, in all their tabs. */
function announceRequest(io: AppServer, request: FriendRequestDto): FriendRequestDto {
  io.to([userRoom(request.from.id), userRoom(request.to.id)]).emit("contacts:request-changed", request);
  return request;
}

const list = defineAckHandler("contacts:list", emptyInputSchema, (_input, { userId }) => getContacts(userId));

const search = defineAckHandler("contacts:search", contactsSearchInputSchema, (input, { userId }) => searchUsers(userId, input));

const request = defineAckHandler("contacts:request", userTargetInputSchema, async (input, { io, userId }) =>
  announceRequest(io, await sendFriendRequest(userId, input.userId)),
);

const respond = defineAckHandler("contacts:respond", contactsRespondInputSchema, async (input, { io, userId }) =>
  announceRequest(io, await respondToFriendRequest(userId, input)),
);

const cancel = defineAckHandler("contacts:cancel", requestTargetInputSchema, async (input, { io, userId }) =>
  announceRequest(io, await cancelFriendRequest(userId, input.requestId)),
);

// Only the blocker's tabs hear about a block: the blocked person is not told.
const block = defineAckHandler("contacts:block", userTargetInputSchema, async (input, { io, userId }) => {
  const contacts = await blockUser(userId, input.userId);
  io.to(userRoom(userId)).emit("contacts:changed", contacts);
  return contacts;
});

const unblock = defineAckHandler("contacts:unblock", userTargetInputSchema, async (input, { io, userId }) => {
  const contacts = await unblockUser(userId, input.userId);
  io.to(userRoom(userId)).emit("contacts:changed", contacts);
  return contacts;
});

export function registerContactHandlers(ctx: HandlerContext): void {
  const { socket } = ctx;
  socket.on("contacts:list", list(ctx));
  socket.on("contacts:search", search(ctx));
  socket.on("contacts:request", request(ctx));
  socket.on("contacts:respond", respond(ctx));
  socket.on("contacts:cancel", cancel(ctx));
  socket.on("contacts:block", block(ctx));
  socket.on("contacts:unblock", unblock(ctx));
}

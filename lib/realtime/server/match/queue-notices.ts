/**
 * Telling queued people about the queue: each status goes to the one socket that joined, and only
 * to those whose position or "relaxed" changed (the queue computes who). Shared by the match
 * handlers and the call handlers (a call taking someone out of the queue).
 */
import type { HandlerContext } from "../types";
import { getMatchQueue, type QueueNotice } from "./match-queue";

type Ctx = Pick<HandlerContext, "io">;

export function pushQueueStatus(ctx: Ctx, notices: readonly QueueNotice[]): void {
  for (const notice of notices) ctx.io.to(notice.socketId).emit("match:queue", notice.status);
}

/** Takes the user out of the queue, if there, telling their queued socket why and the others their new places. */
export async function removeFromQueue(ctx: Ctx, userId: string, reason: "call-started" | "replaced"): Promise<boolean> {
  const { left, moved } = await getMatchQueue().leave(userId, {}, Date.now());
  if (left) ctx.io.to(left.socketId).emit("match:left", { reason });
  pushQueueStatus(ctx, moved);
  return left !== null;
}

/**
 * The place held by this socket goes with it (the client joins again after a reconnect); a place
 * the user took from another socket stays. A socket's "disconnect", and the sockets of a process
 * that died without running their handlers.
 */
export async function leaveQueueFromSocket(ctx: Ctx, userId: string, socketId: string): Promise<void> {
  const { moved } = await getMatchQueue().leave(userId, { socketId }, Date.now());
  pushQueueStatus(ctx, moved);
}

import { emptyInputSchema, systemEchoInputSchema, systemPingInputSchema } from "@/lib/realtime/protocol";
import { defineAckHandler } from "../define-handler";
import { userRoom } from "../rooms";
import type { HandlerContext } from "../types";

const ping = defineAckHandler("system:ping", systemPingInputSchema, async (input) => ({
  sentAt: input.sentAt,
  serverTime: Date.now(),
}));

// Every tab of the user gets the echo: the UI uses it to check that exactly one listener is bound.
const echo = defineAckHandler("system:echo", systemEchoInputSchema, async (input, { io, socket, userId }) => {
  const event = { nonce: input.nonce, socketId: socket.id };
  io.to(userRoom(userId)).emit("system:echoed", event);
  return event;
});

const whoami = defineAckHandler("session:whoami", emptyInputSchema, async (_input, { socket }) => socket.data.user);

export function registerSystemHandlers(ctx: HandlerContext): void {
  ctx.socket.on("system:ping", ping(ctx));
  ctx.socket.on("system:echo", echo(ctx));
  ctx.socket.on("session:whoami", whoami(ctx));
}

import { emptyInputSchema, systemEchoInputSchema, systemPingInputSchema } from "@/lib/realtime/protocol";
import { defineAckHandler } from "../define-handler";
import { userRoom } from "../rooms";

defineAckHandler("system:ping", systemPingInputSchema, async (input) => ({
  sentAt: input.sentAt,
  serverTime: Date.now(),
}));

// Every tab of the user gets the echo: the UI uses it to check that exactly one listener is bound.
defineAckHandler("system:echo", systemEchoInputSchema, async (input, { io, socket, userId }) => {
  const event = { nonce: input.nonce, socketId: socket.id };
  io.to(userRoom(userId)).emit("system:echoed", event);
  return event;
});

defineAckHandler("session:whoami", emptyInputSchema, async (_input, { socket }) => socket.data.user);


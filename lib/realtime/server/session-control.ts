/** Ends one browser session's sockets (sign-out). Safe inside Next's bundle: it only uses the registry. */
import { getRealtimeServer } from "./registry";
import { sessionRoom } from "./rooms";

export function disconnectSession(sid: string): void {
  const io = getRealtimeServer();
  if (!io) return;
  const room = sessionRoom(sid);
  io.to(room).emit("session:revoked", { reason: "signed-out" });
  io.in(room).disconnectSockets(true);
}

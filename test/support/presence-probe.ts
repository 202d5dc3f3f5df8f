/**
 * A fresh look at presence, as a page that just opened would get it: connects on a new socket as
 * the given user, reads the presence snapshot and leaves. Used by the ghost checks (after crashes,
 * faults and killed processes, nobody who left may stay online). Test-only.
 */
import { io } from "socket.io-client";

import { type AppClientSocket, fetchSocketToken, nextEvent } from "./clients";

/** How many of `userIds` the snapshot shows as anything but offline. */
export async function countOnline(url: string, cookie: string, userIds: readonly string[]): Promise<number> {
  const { token } = await fetchSocketToken({ url }, cookie);
  const socket: AppClientSocket = io(url, { transports: ["websocket"], forceNew: true, auth: { token } });
  try {
    const { presences } = await nextEvent(socket, "presence:snapshot");
    return presences.filter((presence) => presence.status !== "offline" && userIds.includes(presence.userId)).length;
  } finally {
    socket.disconnect();
  }
}

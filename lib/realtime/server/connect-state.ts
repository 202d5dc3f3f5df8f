/**
 * What a socket is sent as it connects: its conversations (rooms and unread counts), its unread
 * notification count, its own presence profile and its audience's. Read in the handshake's
 * middleware, once the token and session are checked and the socket is admitted, as one batch
 * with every other handshake of that moment (batch-loader.ts): the connection handler then joins
 * and sends `session:ready` and the counts in the connect ack's write, the presence snapshot in the
 * next, instead of a read and a write per packet (docs/PERFORMANCE.md, the handshake profile).
 * A room change in between (room-changes.ts) makes the connection handler read again. Node-only.
 */
import type { UnreadCountsDto } from "@/lib/realtime/protocol";
import { listMembershipSummaries } from "@/lib/services/membership-summaries";
import { countUnread } from "@/lib/services/notification-service";
import { loadPresenceProfile, type PresenceProfile, presenceAudienceProfiles } from "@/lib/services/presence-service";
import { roomChanges } from "./room-changes";
import type { AppServerSocket } from "./types";

export type ConnectState = {
  counts: UnreadCountsDto["counts"];
  unreadNotifications: number;
  /** Null only if the user row vanished between the session check and this read. */
  profile: PresenceProfile | null;
  audience: PresenceProfile[];
};

export async function loadConnectState(userId: string): Promise<ConnectState> {
  const [counts, unreadNotifications, profile, audience] = await Promise.all([
    listMembershipSummaries(userId),
    countUnread(userId),
    loadPresenceProfile(userId),
    presenceAudienceProfiles(userId),
  ]);
  return { counts, unreadNotifications, profile, audience };
}

/** From the middleware to the connection handler of the same socket (never kept past the connect). */
const loaded = new WeakMap<AppServerSocket, { state: ConnectState; roomChanges: number }>();

/** Reads the socket's connect state for the connection handler; the room-change count is taken before the read. */
export async function prepareConnectState(socket: AppServerSocket, userId: string): Promise<void> {
  const changesBefore = roomChanges();
  loaded.set(socket, { state: await loadConnectState(userId), roomChanges: changesBefore });
}

/**
 * The state read in the middleware, or null when it may be stale: missing, or a room changed since
 * it was read (the caller then reads again, once the socket is in its user room).
 */
export function takeConnectState(socket: AppServerSocket): ConnectState | null {
  const held = loaded.get(socket);
  loaded.delete(socket);
  return held && held.roomChanges === roomChanges() ? held.state : null;
}

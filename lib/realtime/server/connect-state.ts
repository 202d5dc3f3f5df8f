/**
 * What a socket is sent as it connects: its conversations (rooms and unread counts), its unread
 * notification count, its own presence profile and its audience's. Read in the handshake's
 * middleware, once the token and session are checked and the socket is admitted, as one batch
 * with every other handshake of that moment (batch-loader.ts): the connection handler then joins
 * and emits everything in the same turn, so the connect ack and its five packets leave in one
 * socket write instead of one per read (docs/PERFORMANCE.md, the handshake profile). Node-only.
 */
import type { UnreadCountsDto } from "@/lib/realtime/protocol";
import { listMembershipSummaries } from "@/lib/services/conversation-service";
import { countUnread } from "@/lib/services/notification-service";
import { loadPresenceProfile, type PresenceProfile, presenceAudienceProfiles } from "@/lib/services/presence-service";
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
const loaded = new WeakMap<AppServerSocket, ConnectState>();

export function holdConnectState(socket: AppServerSocket, state: ConnectState): void {
  loaded.set(socket, state);
}

export function takeConnectState(socket: AppServerSocket): ConnectState | undefined {
  const state = loaded.get(socket);
  loaded.delete(socket);
  return state;
}

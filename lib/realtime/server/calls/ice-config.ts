/**
 * ICE servers for a browser: the static list from ICE_SERVERS, plus TURN servers with
 * time-limited credentials when TURN_URLS and TURN_SECRET are set (the TURN REST scheme coturn's
 * `use-auth-secret` checks: username "<expiry unix seconds>:<userId>", credential
 * base64(HMAC-SHA1(secret, username))). Nothing configured: an empty list, which works on loopback
 * and on a LAN (host candidates).
 *
 * A match call (with a stranger) under MATCH_RELAY_ONLY gets iceTransportPolicy "relay": the
 * browser then offers only TURN-relayed candidates, so neither side learns the other's address.
 */
import { createHmac } from "node:crypto";

import type { ServerEnv } from "@/lib/env";
import type { IceConfigDto, IceServerDto } from "@/lib/realtime/protocol";

export const TURN_CREDENTIAL_TTL_SECONDS = 3_600;

export function turnCredential(secret: string, userId: string, nowMs: number): { username: string; credential: string } {
  const expiry = Math.floor(nowMs / 1000) + TURN_CREDENTIAL_TTL_SECONDS;
  const username = `${expiry}:${userId}`;
  return { username, credential: createHmac("sha1", secret).update(username).digest("base64") };
}

export function iceConfigFor(
  env: Pick<ServerEnv, "ICE_SERVERS" | "TURN_URLS" | "TURN_SECRET" | "MATCH_RELAY_ONLY">,
  userId: string,
  nowMs = Date.now(),
  options: { match?: boolean | undefined } = {},
): IceConfigDto {
  const iceServers: IceServerDto[] = (env.ICE_SERVERS ?? []).map((server) => ({
    urls: [...server.urls],
    ...(server.username !== undefined ? { username: server.username } : {}),
    ...(server.credential !== undefined ? { credential: server.credential } : {}),
  }));
  if (env.TURN_URLS?.length && env.TURN_SECRET) iceServers.push({ urls: [...env.TURN_URLS], ...turnCredential(env.TURN_SECRET, userId, nowMs) });
  return { iceServers, iceTransportPolicy: options.match && env.MATCH_RELAY_ONLY ? "relay" : "all" };
}

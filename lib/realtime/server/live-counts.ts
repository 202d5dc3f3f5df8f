/** Live counts (sockets: this process; calls and the queue: wherever their state lives, cluster-wide with Redis), read by the admin dashboard and by `/metrics` gauges (never per request). */
import type { LiveSources } from "@/lib/ops/metrics";
import { getCallState } from "./calls/call-state";
import { getMatchQueue } from "./match/match-queue";
import type { AppServer } from "./types";

export function liveSources(io: AppServer): LiveSources {
  const sockets = () => io.of("/").sockets;
  return {
    openSockets: () => sockets().size,
    connectedUsers: () => {
      const users = new Set<string>();
      for (const socket of sockets().values()) users.add(socket.data.userId);
      return users.size;
    },
    activeCalls: async () => (await getCallState().counts()).active,
    ringingCalls: async () => (await getCallState().counts()).ringing,
    matchQueueLength: () => getMatchQueue().size(),
  };
}

/**
 * How many sockets one user may hold at once (MAX_SOCKETS_PER_USER), checked by the handshake
 * middleware in io.ts after the token: one more is refused with `connect_error`
 * TOO_MANY_CONNECTIONS. Without a cap one account could hold thousands of sockets, each costing
 * memory and a copy of every broadcast to that user.
 *
 * The count is the union of two sets of socket ids, so no socket is counted twice:
 * - the presence state's sockets of the user (every process's, in Redis with scale-out; a dead
 *   process's are reaped there by instances.ts), read once per handshake, no database query;
 * - the sockets this process admitted and that have not closed yet, kept here synchronously. The
 *   presence write follows the connection, so without them a burst of parallel handshakes would
 *   all read the same count and all pass.
 * Exact within one process. Across processes, handshakes of one user landing on several processes
 * within the same few milliseconds could each pass before the others reach presence (at most the
 * cap per process; a balancer with IP affinity, like deploy/nginx, sends one client to one process).
 * While the shared state is unreachable, this process's own sockets are the count. Node-only.
 */
import type { Logger } from "pino";

export type SocketAdmissionOptions = {
  maxPerUser: number;
  /** The user's sockets on every process (the presence state). */
  socketsOf: (userId: string) => Promise<readonly string[]>;
  logger: Logger;
};

export type SocketAdmission = {
  /** True if the socket may connect; it then counts until `release` (call on disconnect and on transport close). */
  admit(userId: string, socketId: string): Promise<boolean>;
  /** Idempotent. */
  release(userId: string, socketId: string): void;
};

export function createSocketAdmission(options: SocketAdmissionOptions): SocketAdmission {
  const { maxPerUser, socketsOf, logger } = options;
  /** userId → sockets this process admitted and that are still open. */
  const local = new Map<string, Set<string>>();
  let sharedStateFailing = false;

  return {
    async admit(userId, socketId) {
      let counted: readonly string[] = [];
      try {
        counted = await socketsOf(userId);
        sharedStateFailing = false;
      } catch (error) {
        // An outage must not refuse every handshake: this process's own sockets still count.
        if (!sharedStateFailing) logger.warn({ err: error }, "socket cap: presence unreachable, counting this process's sockets only");
        sharedStateFailing = true;
      }
      // Synchronous from here: parallel handshakes of one user are decided one after another.
      const mine = local.get(userId) ?? new Set<string>();
      const held = new Set(counted);
      for (const id of mine) held.add(id);
      // A recovered session comes back with its old id, possibly not yet removed from presence.
      held.delete(socketId);
      if (held.size >= maxPerUser) return false;
      mine.add(socketId);
      local.set(userId, mine);
      return true;
    },
    release(userId, socketId) {
      const mine = local.get(userId);
      if (!mine) return;
      mine.delete(socketId);
      if (mine.size === 0) local.delete(userId);
    },
  };
}

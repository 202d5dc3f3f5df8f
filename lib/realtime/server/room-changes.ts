/**
 * Counts bulk room changes (`socketsJoin` / `socketsLeave`), made by this process or, through the
 * cluster adapter, by another one: every Socket.IO adapter applies them on this process through
 * the base class's `addSockets` / `delSockets`. A handshake reads its conversations in the
 * middleware, before its socket is connected, and adapters skip sockets that are not connected
 * yet: a member added to (or removed from) a conversation between that read and the connection
 * would be missed. The connection handler compares the count with the one taken before the read
 * and reads again when it moved (io.ts). Node-only.
 */
import { Adapter } from "socket.io-adapter";

let changes = 0;

const PATCHED = Symbol.for("parley.roomChanges");

type Counted = { addSockets(...args: unknown[]): unknown; delSockets(...args: unknown[]): unknown; [PATCHED]?: true };

/** Idempotent: patches the base adapter's prototype once per process. */
export function countRoomChanges(): void {
  const prototype = Adapter.prototype as unknown as Counted;
  if (prototype[PATCHED]) return;
  const { addSockets, delSockets } = prototype;
  prototype.addSockets = function (this: Counted, ...args: unknown[]): unknown {
    changes += 1;
    return addSockets.apply(this, args);
  };
  prototype.delSockets = function (this: Counted, ...args: unknown[]): unknown {
    changes += 1;
    return delSockets.apply(this, args);
  };
  prototype[PATCHED] = true;
}

export const roomChanges = (): number => changes;

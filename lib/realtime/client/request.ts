import "client-only";

import { describeError } from "@/lib/errors";
import type { Ack, ClientToServerEvents, RealtimeError } from "@/lib/realtime/protocol";
import type { AppClientSocket } from "./socket-manager";

export const REQUEST_TIMEOUT_MS = 8_000;

export type RequestEvent = {
  [E in keyof ClientToServerEvents]: Parameters<ClientToServerEvents[E]> extends [unknown, (result: never) => void] ? E : never;
}[keyof ClientToServerEvents];

export type InputOf<E extends RequestEvent> = Parameters<ClientToServerEvents[E]>[0];
export type DataOf<E extends RequestEvent> = Parameters<ClientToServerEvents[E]>[1] extends (result: Ack<infer T>) => void ? T : never;

/** A typed error from an ack, a timeout or a dropped connection. */
export class RequestError extends Error {
  constructor(readonly error: RealtimeError) {
    super(error.message);
    this.name = "RequestError";
  }
}

/** Emits a request event and resolves with its data, or rejects with a RequestError. */
export async function request<E extends RequestEvent>(
  socket: AppClientSocket,
  event: E,
  input: InputOf<E>,
  timeoutMs = REQUEST_TIMEOUT_MS,
): Promise<DataOf<E>> {
  let result: Ack<DataOf<E>>;
  try {
    // Socket.IO's typed overloads cannot follow a generic event name; the types above already pin it.
    result = (await (socket.timeout(timeoutMs) as unknown as { emitWithAck: (e: string, i: unknown) => Promise<unknown> }).emitWithAck(event, input)) as Ack<DataOf<E>>;
  } catch (error) {
    throw new RequestError(describeError(error));
  }
  if (!result.ok) throw new RequestError(result.error);
  return result.data;
}

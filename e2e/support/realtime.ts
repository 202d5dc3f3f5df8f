import type { APIRequestContext } from "@playwright/test";
import { io, type Socket } from "socket.io-client";

import type { Ack, ClientToServerEvents, ServerToClientEvents, SocketTokenResponse } from "../../lib/realtime/protocol";

type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * A real socket for a signed-in browser context, for arranging state (e.g. opening a conversation)
 * without clicking through screens the test is not about.
 */
export async function socketFor(request: APIRequestContext, baseURL: string): Promise<TestSocket> {
  const response = await request.get("/api/socket-token");
  if (!response.ok()) throw new Error(`socket token: ${response.status()}`);
  const { token } = (await response.json()) as SocketTokenResponse;
  const socket: TestSocket = io(baseURL, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once("session:ready", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

export async function call<T>(socket: TestSocket, event: keyof ClientToServerEvents, input: unknown): Promise<T> {
  const result = (await (socket.timeout(10_000) as unknown as { emitWithAck: (e: string, i: unknown) => Promise<Ack<T>> }).emitWithAck(event, input));
  if (!result.ok) throw new Error(`${event}: ${result.error.code} ${result.error.message}`);
  return result.data;
}

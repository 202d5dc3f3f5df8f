/**
 * Shared by the chat integration tests (contacts, conversations, messages, sync): people with
 * real sessions and sockets, typed requests, event logs, barriers and a read-only look at the
 * server's database. Test-only.
 */
import { randomUUID } from "node:crypto";

import { io } from "socket.io-client";
import { afterEach, expect } from "vitest";

import type { Ack, ClientToServerEvents, ServerToClientEvents } from "@/lib/realtime/protocol";
import {
  type AppClientSocket,
  connectSocket,
  fetchSocketToken,
  postRegister,
  registerUser,
  type RegisteredUser,
  uniqueEmail,
} from "@/test/support/clients";
import { openTestDb, type TestDb } from "@/test/support/database";
import type { TestServer } from "@/test/support/server";

export const CHAT_SERVER_ENV = { AUTH_ATTEMPTS_PER_MINUTE: "1000", RATE_LIMIT_PER_SECOND: "1000" };

type RequestEvent = {
  [E in keyof ClientToServerEvents]: Parameters<ClientToServerEvents[E]> extends [unknown, (result: never) => void] ? E : never;
}[keyof ClientToServerEvents];
type InputOf<E extends RequestEvent> = Parameters<ClientToServerEvents[E]>[0];
export type DataOf<E extends RequestEvent> = Parameters<ClientToServerEvents[E]>[1] extends (result: Ack<infer T>) => void ? T : never;

/** The raw ack of a request; `input` is loosely typed so tests can send what a client never would. */
export async function ask<E extends RequestEvent>(socket: AppClientSocket, event: E, input: InputOf<E> | Record<string, unknown>): Promise<Ack<DataOf<E>>> {
  const emitter = socket.timeout(15_000) as unknown as { emitWithAck: (event: string, input: unknown) => Promise<unknown> };
  return (await emitter.emitWithAck(event, input)) as Ack<DataOf<E>>;
}

/** The data of a request that must succeed. */
export async function ok<E extends RequestEvent>(socket: AppClientSocket, event: E, input: InputOf<E>): Promise<DataOf<E>> {
  const result = await ask(socket, event, input);
  if (!result.ok) throw new Error(`${event} failed: ${JSON.stringify(result.error)}`);
  return result.data;
}

/** The error code of a request that must fail. */
export async function failure<E extends RequestEvent>(socket: AppClientSocket, event: E, input: InputOf<E> | Record<string, unknown>): Promise<string> {
  const result = await ask(socket, event, input);
  expect(result.ok, `${event} should have failed`).toBe(false);
  return result.ok ? "OK" : result.error.code;
}

/**
 * Resolves once every packet the server emitted to `socket` before this call has arrived: an ack
 * travels the same ordered connection and is sent after them.
 */
export async function barrier(socket: AppClientSocket): Promise<void> {
  await ok(socket, "system:ping", { sentAt: Date.now() });
}

type Payload<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

/** Every `event` the socket receives from now on, in order. */
export function record<E extends keyof ServerToClientEvents>(socket: AppClientSocket, event: E): Payload<E>[] {
  const log: Payload<E>[] = [];
  socket.on(event, ((payload: Payload<E>) => log.push(payload)) as never);
  return log;
}

/** The next `event` on `socket` that matches `predicate`. */
export function nextMatching<E extends keyof ServerToClientEvents>(
  socket: AppClientSocket,
  event: E,
  predicate: (payload: Payload<E>) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<Payload<E>> {
  return new Promise((resolve, reject) => {
    const listener = (payload: Payload<E>) => {
      if (!predicate(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(payload);
    };
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`no matching ${String(event)} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on(event, listener as never);
  });
}

export type Person = RegisteredUser & {
  socket: AppClientSocket;
  /** Another tab of the same browser session. */
  connect: () => Promise<AppClientSocket>;
  /** Another tab, not connected yet: attach listeners for what arrives right at connect, then `connect()`. */
  unconnected: () => Promise<AppClientSocket>;
};

const unconnectedSockets = new Set<AppClientSocket>();
afterEach(() => {
  for (const socket of unconnectedSockets) socket.disconnect();
  unconnectedSockets.clear();
});

/** A registered, signed-in person with one connected socket. */
export async function person(server: TestServer, name?: string): Promise<Person> {
  const user = await registerUser(server, name ? { name } : {});
  const connect = async () => connectSocket(server, (await fetchSocketToken(server, user.cookie)).token);
  const unconnected = async () => {
    const { token } = await fetchSocketToken(server, user.cookie);
    const socket: AppClientSocket = io(server.url, { transports: ["websocket"], forceNew: true, autoConnect: false, auth: { token } });
    unconnectedSockets.add(socket);
    return socket;
  };
  return { ...user, socket: await connect(), connect, unconnected };
}

/** An account without a session (cheap: for search results). */
export async function account(server: TestServer, name: string): Promise<{ id: string; email: string }> {
  const email = uniqueEmail("acct");
  const { status, body } = await postRegister(server, { name, email, password: `pw-${randomUUID()}` });
  if (status !== 201) throw new Error(`register failed: ${status}`);
  return { id: (body as { user: { id: string } }).user.id, email };
}

/** Read-only queries against the server's database (SQLite file or PostgreSQL database). */
export function openDb(server: TestServer): TestDb {
  return openTestDb(server.databaseUrl);
}

/** A snapshot of every chat table's row count and the conversations' counters: "nothing changed". */
export async function chatSnapshot(db: TestDb): Promise<string> {
  const tables = ["FriendRequest", "Contact", "Block", "Conversation", "Membership", "Message", "Reaction"];
  const counts = await Promise.all(tables.map(async (table) => `${table}=${await db.count(`SELECT COUNT(*) AS n FROM "${table}"`)}`));
  // Rows in a fixed order, joined in JavaScript: group_concat and string_agg differ.
  const concat = async (expression: string, table: string) =>
    (await db.all<{ v: string }>(`SELECT ${expression} AS "v" FROM "${table}" ORDER BY 1`)).map((row) => row.v).join(",");
  const counters = await concat(`"id" || ':' || "lastSeq" || ':' || "lastVersion" || ':' || coalesce("name", '')`, "Conversation");
  const memberships = await concat(`"conversationId" || ':' || "userId" || ':' || "role" || ':' || "readSeq"`, "Membership");
  const messages = await concat(`"id" || ':' || "version" || ':' || "body"`, "Message");
  const requests = await concat(`"id" || ':' || "status"`, "FriendRequest");
  return [...counts, counters, memberships, messages, requests].join("|");
}

/** Fails if any payload carries one of the given emails. */
export function expectNoEmails(payload: unknown, emails: string[]): void {
  const text = JSON.stringify(payload);
  for (const email of emails) expect(text).not.toContain(email);
}

export const newId = (): string => randomUUID();

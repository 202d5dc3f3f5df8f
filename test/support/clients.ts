/**
 * Real clients for integration tests: accounts and next-auth sessions over HTTP (global fetch, a
 * small cookie jar) and typed socket.io-client sockets. Sockets opened here are closed after each test.
 */
import { randomUUID } from "node:crypto";

import { io, type ManagerOptions, type Socket, type SocketOptions } from "socket.io-client";
import { afterEach } from "vitest";

import type { ClientToServerEvents, ServerToClientEvents, SessionUserDto, SocketTokenResponse } from "@/lib/realtime/protocol";
import type { TestServer } from "./server";

export type AppClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ClientOptions = Partial<ManagerOptions & SocketOptions>;
export type SessionReady = { user: SessionUserDto; serverTime: number };

/** The next-auth session cookie on plain http (no `__Secure-` prefix). */
export const SESSION_COOKIE = "next-auth.session-token";
const CONNECT_TIMEOUT_MS = 10_000;

type ServerRef = Pick<TestServer, "url">;

// ── Cookies ──────────────────────────────────────────────────────────────────
/** Name → value, fed from `Set-Cookie` headers; deletions (Max-Age=0, past Expires, empty value) remove. */
export class CookieJar {
  private readonly cookies = new Map<string, string>();

  static fromHeader(header: string | undefined): CookieJar {
    const jar = new CookieJar();
    for (const part of (header ?? "").split(";")) {
      const index = part.indexOf("=");
      if (index > 0) jar.cookies.set(part.slice(0, index).trim(), part.slice(index + 1).trim());
    }
    return jar;
  }

  update(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const index = pair.indexOf("=");
      if (index <= 0) continue;
      const name = pair.slice(0, index).trim();
      const value = pair.slice(index + 1).trim();
      const expired = attributes.some((attribute) => {
        const [key = "", raw = ""] = attribute.split("=").map((item) => item.trim());
        if (key.toLowerCase() === "max-age") return Number(raw) <= 0;
        if (key.toLowerCase() === "expires") return Date.parse(raw) <= Date.now();
        return false;
      });
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  get(name: string): string | undefined {
    return this.cookies.get(name);
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text();
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

// ── Accounts and sessions ────────────────────────────────────────────────────
export type RegisteredUser = { id: string; name: string; email: string; password: string; cookie: string };

export function uniqueEmail(prefix = "user"): string {
  return `${prefix}-${randomUUID()}@example.test`;
}

export async function postRegister(server: ServerRef, body: unknown): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${server.url}/api/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await readBody(response) };
}

/** Registers a new account (unique email unless given) and signs it in: `cookie` is its session. */
export async function registerUser(
  server: ServerRef,
  input: { name?: string; email?: string; password?: string } = {},
): Promise<RegisteredUser> {
  const name = input.name ?? `Tester ${randomUUID().slice(0, 8)}`;
  const email = input.email ?? uniqueEmail();
  const password = input.password ?? `pw-${randomUUID()}`;
  const { status, body } = await postRegister(server, { name, email, password });
  if (status !== 201) throw new Error(`register failed: ${status} ${JSON.stringify(body)}`);
  const id = (body as { user?: { id?: unknown } }).user?.id;
  if (typeof id !== "string") throw new Error(`register returned no user id: ${JSON.stringify(body)}`);
  const cookie = await signIn(server, email, password);
  return { id, name, email, password, cookie };
}

export type SignInAttempt = {
  status: number;
  body: unknown;
  /** Names of the cookies the response set (a session cookie only on success). */
  setCookieNames: string[];
  jar: CookieJar;
  sessionCookie: string | undefined;
};

/** One next-auth credentials sign-in, success or not: csrf round trip, then the form post. */
export async function attemptSignIn(server: ServerRef, email: string, password: string): Promise<SignInAttempt> {
  const jar = new CookieJar();
  const csrfResponse = await fetch(`${server.url}/api/auth/csrf`);
  jar.update(csrfResponse);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const response = await fetch(`${server.url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  jar.update(response);
  const setCookieNames = response.headers.getSetCookie().map((line) => line.slice(0, line.indexOf("=")).trim());
  return { status: response.status, body: await readBody(response), setCookieNames, jar, sessionCookie: jar.get(SESSION_COOKIE) };
}

/** Signs in and returns the Cookie header of the new browser session; throws if sign-in failed. */
export async function signIn(server: ServerRef, email: string, password: string): Promise<string> {
  const attempt = await attemptSignIn(server, email, password);
  if (!attempt.sessionCookie) {
    throw new Error(`sign-in failed for ${email}: ${attempt.status} ${JSON.stringify(attempt.body)}`);
  }
  return attempt.jar.header();
}

/** next-auth sign-out of the browser session behind `cookie` (revokes its sid server-side). */
export async function signOut(server: ServerRef, cookie: string): Promise<void> {
  const jar = CookieJar.fromHeader(cookie);
  const csrfResponse = await fetch(`${server.url}/api/auth/csrf`, { headers: { cookie: jar.header() } });
  jar.update(csrfResponse);
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const response = await fetch(`${server.url}/api/auth/signout`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header() },
    body: new URLSearchParams({ csrfToken, json: "true" }),
  });
  const body = await readBody(response);
  if (response.status !== 200) throw new Error(`sign-out failed: ${response.status} ${JSON.stringify(body)}`);
}

/** `GET /api/socket-token` with the session cookie; throws on anything but 200. */
export async function fetchSocketToken(server: ServerRef, cookie: string): Promise<SocketTokenResponse> {
  const response = await fetch(`${server.url}/api/socket-token`, { headers: { cookie } });
  const body = await readBody(response);
  if (response.status !== 200) throw new Error(`socket-token failed: ${response.status} ${JSON.stringify(body)}`);
  return body as SocketTokenResponse;
}

// ── Sockets ──────────────────────────────────────────────────────────────────
const openSockets = new Set<AppClientSocket>();
const readyEvents = new WeakMap<AppClientSocket, SessionReady>();

function createSocket(server: ServerRef, auth: Record<string, unknown> | undefined, opts: ClientOptions): AppClientSocket {
  // forceNew: never share a Manager (and its headers/connection) between test clients.
  const socket: AppClientSocket = io(server.url, { transports: ["websocket"], forceNew: true, ...(auth ? { auth } : {}), ...opts });
  openSockets.add(socket);
  return socket;
}

/** Closes every socket opened through this module (runs after each test). */
export function closeAllSockets(): void {
  for (const socket of openSockets) socket.disconnect();
  openSockets.clear();
}

afterEach(() => {
  closeAllSockets();
});

/** The `session:ready` event a socket from `connectSocket` received. */
export function sessionReadyOf(socket: AppClientSocket): SessionReady {
  const ready = readyEvents.get(socket);
  if (!ready) throw new Error("this socket has not received session:ready");
  return ready;
}

/**
 * Opens an authenticated socket (websocket transport unless `opts` say otherwise); resolves once it
 * is connected and has received `session:ready`, rejects with the `connect_error`.
 */
export async function connectSocket(server: ServerRef, token: string, opts: ClientOptions = {}): Promise<AppClientSocket> {
  const socket = createSocket(server, { token }, opts);
  const ready = new Promise<SessionReady>((resolve) => socket.once("session:ready", resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`socket did not connect within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      socket.once("connect", () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once("connect_error", (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    const event = await Promise.race([
      ready,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no session:ready after connect")), CONNECT_TIMEOUT_MS)),
    ]);
    readyEvents.set(socket, event);
    return socket;
  } catch (error) {
    socket.disconnect();
    throw error;
  }
}

export type ConnectFailure = Error & {
  /** Set by the server's middleware (`{ code }`) for handshake rejections. */
  data?: unknown;
  /** Transport errors (refused upgrade / poll) carry the underlying cause here. */
  description?: unknown;
  type?: string;
  /** `socket.active` right after the error: false means the client will not retry by itself. */
  active: boolean;
};

/**
 * Opens a socket that must be refused: resolves with the `connect_error` (rejects if it connects).
 * For a rejection by the server's middleware (not a transport failure) it also checks that the
 * client gave up (`active === false`), i.e. no reconnect loop.
 */
export async function connectExpectingError(
  server: ServerRef,
  auth: Record<string, unknown> | undefined,
  opts: ClientOptions = {},
): Promise<ConnectFailure> {
  const socket = createSocket(server, auth, opts);
  try {
    const error = await new Promise<Error & { data?: unknown; description?: unknown; type?: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no connect_error within ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS);
      socket.once("connect", () => {
        clearTimeout(timer);
        reject(new Error("the socket connected, but a connect_error was expected"));
      });
      socket.once("connect_error", (err) => {
        clearTimeout(timer);
        resolve(err);
      });
    });
    // Let the client finish reacting to the error (it tears itself down synchronously or schedules a retry).
    await new Promise((resolve) => setImmediate(resolve));
    const failure = Object.assign(error, { active: socket.active }) as ConnectFailure;
    if (failure.type !== "TransportError" && failure.active) {
      throw new Error(`the client is still active after a handshake rejection (${failure.message}): it would retry`);
    }
    return failure;
  } finally {
    socket.disconnect();
  }
}

// ── Small helpers ────────────────────────────────────────────────────────────
/** Resolves with the next `event` on `socket` (rejects after `timeoutMs`). */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: AppClientSocket,
  event: E,
  timeoutMs = CONNECT_TIMEOUT_MS,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`no ${String(event)} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]) => {
      clearTimeout(timer);
      resolve(payload);
    };
    socket.once(event, listener as never);
  });
}

/** Resolves with the reason of the socket's next `disconnect`. */
export function disconnected(socket: AppClientSocket, timeoutMs = CONNECT_TIMEOUT_MS): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket still connected after ${timeoutMs} ms`)), timeoutMs);
    socket.once("disconnect", (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

export async function getHealth(server: ServerRef): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${server.url}/api/health`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

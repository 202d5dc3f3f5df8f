// Cross-site WebSocket hijacking, as one table: a page on a foreign origin opens a socket to the
// real server, the browser adding whatever the victim has (the session cookie) and the page adding
// whatever it can (a token it stole, or nothing). Every foreign form of Origin, over both
// transports, with and without the cookie, with and without a token: 0 accepted. The cookie alone
// never authenticates a socket, even from the server's own origin, and a foreign page cannot read a
// socket token from /api/socket-token (no CORS grant), so it has no token to bring.
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { SESSION_COOKIE, connectExpectingError, connectSocket, fetchSocketToken, registerUser, type RegisteredUser } from "@/test/support/clients";
import { startServer, type TestServer } from "@/test/support/server";

const FRIEND_ORIGIN = "https://friend.example";

let server: TestServer;
let victim: RegisteredUser;
let token: string;

beforeAll(async () => {
  server = await startServer({ env: { AUTH_ATTEMPTS_PER_MINUTE: "1000", ALLOWED_ORIGINS: FRIEND_ORIGIN } });
  victim = await registerUser(server, { name: "Victim" });
  ({ token } = await fetchSocketToken(server, victim.cookie));
});

afterAll(async () => {
  await server?.stop();
});

/** Origins a hostile page could present: other hosts, look-alikes of ours and of the allowed one, other ports, opaque ones. */
function foreignOrigins(): string[] {
  const own = new URL(server.url);
  const otherPort = Number(own.port) === 65_535 ? 1 : Number(own.port) + 1;
  return [
    "https://evil.example",
    "HTTP://EVIL.EXAMPLE",
    "null",
    "file://",
    `http://${own.hostname}:${otherPort}`,
    `http://evil.example:${own.port}`,
    `${server.url}.evil.example`,
    `http://${own.hostname}.evil.example:${own.port}`,
    `http://sub.${own.hostname}:${own.port}`,
    "https://friend.example.evil.example",
    "https://evil-friend.example",
    "http://friend.example",
    "https://friend.example:8443",
    "not a url",
  ];
}

type Credentials = "token" | "cookie" | "token and cookie" | "nothing";
const CREDENTIALS: Credentials[] = ["token", "cookie", "token and cookie", "nothing"];

function attempt(origin: string, transport: "websocket" | "polling", credentials: Credentials) {
  const withToken = credentials === "token" || credentials === "token and cookie";
  const withCookie = credentials === "cookie" || credentials === "token and cookie";
  const headers: Record<string, string> = { origin };
  if (withCookie) headers.cookie = victim.cookie;
  return connectExpectingError(server, withToken ? { token } : undefined, { transports: [transport], extraHeaders: headers, reconnection: false });
}

describe("cross-site WebSocket hijacking", () => {
  it("refuses every foreign Origin over both transports, with and without the cookie and a token", async () => {
    const origins = foreignOrigins();
    let refused = 0;
    const accepted: string[] = [];
    for (const origin of origins) {
      for (const transport of ["websocket", "polling"] as const) {
        for (const credentials of CREDENTIALS) {
          try {
            await attempt(origin, transport, credentials);
            refused += 1;
          } catch (error) {
            accepted.push(`${origin} ${transport} ${credentials}: ${(error as Error).message}`);
          }
        }
      }
    }
    console.info(`security CSWSH: ${origins.length} foreign origins × 2 transports × ${CREDENTIALS.length} credential sets = ${refused + accepted.length} handshakes, ${refused} refused, ${accepted.length} accepted`);
    expect(accepted).toEqual([]);
    expect(refused).toBe(origins.length * 2 * CREDENTIALS.length);
  });

  it("the control: the same token from the server's own origin and from the allowed one connects", async () => {
    for (const origin of [server.url, FRIEND_ORIGIN]) {
      for (const transport of ["websocket", "polling"] as const) {
        const socket = await connectSocket(server, token, { transports: [transport], extraHeaders: { origin, cookie: victim.cookie }, reconnection: false });
        expect(socket.connected).toBe(true);
        socket.disconnect();
      }
    }
  });

  it("the session cookie alone never authenticates a socket, even from the server's own origin", async () => {
    for (const transport of ["websocket", "polling"] as const) {
      const error = await connectExpectingError(server, undefined, { transports: [transport], extraHeaders: { origin: server.url, cookie: victim.cookie }, reconnection: false });
      expect(error.message).toBe("UNAUTHORIZED");
    }
  });

  it("a foreign page cannot read a socket token: /api/socket-token grants no cross-origin access", async () => {
    expect(victim.cookie).toContain(SESSION_COOKIE);
    const read = await fetch(`${server.url}/api/socket-token`, { headers: { cookie: victim.cookie, origin: "https://evil.example" } });
    expect(read.headers.get("access-control-allow-origin")).toBeNull();
    expect(read.headers.get("access-control-allow-credentials")).toBeNull();
    const preflight = await fetch(`${server.url}/api/socket-token`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET", "access-control-request-headers": "authorization" },
    });
    expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
  });
});

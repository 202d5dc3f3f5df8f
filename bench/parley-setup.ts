/**
 * Setup for `npm run bench` against Parley (not measured): real accounts over HTTP (register, the
 * next-auth credentials sign-in, `GET /api/socket-token`), then one group per `room` users created
 * over a real socket with `conversation:create-group`.
 */
import { randomUUID } from "node:crypto";

import type { ConversationDto, SocketTokenResponse } from "@/lib/realtime/protocol";

import { connectMany, RawSocket } from "./generator";

/** `cookie`: the signed-in session (next-auth cookie), for fetching fresh socket tokens as the browser does. */
export type BenchUser = SignedInUser;
export type BenchGroup = { conversationId: string; members: number[] };

/** Name → value of the Set-Cookie headers seen so far. */
function updateJar(jar: Map<string, string>, response: Response): void {
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(";")[0] ?? "";
    const index = pair.indexOf("=");
    if (index > 0) jar.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
  }
}
const cookieHeader = (jar: Map<string, string>): string => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");

/** A registered, signed-in account: its id, the session cookie (`Cookie` header) and a socket token. */
export type SignedInUser = { id: string; cookie: string; token: string };

/** Registers an account and signs it in through the app's real HTTP routes (next-auth credentials). */
export async function registerAndSignIn(url: string, index: number): Promise<SignedInUser> {
  const email = `bench-${index}-${randomUUID().slice(0, 8)}@example.test`;
  const password = `pw-${randomUUID()}`;
  const registered = await fetch(`${url}/api/register`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name: `Bench ${index}`, email, password }),
  });
  if (registered.status !== 201) throw new Error(`register failed: ${registered.status} ${await registered.text()}`);
  const { user } = (await registered.json()) as { user: { id: string } };

  const jar = new Map<string, string>();
  const csrf = await fetch(`${url}/api/auth/csrf`);
  updateJar(jar, csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const signedIn = await fetch(`${url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader(jar) },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  updateJar(jar, signedIn);
  await signedIn.arrayBuffer();
  const tokenResponse = await fetch(`${url}/api/socket-token`, { headers: { cookie: cookieHeader(jar) } });
  if (tokenResponse.status !== 200) throw new Error(`socket-token failed: ${tokenResponse.status} ${await tokenResponse.text()}`);
  const { token } = (await tokenResponse.json()) as SocketTokenResponse;
  return { id: user.id, cookie: cookieHeader(jar), token };
}

/** Registers `count` users (a few at a time: argon2 is the cost) and groups them by `room`. */
export async function setUpParley(url: string, count: number, room: number, log: (line: string) => void): Promise<{ users: BenchUser[]; groups: BenchGroup[] }> {
  const users: BenchUser[] = new Array<BenchUser>(count);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < count) {
        const index = next++;
        users[index] = await registerAndSignIn(url, index);
      }
    }),
  );
  log(`  registered and signed in ${count} users in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  const groups: BenchGroup[] = [];
  const creators: number[] = [];
  for (let start = 0; start + 1 < count; start += room) {
    groups.push({ conversationId: "", members: Array.from({ length: Math.min(room, count - start) }, (_, offset) => start + offset) });
    creators.push(start);
  }
  const { sockets, byIndex, failed, firstError } = await connectMany(creators.length, 16, (index) => new RawSocket(url, { token: users[creators[index]!]!.token }));
  if (failed > 0) throw new Error(`setup sockets failed: ${firstError}`);
  await Promise.all(
    groups.map(async (group, index) => {
      const socket = byIndex[index]!;
      const creator = group.members[0]!;
      const conversation = await socket.request<ConversationDto>("conversation:create-group", {
        name: `Bench group ${index}`,
        memberIds: group.members.filter((member) => member !== creator).map((member) => users[member]!.id),
      });
      group.conversationId = conversation.id;
    }),
  );
  for (const socket of sockets) socket.close();
  log(`  created ${groups.length} groups of up to ${room}`);
  return { users, groups };
}

// Account enumeration against the real server, over real HTTP and real sockets: which emails have
// an account must not show through sign-in, search or friend requests; register says so for an
// email that is taken (it has to: see below), and every one of them is rate-limited.
//
// Decisions, as this suite pins them:
// - Sign-in answers an existing email with a wrong password and an unknown email with the same
//   status, body, redirect and cookies, and verifies a password against a dummy argon2 hash when
//   there is no account, so both take as long (the medians are printed, not asserted: a shared
//   machine's timing is no test). Limits: AUTH_ATTEMPTS_PER_MINUTE per address and email, and 5
//   times that per address across emails (spraying one password over many accounts, or timing many
//   addresses, from one place).
// - Register must tell someone who already has an account why they cannot create another (there is
//   no email round trip that could say it privately), so a taken email is 409 CONFLICT with "An
//   account with this email already exists". That is the one place an email's existence shows, and
//   it is limited to AUTH_ATTEMPTS_PER_MINUTE per address, counted before the email is looked at.
// - Search finds people by an exact email (the product's way to find someone): it tells that an
//   account exists, as register does, and shows only its public card (id, name, colour, relation),
//   never an email, for contacts and strangers alike. Parts of emails match nothing, so addresses
//   cannot be harvested by prefix; someone who blocked the searcher looks like nobody. It is
//   limited like every socket request: RATE_LIMIT_PER_SECOND per user and event.
// - Friend requests take a user id, never an email (ids come from search or a shared
//   conversation). An unknown id and a person who blocked you get the same NOT_FOUND.
//
// Small limits keep it short: 4 auth attempts a minute (20 sign-ins per address), 10 socket requests
// a second. TRUST_PROXY=1 lets each phase come from its own client address (X-Forwarded-For, as a
// trusted proxy would set it), so one phase's budget is not another's.
import { randomUUID } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import type { Ack, RealtimeError } from "@/lib/realtime/protocol";
import { type AppClientSocket, connectSocket, CookieJar, fetchSocketToken, SESSION_COOKIE, uniqueEmail } from "@/test/support/clients";
import { startServer, type TestServer } from "@/test/support/server";

const AUTH_ATTEMPTS_PER_MINUTE = 4;
const SIGN_IN_PER_ADDRESS = 5 * AUTH_ATTEMPTS_PER_MINUTE;
const RATE_LIMIT_PER_SECOND = 10;
const EMAIL_LOOKUPS_PER_HOUR = 10;
// More by hand: ENUMERATION_TIMING_SAMPLES=200.
const TIMING_SAMPLES = Number(process.env.ENUMERATION_TIMING_SAMPLES) || 15;

let server: TestServer;
const figures: string[] = [];
let addressCounter = 0;
/** A client address of its own (loopback-range strings; they only ever travel in a header). */
const freshAddress = (): string => {
  addressCounter += 1;
  return `127.0.${Math.floor(addressCounter / 250) + 1}.${(addressCounter % 250) + 1}`;
};

async function readBody(response: Response): Promise<unknown> {
  const body = await response.text();
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const ms = (value: number): string => `${value.toFixed(1)} ms`;

// ── HTTP from a given client address ─────────────────────────────────────────
type Register = { status: number; body: unknown };

async function register(from: string, body: { name: string; email: string; password: string }): Promise<Register> {
  const response = await fetch(`${server.url}/api/register`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-for": from },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: await readBody(response) };
}

type SignIn = {
  status: number;
  body: unknown;
  location: string | null;
  setCookieNames: string[];
  headerNames: string[];
  session: string | undefined;
  jar: CookieJar;
  /** The credentials POST alone (not the CSRF round trip). */
  ms: number;
};

/** next-auth's credentials sign-in as the browser does it: CSRF token, then the form post. */
async function signIn(from: string, email: string, password: string): Promise<SignIn> {
  const jar = new CookieJar();
  const csrf = await fetch(`${server.url}/api/auth/csrf`, { headers: { "x-forwarded-for": from } });
  jar.update(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const startedAt = performance.now();
  const response = await fetch(`${server.url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header(), "x-forwarded-for": from },
    body: new URLSearchParams({ csrfToken, email, password, json: "true" }),
  });
  const body = await readBody(response);
  const elapsed = performance.now() - startedAt;
  jar.update(response);
  return {
    status: response.status,
    body,
    location: response.headers.get("location"),
    setCookieNames: response.headers.getSetCookie().map((line) => line.slice(0, line.indexOf("=")).trim()),
    headerNames: [...response.headers.keys()].filter((name) => name !== "date").sort(),
    session: jar.get(SESSION_COOKIE),
    jar,
    ms: elapsed,
  };
}

/** What a client can see of a failed sign-in, without the timing. */
const visible = (attempt: SignIn) => ({
  status: attempt.status,
  body: attempt.body,
  location: attempt.location,
  setCookieNames: attempt.setCookieNames,
  headerNames: attempt.headerNames,
  signedIn: attempt.session !== undefined,
});

/** The `error` of next-auth's error URL (`…?error=CredentialsSignin`), from the JSON body. */
const signInError = (attempt: SignIn): string | null => {
  const url = (attempt.body as { url?: string }).url;
  return url ? new URL(url).searchParams.get("error") : null;
};

type Account = { id: string; name: string; email: string; password: string };

async function createAccount(name = `Person ${randomUUID().slice(0, 8)}`): Promise<Account> {
  const email = uniqueEmail("enum");
  const password = `pw-${randomUUID()}`;
  const result = await register(freshAddress(), { name, email, password });
  if (result.status !== 201) throw new Error(`register failed: ${result.status} ${JSON.stringify(result.body)}`);
  return { id: (result.body as { user: { id: string } }).user.id, name, email, password };
}

// ── Sockets ──────────────────────────────────────────────────────────────────
type Person = Account & { socket: AppClientSocket };

async function person(name?: string): Promise<Person> {
  const account = await createAccount(name);
  const attempt = await signIn(freshAddress(), account.email, account.password);
  if (!attempt.session) throw new Error(`sign-in failed: ${attempt.status} ${JSON.stringify(attempt.body)}`);
  const { token } = await fetchSocketToken(server, attempt.jar.header());
  return { ...account, socket: await connectSocket(server, token) };
}

async function ask<T>(socket: AppClientSocket, event: string, input: unknown): Promise<Ack<T>> {
  const emitter = socket.timeout(10_000) as unknown as { emitWithAck: (event: string, input: unknown) => Promise<unknown> };
  return (await emitter.emitWithAck(event, input)) as Ack<T>;
}

/** A request outside the flood tests: waits out the per-second budget if it is spent. */
async function patiently<T>(socket: AppClientSocket, event: string, input: unknown): Promise<Ack<T>> {
  for (;;) {
    const result = await ask<T>(socket, event, input);
    if (result.ok || result.error.code !== "RATE_LIMITED") return result;
    await new Promise((resolve) => setTimeout(resolve, (result.error.retryAfterMs ?? 200) + 20));
  }
}

async function okData<T>(socket: AppClientSocket, event: string, input: unknown): Promise<T> {
  const result = await patiently<T>(socket, event, input);
  if (!result.ok) throw new Error(`${event} failed: ${JSON.stringify(result.error)}`);
  return result.data;
}

async function errorOf(socket: AppClientSocket, event: string, input: unknown): Promise<RealtimeError> {
  const result = await patiently(socket, event, input);
  if (result.ok) throw new Error(`${event} should have failed: ${JSON.stringify(result.data)}`);
  return result.error;
}

type SearchPage = { users: { id: string; name: string; avatarColor: string; relation: string }[]; nextCursor: string | null };

/** No email anywhere in a payload: not the ones given, and nothing shaped like one. */
function expectNoEmails(payload: unknown, emails: string[]): void {
  const json = JSON.stringify(payload);
  for (const email of emails) expect(json.toLowerCase()).not.toContain(email.toLowerCase());
  expect(json).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/);
  expect(json).not.toMatch(/"email"/i);
}

/** Fires `count` requests at once; counts the answers by code. */
async function flood(socket: AppClientSocket, event: string, inputs: unknown[]): Promise<Record<string, number>> {
  const results = await Promise.all(inputs.map((input) => ask(socket, event, input)));
  const counts: Record<string, number> = {};
  for (const result of results) {
    const key = result.ok ? "ok" : result.error.code;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

beforeAll(async () => {
  server = await startServer({
    env: { AUTH_ATTEMPTS_PER_MINUTE: String(AUTH_ATTEMPTS_PER_MINUTE), RATE_LIMIT_PER_SECOND: String(RATE_LIMIT_PER_SECOND), EMAIL_LOOKUPS_PER_HOUR: String(EMAIL_LOOKUPS_PER_HOUR), TRUST_PROXY: "1" },
  });
});

afterAll(async () => {
  if (figures.length) console.log(`[enumeration]\n  ${figures.join("\n  ")}`);
  await server?.stop();
});

describe("sign-in", () => {
  it("an existing email with a wrong password and an unknown email get the same answer; the dummy hash keeps the times alike", async () => {
    const known = await createAccount();
    // Warm both paths (the dummy hash is made on first use, Next compiles nothing but caches).
    await signIn(freshAddress(), uniqueEmail("nobody"), "warm-up-password");
    await signIn(freshAddress(), known.email, "warm-up-password");

    const existing: SignIn[] = [];
    const unknown: SignIn[] = [];
    const correct: number[] = [];
    for (let sample = 0; sample < TIMING_SAMPLES; sample += 1) {
      // Each sample from its own address: the per-address budgets stay out of the way. The order
      // alternates so neither side always runs second.
      const from = freshAddress();
      const password = `wrong-${randomUUID()}`;
      const nobody = uniqueEmail("nobody");
      if (sample % 2) {
        unknown.push(await signIn(from, nobody, password));
        existing.push(await signIn(from, known.email, password));
      } else {
        existing.push(await signIn(from, known.email, password));
        unknown.push(await signIn(from, nobody, password));
      }
    }
    for (let sample = 0; sample < 5; sample += 1) {
      const success = await signIn(freshAddress(), known.email, known.password);
      expect(success.session).toBeDefined();
      correct.push(success.ms);
    }

    const reference = visible(existing[0]!);
    for (const attempt of [...existing, ...unknown]) expect(visible(attempt)).toEqual(reference);
    expect(reference.signedIn).toBe(false);
    expect(signInError(existing[0]!)).toBe("CredentialsSignin");
    // An unknown address typed in another case is the same unknown address.
    expect(visible(await signIn(freshAddress(), uniqueEmail("Nobody").toUpperCase(), "whatever-password"))).toEqual(reference);

    const existingMedian = median(existing.map((attempt) => attempt.ms));
    const unknownMedian = median(unknown.map((attempt) => attempt.ms));
    figures.push(
      `sign-in, ${TIMING_SAMPLES} each: existing email + wrong password ${reference.status} ${signInError(existing[0]!)} median ${ms(existingMedian)}; ` +
        `unknown email ${unknown[0]!.status} ${signInError(unknown[0]!)} median ${ms(unknownMedian)} ` +
        `(difference ${ms(Math.abs(existingMedian - unknownMedian))}); correct password median ${ms(median(correct))}`,
    );
  });

  it(`one email from one address: ${AUTH_ATTEMPTS_PER_MINUTE} attempts, then RATE_LIMITED, the same for an existing and an unknown email`, async () => {
    const known = await createAccount();
    const from = freshAddress();
    const nobody = uniqueEmail("nobody");
    const existingErrors: (string | null)[] = [];
    const unknownErrors: (string | null)[] = [];
    for (let attempt = 0; attempt < AUTH_ATTEMPTS_PER_MINUTE + 3; attempt += 1) {
      const existing = await signIn(from, known.email, "wrong-password");
      const unknown = await signIn(from, nobody, "wrong-password");
      expect(visible(unknown)).toEqual(visible(existing));
      existingErrors.push(signInError(existing));
      unknownErrors.push(signInError(unknown));
    }
    const expected = [...Array<string>(AUTH_ATTEMPTS_PER_MINUTE).fill("CredentialsSignin"), ...Array<string>(3).fill("RATE_LIMITED")];
    expect(existingErrors).toEqual(expected);
    expect(unknownErrors).toEqual(expected);
    // Even the right password waits out the limit: guessing cannot tell when it hit.
    expect(signInError(await signIn(from, known.email, known.password))).toBe("RATE_LIMITED");
    figures.push(`sign-in, one email, one address: ${existingErrors.join(", ")} (existing and unknown alike)`);
  });

  it(`many emails from one address (spraying): ${SIGN_IN_PER_ADDRESS} attempts, then RATE_LIMITED whichever email`, async () => {
    const known = await Promise.all([createAccount(), createAccount(), createAccount()]);
    const from = freshAddress();
    const errors: (string | null)[] = [];
    const answers = new Set<string>();
    for (let attempt = 0; attempt < SIGN_IN_PER_ADDRESS + 4; attempt += 1) {
      // Every email once: existing ones and unknown ones, interleaved.
      const email = attempt % 2 ? known[attempt % known.length]!.email : uniqueEmail("spray");
      const result = await signIn(from, email, `spray-${attempt}`);
      errors.push(signInError(result));
      answers.add(JSON.stringify({ ...visible(result), error: signInError(result) }));
      if (attempt >= SIGN_IN_PER_ADDRESS) expect(result.session).toBeUndefined();
    }
    expect(errors.slice(0, SIGN_IN_PER_ADDRESS).every((error) => error === "CredentialsSignin")).toBe(true);
    expect(errors.slice(SIGN_IN_PER_ADDRESS).every((error) => error === "RATE_LIMITED")).toBe(true);
    // Two answers in all: "wrong email or password" and "too many attempts".
    expect(answers.size).toBe(2);
    // Another address is not affected.
    expect(signInError(await signIn(freshAddress(), uniqueEmail("nobody"), "x-password"))).toBe("CredentialsSignin");
    figures.push(
      `sign-in spraying from one address: ${errors.filter((error) => error === "CredentialsSignin").length} CredentialsSignin, ` +
        `then ${errors.filter((error) => error === "RATE_LIMITED").length} RATE_LIMITED (limit ${SIGN_IN_PER_ADDRESS}/min)`,
    );
  });
});

describe("register", () => {
  it("a taken email is 409 CONFLICT in any case (what register must say); nothing else about the account shows", async () => {
    const known = await createAccount();
    const taken = await register(freshAddress(), { name: "Copycat", email: known.email, password: "another-password" });
    expect(taken.status).toBe(409);
    expect(taken.body).toEqual({
      error: {
        code: "CONFLICT",
        message: "An account with this email already exists. Sign in instead.",
        fields: { email: "An account with this email already exists. Sign in instead." },
      },
    });
    const upper = await register(freshAddress(), { name: "Copycat", email: known.email.toUpperCase(), password: "another-password" });
    expect(upper).toEqual(taken);
    // Not the id, the name or the creation date of the account it collided with.
    expect(JSON.stringify(taken.body)).not.toContain(known.id);
    expect(JSON.stringify(taken.body)).not.toContain(known.name);
    const fresh = await register(freshAddress(), { name: "Newcomer", email: uniqueEmail("fresh"), password: "long-enough-password" });
    expect(fresh.status).toBe(201);
    expect(Object.keys((fresh.body as { user: object }).user).sort()).toEqual(["id", "name"]);
    figures.push(`register: taken email ${taken.status} CONFLICT (also in upper case), new email ${fresh.status}`);
  });

  it(`${AUTH_ATTEMPTS_PER_MINUTE} attempts per address, then 429 RATE_LIMITED before the email is looked at`, async () => {
    const known = await createAccount();
    const from = freshAddress();
    const statuses: number[] = [];
    const limited: Register[] = [];
    for (let attempt = 0; attempt < AUTH_ATTEMPTS_PER_MINUTE + 4; attempt += 1) {
      const email = attempt % 2 ? known.email : uniqueEmail("reg");
      const result = await register(from, { name: "Flood", email, password: "long-enough-password" });
      statuses.push(result.status);
      if (attempt >= AUTH_ATTEMPTS_PER_MINUTE) limited.push(result);
    }
    expect(statuses.slice(0, AUTH_ATTEMPTS_PER_MINUTE)).toEqual([201, 409, 201, 409]);
    expect(statuses.slice(AUTH_ATTEMPTS_PER_MINUTE)).toEqual([429, 429, 429, 429]);
    // A taken email and a free one get the same 429.
    for (const result of limited) expect(result).toEqual(limited[0]);
    expect(limited[0]!.body).toMatchObject({ error: { code: "RATE_LIMITED" } });
    figures.push(`register flood from one address: ${statuses.join(", ")}`);
  });
});

describe("user search", () => {
  it("an exact email finds the account's public card and never an email; parts of emails find nothing; a blocker looks like nobody", async () => {
    const tag = randomUUID().slice(0, 8);
    const searcher = await person(`Searcher ${tag}`);
    const stranger = await person(`Stranger ${tag}`);
    const contact = await person(`Contact ${tag}`);
    // searcher and contact become contacts.
    const request = await okData<{ id: string }>(searcher.socket, "contacts:request", { userId: contact.id });
    await okData(contact.socket, "contacts:respond", { requestId: request.id, accept: true });

    const found = await okData<SearchPage>(searcher.socket, "contacts:search", { query: stranger.email });
    expect(found).toEqual({ users: [{ id: stranger.id, name: stranger.name, avatarColor: expect.any(String), relation: "none" }], nextCursor: null });
    const foundContact = await okData<SearchPage>(searcher.socket, "contacts:search", { query: contact.email.toUpperCase() });
    expect(foundContact.users.map((user) => [user.id, user.relation])).toEqual([[contact.id, "contact"]]);
    const nobody = await okData<SearchPage>(searcher.socket, "contacts:search", { query: uniqueEmail("nobody") });
    expect(nobody).toEqual({ users: [], nextCursor: null });

    const [local = "", domain = ""] = stranger.email.split("@");
    const partials = [stranger.email.slice(0, -1), local, `${local}@`, `@${domain}`, domain, `${stranger.email} `.trim().slice(1), "%@%", "_%"];
    for (const query of partials) {
      const page = await okData<SearchPage>(searcher.socket, "contacts:search", { query });
      expect(page.users, query).toEqual([]);
    }
    // A name prefix lists everyone it matches, contacts or not, with no email among them.
    const byName = await okData<SearchPage>(searcher.socket, "contacts:search", { query: "S" });
    const byTag = await okData<SearchPage>(searcher.socket, "contacts:search", { query: `Stranger ${tag}` });
    expect(byTag.users.map((user) => user.id)).toEqual([stranger.id]);
    const contacts = await okData(searcher.socket, "contacts:list", {});
    for (const payload of [found, foundContact, byName, byTag, contacts]) expectNoEmails(payload, [stranger.email, contact.email, searcher.email]);

    // Someone who blocked the searcher: the same empty page as an email nobody has.
    await okData(stranger.socket, "contacts:block", { userId: searcher.id });
    const blocked = await okData<SearchPage>(searcher.socket, "contacts:search", { query: stranger.email });
    expect(blocked).toEqual(nobody);
    figures.push(
      `search: exact email of a stranger -> 1 card (id, name, colour, relation; no email); unknown email -> 0; ` +
        `${partials.length} partial/wildcard queries -> 0; blocked by them -> 0, as for nobody`,
    );
  });

  it(`floods get RATE_LIMITED after ${RATE_LIMIT_PER_SECOND} a second, whether the emails exist or not`, async () => {
    const searcher = await person();
    const known = await createAccount();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const queries = Array.from({ length: 30 }, (_, index) => ({ query: index % 2 ? known.email : uniqueEmail("probe") }));
    const counts = await flood(searcher.socket, "contacts:search", queries);
    expect(counts.ok).toBeGreaterThanOrEqual(1);
    expect(counts.ok).toBeLessThanOrEqual(2 * RATE_LIMIT_PER_SECOND);
    expect(counts.RATE_LIMITED).toBe(queries.length - counts.ok!);
    figures.push(`search flood, 30 at once: ${JSON.stringify(counts)} (limit ${RATE_LIMIT_PER_SECOND}/s per user)`);
  });
});

describe("exact-email lookups", () => {
  it(`${EMAIL_LOOKUPS_PER_HOUR} an hour per user, then RATE_LIMITED for the hour (register's pace, not the request budget's); name searches go on`, async () => {
    const searcher = await person();
    const known = await createAccount();
    const answers: string[] = [];
    for (let lookup = 0; lookup < EMAIL_LOOKUPS_PER_HOUR; lookup += 1) {
      const query = lookup % 2 ? known.email : uniqueEmail("probe");
      answers.push((await okData<SearchPage>(searcher.socket, "contacts:search", { query })).users.length ? "found" : "none");
    }
    // Past the per-second budget, so only the hourly one can refuse.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const refused = await ask(searcher.socket, "contacts:search", { query: known.email });
    const unknownRefused = await ask(searcher.socket, "contacts:search", { query: uniqueEmail("probe") });
    expect(refused).toMatchObject({ ok: false, error: { code: "RATE_LIMITED" } });
    expect(unknownRefused).toMatchObject({ ok: false, error: { code: "RATE_LIMITED", message: refused.ok ? "" : refused.error.message } });
    const retryAfterMs = refused.ok ? 0 : (refused.error.retryAfterMs ?? 0);
    expect(retryAfterMs).toBeGreaterThan(60_000);
    const byName = await okData<SearchPage>(searcher.socket, "contacts:search", { query: known.name });
    expect(byName.users.map((user) => user.id)).toContain(known.id);
    figures.push(`exact-email lookups: ${answers.length} answered (${answers.filter((a) => a === "found").length} found), then RATE_LIMITED for ~${Math.round(retryAfterMs / 60_000)} min whether the email exists or not; name search unaffected`);
  });
});

describe("friend requests", () => {
  it("go by user id only; an unknown id and a person who blocked you get the same NOT_FOUND, and no answer carries an email", async () => {
    const sender = await person();
    const target = await person();
    const blocker = await person();
    await okData(blocker.socket, "contacts:block", { userId: sender.id });
    const changes: unknown[] = [];
    sender.socket.on("contacts:request-changed" as never, ((payload: unknown) => changes.push(payload)) as never);

    const sent = await okData<{ id: string; from: { id: string }; to: { id: string }; status: string }>(sender.socket, "contacts:request", {
      userId: target.id,
    });
    expect(sent).toMatchObject({ from: { id: sender.id }, to: { id: target.id }, status: "pending" });
    // An id shaped like the real ones, and a random string: nobody.
    const unknownLikeReal = await errorOf(sender.socket, "contacts:request", { userId: `${target.id.slice(0, -4)}zzzz` });
    const unknownRandom = await errorOf(sender.socket, "contacts:request", { userId: randomUUID() });
    const blockedBy = await errorOf(sender.socket, "contacts:request", { userId: blocker.id });
    expect(unknownLikeReal).toEqual({ code: "NOT_FOUND", message: "That person was not found." });
    expect(unknownRandom).toEqual(unknownLikeReal);
    expect(blockedBy).toEqual(unknownLikeReal);
    // There is no way to address a request by email: the payload is refused as malformed.
    const byEmail = await errorOf(sender.socket, "contacts:request", { email: target.email });
    const byEmailAsId = await errorOf(sender.socket, "contacts:request", { userId: target.email });
    expect(byEmail.code).toBe("INVALID_PAYLOAD");
    expect(["INVALID_PAYLOAD", "NOT_FOUND"]).toContain(byEmailAsId.code);
    if (byEmailAsId.code === "NOT_FOUND") expect(byEmailAsId).toEqual(unknownLikeReal);

    await new Promise((resolve) => setTimeout(resolve, 200));
    expectNoEmails([sent, changes, unknownLikeReal, blockedBy], [sender.email, target.email, blocker.email]);
    figures.push(
      `friend request: existing id -> pending request (public cards only); unknown id, random id, blocked by them -> ${unknownLikeReal.code} ` +
        `"${unknownLikeReal.message}" (identical); by email -> ${byEmail.code}, email as id -> ${byEmailAsId.code}`,
    );
  });

  it(`floods get RATE_LIMITED after ${RATE_LIMIT_PER_SECOND} a second, existing and unknown targets alike`, async () => {
    const sender = await person();
    const targets = await Promise.all([createAccount(), createAccount()]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const inputs = Array.from({ length: 30 }, (_, index) => ({ userId: index % 3 === 0 ? targets[index % 2]!.id : randomUUID() }));
    const counts = await flood(sender.socket, "contacts:request", inputs);
    const served = (counts.ok ?? 0) + (counts.NOT_FOUND ?? 0);
    expect(served).toBeGreaterThanOrEqual(1);
    expect(served).toBeLessThanOrEqual(2 * RATE_LIMIT_PER_SECOND);
    expect(counts.RATE_LIMITED).toBe(inputs.length - served);
    figures.push(`friend-request flood, 30 at once: ${JSON.stringify(counts)} (limit ${RATE_LIMIT_PER_SECOND}/s per user)`);
  });
});

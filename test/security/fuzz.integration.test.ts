// Security: property-based payloads (fast-check) for every client event, sent by a signed-in user
// over a real socket to the real server. Every request is answered through its ack within the
// time limit with either data or a typed error (never an exception, never silence); volatile events
// are dropped without harm; the process never crashes; and nothing is half-written: the chat
// tables are as they were (the fuzzing user belongs to no conversation and has no contacts, so no
// payload can legitimately change them). FUZZ_RUNS per event (default 200; 10,000 for the ×10
// profile by hand: FUZZ_RUNS=10000).
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { type ClientEventName, REALTIME_ERROR_CODES } from "@/lib/realtime/protocol";
import { CHAT_SERVER_ENV, chatSnapshot, failure, ok, openDb, type Person, person } from "@/lib/realtime/server/handlers/chat-test-support";
import type { TestDb } from "@/test/support/database";
import { startServer, type TestServer } from "@/test/support/server";
import { CLIENT_EVENTS } from "./client-events";

const RUNS = Math.max(1, Number(process.env.FUZZ_RUNS) || 200);
const ACK_LIMIT_MS = 12_000; // the server's own request timeout is 10 s: it must answer first

const EVENTS = CLIENT_EVENTS;

/** Writes that would be legitimate for a user alone: not counted as partial writes. */
const OWN_STATE_EVENTS = new Set<ClientEventName>(["conversation:create-group", "match:join"]);

// Ids that look real (cuid-like, uuid) next to garbage: the handlers must treat both the same way.
const idLike = fc.oneof(fc.constantFrom("cmwtj0a0n000hds7d5h19qyzb", "00000000-0000-4000-8000-000000000000", "", " ", "../etc/passwd", "null", "\u0000", "cmwtj0a0n\u0000hds7d5h19qyzb"), fc.string({ maxLength: 40 }));
const field = fc.oneof(idLike, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(idLike, { maxLength: 5 }), fc.string({ maxLength: 300 }), fc.string({ unit: "binary", maxLength: 60 }));
const keys = fc.constantFrom(
  "conversationId", "messageId", "userId", "callId", "matchId", "requestId", "body", "clientMessageId", "emoji", "isOn", "seq", "limit", "beforeSeq",
  "afterVersion", "conversations", "memberIds", "userIds", "name", "kind", "signal", "mood", "language", "topic", "mode", "status", "text", "ids",
  "accept", "withVideo", "query", "cursor", "reason", "rating", "until", "__proto__", "constructor",
);
/** Objects with the contract's field names and wrong or random values, plus anything at all. */
const payload = fc.oneof(
  { weight: 3, arbitrary: fc.dictionary(keys, field, { maxKeys: 6 }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(undefined, null, 0, "", [], {}, "x".repeat(70_000 / 2)) },
);

let server: TestServer;
let db: TestDb;
let fuzzer: Person;

beforeAll(async () => {
  server = await startServer({ env: { ...CHAT_SERVER_ENV, RATE_LIMIT_PER_SECOND: "10000" } });
  db = openDb(server);
  // Others exist (a possible target for every id), the fuzzer is related to none of them; the
  // first account is the administrator, so the fuzzer is an ordinary user.
  const [alice, bob] = [await person(server, "Alice"), await person(server, "Bob")];
  await ok(alice.socket, "conversation:create-group", { name: "Not yours", memberIds: [bob.id] });
  fuzzer = await person(server, "Fuzzer");
});

afterAll(async () => {
  await db?.close();
  await server?.stop();
});

// INTERNAL is typed but means a handler failed on the input (a bug, e.g. a value the database refuses): never acceptable here.
type Outcome = "data" | "typed-error" | "internal" | "untyped" | "silent";

async function send(event: ClientEventName, input: unknown): Promise<Outcome> {
  const socket = fuzzer.socket as unknown as { timeout: (ms: number) => { emitWithAck: (event: string, input: unknown) => Promise<unknown> }; emit: (event: string, input: unknown) => void };
  if (EVENTS[event] === "volatile") {
    socket.emit(event, input);
    return "data";
  }
  try {
    const ack = (await socket.timeout(ACK_LIMIT_MS).emitWithAck(event, input)) as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
    if (ack?.ok === true) return "data";
    const code = ack?.error?.code;
    if (code === "INTERNAL") return "internal";
    return ack?.ok === false && typeof code === "string" && (REALTIME_ERROR_CODES as readonly string[]).includes(code) && typeof ack.error?.message === "string" ? "typed-error" : "untyped";
  } catch {
    return "silent";
  }
}

describe(`fuzzing every client event (${RUNS} payloads each)`, () => {
  it("every request is answered with data or a typed error, the server stays up, and nothing is half-written", async () => {
    const before = await chatSnapshot(db);
    const tally: Record<Outcome, number> = { data: 0, "typed-error": 0, internal: 0, untyped: 0, silent: 0 };
    const bad: string[] = [];
    let ownWrites = 0;
    for (const event of Object.keys(EVENTS) as ClientEventName[]) {
      await fc.assert(
        fc.asyncProperty(payload, async (input) => {
          const outcome = await send(event, input);
          tally[outcome] += 1;
          if (outcome === "data" && OWN_STATE_EVENTS.has(event)) ownWrites += 1;
          const failed = outcome === "internal" || outcome === "untyped" || outcome === "silent";
          if (failed) bad.push(`${event}: ${outcome} for ${JSON.stringify(input)?.slice(0, 200)}`);
          return !failed;
        }),
        { numRuns: RUNS, endOnFailure: true },
      );
      // Still up and still this user after each event's batch.
      expect((await ok(fuzzer.socket, "session:whoami", {})).id).toBe(fuzzer.id);
    }
    const total = Object.values(tally).reduce((sum, count) => sum + count, 0);
    console.log(`fuzz: ${Object.keys(EVENTS).length} events × ${RUNS} payloads = ${total} requests: ${tally["typed-error"]} typed errors, ${tally.internal} INTERNAL, ${tally.data} answered with data (volatile included), ${tally.untyped} untyped, ${tally.silent} unanswered; ${ownWrites} valid writes of the user's own; server up`);
    expect(bad).toEqual([]);
    expect(server.process.exitCode).toBeNull();
    // A group of one or a queue place made by a payload that happened to be valid is the user's own; anything else would be a partial write.
    if (ownWrites === 0) expect(await chatSnapshot(db)).toBe(before);
  }, 600_000);

  // Found by the enumeration suite on PostgreSQL: these answered INTERNAL (the database refuses NUL)
  // before every client string refused it (lib/realtime/text-schema.ts). Valid payloads but for the NUL.
  it("a NUL character in an otherwise valid id or text is INVALID_PAYLOAD, never INTERNAL", async () => {
    const cases: [ClientEventName, Record<string, unknown>][] = [
      ["contacts:request", { userId: "\u0000" }],
      ["contacts:block", { userId: "cmwtj0a0n\u0000hds7d5h19qyzb" }],
      ["conversation:open-direct", { userId: "\u0000" }],
      ["contacts:search", { query: "someone\u0000@example.com" }],
      ["chat:send", { conversationId: "cmwtj0a0n000hds7d5h19qyzb", clientMessageId: crypto.randomUUID(), body: "hi\u0000" }],
      ["chat:search", { query: "hi\u0000there" }],
      ["presence:set-status", { customText: "away\u0000" }],
    ];
    // A fresh user: the fuzzing above may have left its socket closed (a frame over the limit) or rate-limited.
    const sender = await person(server, "NUL sender");
    const codes = await Promise.all(cases.map(([event, input]) => failure(sender.socket, event as never, input)));
    expect(codes).toEqual(cases.map(() => "INVALID_PAYLOAD"));
  });
});

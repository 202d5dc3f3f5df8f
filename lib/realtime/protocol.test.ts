import { describe, expect, it } from "vitest";

import {
  chatSendInputSchema,
  contactsSearchInputSchema,
  emptyInputSchema,
  handshakeAuthSchema,
  REALTIME_ERROR_CODES,
  systemEchoInputSchema,
  systemPingInputSchema,
} from "./protocol";

describe("systemPingInputSchema", () => {
  it("accepts a numeric sentAt", () => {
    expect(systemPingInputSchema.parse({ sentAt: 1_700_000_000_000 })).toEqual({ sentAt: 1_700_000_000_000 });
    expect(systemPingInputSchema.safeParse({ sentAt: 0 }).success).toBe(true);
  });

  it.each([
    ["missing sentAt", {}],
    ["a string sentAt", { sentAt: "1700000000000" }],
    ["a NaN sentAt", { sentAt: Number.NaN }],
    ["an infinite sentAt", { sentAt: Number.POSITIVE_INFINITY }],
    ["null", null],
    ["a bare number", 123],
    ["an array", [1]],
  ])("rejects %s", (_label, input) => {
    expect(systemPingInputSchema.safeParse(input).success).toBe(false);
  });

  it("rejects unknown extra fields (strict)", () => {
    const result = systemPingInputSchema.safeParse({ sentAt: 1, admin: true });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.code).toBe("unrecognized_keys");
  });
});

describe("systemEchoInputSchema", () => {
  it("accepts a nonce of 1 to 64 characters", () => {
    expect(systemEchoInputSchema.parse({ nonce: "a" })).toEqual({ nonce: "a" });
    expect(systemEchoInputSchema.safeParse({ nonce: "x".repeat(64) }).success).toBe(true);
  });

  it.each([
    ["missing nonce", {}],
    ["an empty nonce", { nonce: "" }],
    ["a 65-character nonce", { nonce: "x".repeat(65) }],
    ["a numeric nonce", { nonce: 42 }],
    ["undefined", undefined],
  ])("rejects %s", (_label, input) => {
    expect(systemEchoInputSchema.safeParse(input).success).toBe(false);
  });

  it("rejects unknown extra fields (strict)", () => {
    expect(systemEchoInputSchema.safeParse({ nonce: "abc", broadcast: "all" }).success).toBe(false);
  });
});

describe("emptyInputSchema", () => {
  it("accepts an empty object", () => {
    expect(emptyInputSchema.parse({})).toEqual({});
  });

  it.each([
    ["any field", { anything: 1 }],
    ["null", null],
    ["undefined", undefined],
    ["a string", "{}"],
  ])("rejects %s", (_label, input) => {
    expect(emptyInputSchema.safeParse(input).success).toBe(false);
  });
});

describe("handshakeAuthSchema", () => {
  it("accepts a token up to 4096 characters", () => {
    expect(handshakeAuthSchema.parse({ token: "abc.def.ghi" })).toEqual({ token: "abc.def.ghi" });
    expect(handshakeAuthSchema.safeParse({ token: "t".repeat(4_096) }).success).toBe(true);
  });

  it.each([
    ["no auth", undefined],
    ["no token", {}],
    ["an empty token", { token: "" }],
    ["a non-string token", { token: 12_345 }],
    ["a null token", { token: null }],
    ["an oversize token", { token: "t".repeat(4_097) }],
  ])("rejects %s", (_label, input) => {
    expect(handshakeAuthSchema.safeParse(input).success).toBe(false);
  });

  it("passes only the token on (the Socket.IO client may add pid/offset for state recovery)", () => {
    // Deliberately not .strict(): socket.io-client merges { pid, offset } into `auth` when connection
    // state recovery is on; the handshake must only ever read `token`.
    const parsed = handshakeAuthSchema.parse({ token: "abc", pid: "p1", offset: "o1", userId: "admin" });
    expect(parsed).toEqual({ token: "abc" });
  });
});

describe("error codes", () => {
  it("contains every code the request wrapper answers with, each once", () => {
    for (const code of ["INVALID_PAYLOAD", "UNAUTHORIZED", "RATE_LIMITED", "INTERNAL", "TIMEOUT"]) {
      expect(REALTIME_ERROR_CODES).toContain(code);
    }
    expect(new Set(REALTIME_ERROR_CODES).size).toBe(REALTIME_ERROR_CODES.length);
  });
});

describe("strings from clients", () => {
  it("refuse a NUL character anywhere (PostgreSQL cannot store or compare it)", () => {
    const valid = { conversationId: "cmwtj0a0n000hds7d5h19qyzb", clientMessageId: "00000000-0000-4000-8000-000000000000", body: "hello" };
    expect(chatSendInputSchema.safeParse(valid).success).toBe(true);
    expect(chatSendInputSchema.safeParse({ ...valid, conversationId: "cmwtj0a0n\u0000" }).success).toBe(false);
    expect(chatSendInputSchema.safeParse({ ...valid, body: "hel\u0000lo" }).success).toBe(false);
    expect(contactsSearchInputSchema.safeParse({ query: "a\u0000@example.com" }).success).toBe(false);
  });
});

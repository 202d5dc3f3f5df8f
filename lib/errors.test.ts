import { describe, expect, it } from "vitest";

import { AppError, DEFAULT_MESSAGES, describeError, isDependencyUnavailable, toRealtimeError } from "./errors";
import { REALTIME_ERROR_CODES } from "./realtime/protocol";

describe("AppError", () => {
  it("has a user message for every code", () => {
    for (const code of REALTIME_ERROR_CODES) {
      expect(DEFAULT_MESSAGES[code]).toEqual(expect.any(String));
      expect(new AppError(code).userMessage).toBe(DEFAULT_MESSAGES[code]);
    }
  });
});

describe("toRealtimeError", () => {
  it("maps an AppError to its code and user message, never its internal message", () => {
    const error = new AppError("NOT_FOUND", { message: "SELECT * FROM Conversation WHERE id = 'x' returned 0 rows" });
    expect(toRealtimeError(error)).toEqual({ code: "NOT_FOUND", message: DEFAULT_MESSAGES.NOT_FOUND });
  });

  it("keeps an explicit user message", () => {
    const error = new AppError("CONFLICT", { userMessage: "An account with this email already exists." });
    expect(toRealtimeError(error)).toEqual({ code: "CONFLICT", message: "An account with this email already exists." });
  });

  it("keeps retryAfterMs, and only when set", () => {
    expect(toRealtimeError(new AppError("RATE_LIMITED", { retryAfterMs: 750 }))).toEqual({
      code: "RATE_LIMITED",
      message: DEFAULT_MESSAGES.RATE_LIMITED,
      retryAfterMs: 750,
    });
    expect(toRealtimeError(new AppError("RATE_LIMITED", { retryAfterMs: 0 })).retryAfterMs).toBe(0);
    expect(toRealtimeError(new AppError("TIMEOUT"))).not.toHaveProperty("retryAfterMs");
  });

  it("does not leak the cause", () => {
    const error = new AppError("UNAVAILABLE", { cause: new Error("SQLITE_BUSY: database is locked at /srv/data/parley.db") });
    expect(JSON.stringify(toRealtimeError(error))).not.toContain("SQLITE");
  });

  it.each([
    ["an Error", new Error("ECONNREFUSED 10.0.0.5:5432 password=hunter2")],
    ["a TypeError", new TypeError("Cannot read properties of undefined (reading 'secret')")],
    ["an Error that looks like an AppError", Object.assign(new Error("internal detail"), { code: "FORBIDDEN", userMessage: "internal detail" })],
    ["a plain object shaped like a RealtimeError", { code: "FORBIDDEN", message: "internal detail" }],
    ["a string", "internal detail"],
    ["undefined", undefined],
    ["null", null],
  ])("maps %s to INTERNAL with the generic message", (_label, thrown) => {
    const result = toRealtimeError(thrown);
    expect(result).toEqual({ code: "INTERNAL", message: DEFAULT_MESSAGES.INTERNAL });
    expect(JSON.stringify(result)).not.toMatch(/hunter2|secret|internal detail|ECONNREFUSED/);
  });
});

describe("describeError", () => {
  it("passes an ack error through unchanged", () => {
    const ackError = { code: "INVALID_PAYLOAD", message: "The request was not valid.", issues: [{ path: "nonce", message: "Too small" }] };
    expect(describeError(ackError)).toEqual(ackError);
    const limited = { code: "RATE_LIMITED", message: "Slow down", retryAfterMs: 200 };
    expect(describeError(limited)).toEqual(limited);
  });

  it("does not pass through an object whose code is not one of ours", () => {
    expect(describeError({ code: "EVIL", message: "<b>hi</b>" })).toEqual({ code: "INTERNAL", message: DEFAULT_MESSAGES.INTERNAL });
  });

  it.each([
    ["socket.io's ack timeout", new Error("operation has timed out")],
    ["a generic timeout", new Error("Request timed out")],
    ["a 'timeout' message", new Error("timeout")],
  ])("maps %s to TIMEOUT", (_label, error) => {
    expect(describeError(error)).toEqual({ code: "TIMEOUT", message: DEFAULT_MESSAGES.TIMEOUT });
  });

  it.each([
    ["an unrelated Error", new Error("socket has been disconnected")],
    ["a string", "operation has timed out"],
    ["undefined", undefined],
    ["null", null],
    ["a number", 42],
    ["an object with a non-string code", { code: 42, message: "x" }],
    ["an object without a message", { code: "TIMEOUT" }],
  ])("maps %s to INTERNAL", (_label, value) => {
    expect(describeError(value)).toEqual({ code: "INTERNAL", message: DEFAULT_MESSAGES.INTERNAL });
  });
});

describe("isDependencyUnavailable", () => {
  const withCause = (cause: unknown) => Object.assign(new Error("outer"), { cause });
  it.each([
    ["a refused TCP connection", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })],
    ["pg: the server shut down", Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" })],
    ["pg: connection terminated", new Error("Connection terminated unexpectedly")],
    ["Prisma P1001", Object.assign(new Error("Can't reach database server"), { code: "P1001" })],
    ["a driver adapter error", Object.assign(new Error("DriverAdapterError"), { name: "DriverAdapterError", cause: { kind: "DatabaseNotReachable" } })],
    ["ioredis: retries exhausted", Object.assign(new Error("Reached the max retries per request limit"), { name: "MaxRetriesPerRequestError" })],
    ["ioredis: offline queue off", new Error("Stream isn't writeable and enableOfflineQueue options is false")],
    ["a wrapped cause", withCause(withCause(Object.assign(new Error("x"), { code: "ECONNRESET" })))],
  ])("is true for %s, which the client sees as UNAVAILABLE", (_label, error) => {
    expect(isDependencyUnavailable(error)).toBe(true);
    expect(toRealtimeError(error).code).toBe("UNAVAILABLE");
  });

  it.each([
    ["a bug", new TypeError("x is undefined")],
    ["a unique violation", Object.assign(new Error("Unique constraint failed"), { code: "P2002" })],
    ["a write conflict", Object.assign(new Error("DriverAdapterError"), { cause: { kind: "TransactionWriteConflict" } })],
    ["a string", "ECONNREFUSED"],
    ["a cause cycle", (() => { const error: { cause?: unknown; message: string } = { message: "loop" }; error.cause = error; return error; })()],
  ])("is false for %s", (_label, error) => {
    expect(isDependencyUnavailable(error)).toBe(false);
    expect(toRealtimeError(error).code).toBe("INTERNAL");
  });
});

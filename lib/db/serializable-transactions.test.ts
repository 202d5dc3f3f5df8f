import { describe, expect, it } from "vitest";

import { isRetryableConflict } from "./serializable-transactions";

describe("isRetryableConflict", () => {
  it("retries serialization failures and deadlocks, from a query (P2034) or from COMMIT (adapter error)", () => {
    expect(isRetryableConflict(Object.assign(new Error("write conflict"), { code: "P2034" }))).toBe(true);
    const commitFailure = Object.assign(new Error("TransactionWriteConflict"), { name: "DriverAdapterError", cause: { kind: "TransactionWriteConflict" } });
    expect(isRetryableConflict(commitFailure)).toBe(true);
  });

  it("never retries anything else", () => {
    expect(isRetryableConflict(Object.assign(new Error("unique"), { code: "P2002" }))).toBe(false);
    expect(isRetryableConflict(Object.assign(new Error("x"), { name: "DriverAdapterError", cause: { kind: "UniqueConstraintViolation" } }))).toBe(false);
    expect(isRetryableConflict(new Error("TransactionWriteConflict"))).toBe(false);
    expect(isRetryableConflict(null)).toBe(false);
  });
});

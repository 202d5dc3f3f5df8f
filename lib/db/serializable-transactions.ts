/**
 * The services' transactions read, check and write (is the request still pending? is this the
 * first account?), written for SQLite, where transactions run one at a time: serializable by
 * construction. PostgreSQL's default, READ COMMITTED, would let two of them interleave (a request
 * both accepted and cancelled). On PostgreSQL every `$transaction` therefore runs SERIALIZABLE, and
 * one that loses a conflict (P2034: serialization failure or deadlock, nothing was committed) runs
 * again from the start after a short random pause. Transaction bodies must only touch the
 * database (they do: side effects such as emits happen after `$transaction` resolves).
 *
 * A caller may ask for a lower level when its body is safe without serializability because it
 * rests on row locks and unique keys (appending a message: `UPDATE … increment` locks the
 * conversation row, the insert is guarded by its unique keys). Under SERIALIZABLE every writer to a
 * hot row but one fails and retries; several processes sending into one conversation exhausted the
 * retries (found by test/scale-out).
 */
import type { PrismaClient } from "@/lib/generated/prisma/client";

const MAX_ATTEMPTS = 12;
const BASE_DELAY_MS = 4;
const MAX_DELAY_MS = 200;

/**
 * A serialization failure or deadlock: Prisma's P2034 ("Transaction failed due to a write conflict
 * or a deadlock. Please retry") for a failing query, or, when COMMIT itself fails (the usual case
 * for SERIALIZABLE), the adapter's unmapped DriverAdapterError of kind TransactionWriteConflict.
 */
export function isRetryableConflict(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, name, cause } = error as { code?: unknown; name?: unknown; cause?: { kind?: unknown } };
  return code === "P2034" || (name === "DriverAdapterError" && cause?.kind === "TransactionWriteConflict");
}

/** Full jitter, growing per attempt: contenders spread out instead of colliding again. */
function backoff(attempt: number): Promise<void> {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}

type TransactionOptions = { maxWait?: number; timeout?: number; isolationLevel?: string };
type AnyTransaction = (arg: unknown, options?: TransactionOptions) => Promise<unknown>;

/** The same client whose `$transaction` (interactive and batch) is serializable and retried on conflicts. */
export function withSerializableTransactions(client: PrismaClient): PrismaClient {
  const original = (client.$transaction as AnyTransaction).bind(client);
  const transaction: AnyTransaction = async (arg, options) => {
    // A batch's queries are consumed by the first run: serializable, but not retried here.
    if (Array.isArray(arg)) return original(arg, { ...options, isolationLevel: options?.isolationLevel ?? "Serializable" });
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await original(arg, { ...options, isolationLevel: options?.isolationLevel ?? "Serializable" });
      } catch (error) {
        if (!isRetryableConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
        await backoff(attempt);
      }
    }
  };
  return new Proxy(client, {
    get(target, property) {
      if (property === "$transaction") return transaction;
      const value: unknown = Reflect.get(target, property);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * The better-sqlite3 driver adapter has one connection. Its interactive transactions wait on a
 * lock, but plain queries do not: a query from another request that runs while a transaction is
 * open lands inside that transaction (it reads uncommitted rows, and its writes are rolled back
 * with it). This wrapper makes every plain query wait for the open transaction, as a real
 * connection would.
 */
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";
import type BetterSqlite3 from "better-sqlite3";

import { timeDbOperation } from "@/lib/ops/db-timing";

import { withStatementCache } from "./statement-cache";
import { timeTransaction } from "./timed-adapter";

/**
 * One holder at a time, first come first served, except that "urgent" waiters (send batches,
 * which someone is waiting on) go before the others: a burst of background queries
 * (notifications) must not hold up the messages queued behind it.
 */
function createLock() {
  let held = false;
  const urgent: (() => void)[] = [];
  const normal: (() => void)[] = [];
  const release = () => {
    const next = urgent.shift() ?? normal.shift();
    if (next) next();
    else held = false;
  };
  return (priority: "urgent" | "normal" = "normal"): Promise<() => void> => {
    if (!held) {
      held = true;
      return Promise.resolve(once(release));
    }
    return new Promise((resolve) => (priority === "urgent" ? urgent : normal).push(() => resolve(once(release))));
  };
}

/** A release that counts once, whatever its caller does. */
function once(release: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    release();
  };
}

/**
 * The connection itself, for the few hot statements that Prisma's per-query cost would dominate
 * (send batches, lib/services/message-append-batch.ts). `run` takes the same lock as Prisma's
 * queries and transactions (ahead of those merely waiting for it), and holds it until `work`
 * settles: nothing else can interleave with it.
 */
export type DirectSqlite = {
  /** The database file (for a second connection in a worker thread, lib/services/message-append-worker.ts). */
  file: string;
  /** `work` may be async (a worker's transaction): the lock is held until it settles. */
  run<T>(work: (connection: BetterSqlite3.Database) => T | Promise<T>): Promise<T>;
};

/** better-sqlite3's adapter keeps its connection as `client` (not part of the adapter interface). */
function connectionOf(adapter: SqlDriverAdapter): BetterSqlite3.Database | null {
  const client = (adapter as unknown as { client?: unknown }).client;
  return client && typeof (client as BetterSqlite3.Database).prepare === "function" ? (client as BetterSqlite3.Database) : null;
}

function serialize(adapter: SqlDriverAdapter, onDirect?: (direct: DirectSqlite) => void): SqlDriverAdapter {
  const acquire = createLock();
  const exclusive = async <T>(run: () => Promise<T>, priority: "urgent" | "normal" = "normal"): Promise<T> => {
    const release = await acquire(priority);
    try {
      return await run();
    } finally {
      release();
    }
  };

  const connection = connectionOf(adapter);
  if (connection) {
    (adapter as unknown as { client: BetterSqlite3.Database }).client = withStatementCache(connection);
    onDirect?.({ file: connection.name, run: (work) => exclusive(() => timeDbOperation("execute", async () => work(connection)), "urgent") });
  }

  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    // Timed inside the lock: the metric is the statement's own time, not the wait for a transaction.
    queryRaw: (query: SqlQuery) => exclusive(() => timeDbOperation("query", () => adapter.queryRaw(query))),
    executeRaw: (query: SqlQuery) => exclusive(() => timeDbOperation("execute", () => adapter.executeRaw(query))),
    executeScript: (script: string) => exclusive(() => timeDbOperation("script", () => adapter.executeScript(script))),
    dispose: () => adapter.dispose(),
    ...(adapter.getConnectionInfo ? { getConnectionInfo: () => adapter.getConnectionInfo!() } : {}),
    async startTransaction(isolationLevel) {
      const release = await acquire();
      let transaction: Transaction;
      try {
        transaction = await adapter.startTransaction(isolationLevel);
      } catch (error) {
        release();
        throw error;
      }
      let isOpen = true;
      const finish = async (end: () => Promise<void>) => {
        try {
          await end();
        } finally {
          if (isOpen) {
            isOpen = false;
            release();
          }
        }
      };
      // Keep the transaction object itself (its prototype carries the query methods); only the
      // two ends also release the lock.
      timeTransaction(transaction);
      const commit = transaction.commit.bind(transaction);
      const rollback = transaction.rollback.bind(transaction);
      transaction.commit = () => finish(commit);
      transaction.rollback = () => finish(rollback);
      return transaction;
    },
  };
}

export function serializedAdapterFactory(factory: SqlDriverAdapterFactory, onDirect?: (direct: DirectSqlite) => void): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => serialize(await factory.connect(), onDirect),
  };
}

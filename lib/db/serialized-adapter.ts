/**
 * The better-sqlite3 driver adapter has one connection. Its interactive transactions wait on a
 * lock, but plain queries do not: a query from another request that runs while a transaction is
 * open lands inside that transaction (it reads uncommitted rows, and its writes are rolled back
 * with it). This wrapper makes every plain query wait for the open transaction, as a real
 * connection would.
 */
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";

import { timeDbOperation } from "@/lib/ops/db-timing";

import { timeTransaction } from "./timed-adapter";

function createLock() {
  let tail: Promise<void> = Promise.resolve();
  return async (): Promise<() => void> => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = tail;
    tail = previous.then(() => held);
    await previous;
    return release;
  };
}

function serialize(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const acquire = createLock();
  const exclusive = async <T>(run: () => Promise<T>): Promise<T> => {
    const release = await acquire();
    try {
      return await run();
    } finally {
      release();
    }
  };

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

export function serializedAdapterFactory(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => serialize(await factory.connect()),
  };
}

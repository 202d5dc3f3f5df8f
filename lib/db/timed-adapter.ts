/**
 * Query time for the metrics (lib/ops/db-timing.ts), measured at the driver adapter: every
 * statement the Prisma client runs passes here, on either provider. SQLite's serialized adapter
 * times inside its lock; PostgreSQL's pool is wrapped by `timedAdapterFactory`.
 */
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";

import { timeDbOperation } from "@/lib/ops/db-timing";

/** Times the statements of an open transaction (its prototype keeps the other methods). */
export function timeTransaction(transaction: Transaction): Transaction {
  const queryRaw = transaction.queryRaw.bind(transaction);
  const executeRaw = transaction.executeRaw.bind(transaction);
  transaction.queryRaw = (query: SqlQuery) => timeDbOperation("query", () => queryRaw(query));
  transaction.executeRaw = (query: SqlQuery) => timeDbOperation("execute", () => executeRaw(query));
  return transaction;
}

function timed(adapter: SqlDriverAdapter): SqlDriverAdapter {
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query: SqlQuery) => timeDbOperation("query", () => adapter.queryRaw(query)),
    executeRaw: (query: SqlQuery) => timeDbOperation("execute", () => adapter.executeRaw(query)),
    executeScript: (script: string) => timeDbOperation("script", () => adapter.executeScript(script)),
    dispose: () => adapter.dispose(),
    ...(adapter.getConnectionInfo ? { getConnectionInfo: () => adapter.getConnectionInfo!() } : {}),
    startTransaction: async (isolationLevel) => timeTransaction(await adapter.startTransaction(isolationLevel)),
  };
}

export function timedAdapterFactory(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => timed(await factory.connect()),
  };
}

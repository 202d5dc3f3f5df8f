import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { PrismaClient } from "@/lib/generated/prisma/client";
import { applyMigrations } from "./migrate";
import { type DirectSqlite, serializedAdapterFactory } from "./serialized-adapter";

// Real SQLite through the real adapter: what another request sees while a transaction is open.
describe("serialized SQLite adapter", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "parley-serialized-"));
  const url = `file:${path.join(dir, "test.db")}`;
  let db: PrismaClient;
  let direct: DirectSqlite | null = null;

  beforeAll(async () => {
    await applyMigrations({ databaseUrl: url });
    db = new PrismaClient({
      adapter: serializedAdapterFactory(new PrismaBetterSqlite3({ url }), (opened) => {
        direct = opened;
      }),
    });
  });

  afterAll(async () => {
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it("keeps a plain read out of an open transaction and a plain write out of its rollback", async () => {
    let insideTransaction!: () => void;
    const transactionStarted = new Promise<void>((resolve) => {
      insideTransaction = resolve;
    });
    let finishTransaction!: () => void;
    const mayFinish = new Promise<void>((resolve) => {
      finishTransaction = resolve;
    });

    const failing = db
      .$transaction(async (tx) => {
        await tx.user.create({ data: { email: "phantom@example.test", name: "Phantom", passwordHash: "x" } });
        insideTransaction();
        await mayFinish;
        throw new Error("roll back");
      })
      .catch((error: Error) => error.message);

    await transactionStarted;
    // Prisma's promises are lazy: `.then` starts them now, while the transaction is open.
    const read = db.user.count({ where: { email: "phantom@example.test" } }).then((count) => count);
    const write = db.user.create({ data: { email: "survivor@example.test", name: "Survivor", passwordHash: "x" } }).then((user) => user);
    // Give both a chance to reach the connection before the transaction ends (no assertion on time).
    await new Promise((resolve) => setTimeout(resolve, 100));
    finishTransaction();

    expect(await failing).toBe("roll back");
    expect(await read).toBe(0);
    await write;
    expect(await db.user.count({ where: { email: "survivor@example.test" } })).toBe(1);
    expect(await db.user.count({ where: { email: "phantom@example.test" } })).toBe(0);
  });

  it("serves a direct (send batch) holder before the queries already waiting, and never two at once", async () => {
    await db.user.count(); // connects
    const order: string[] = [];
    let inTransaction!: () => void;
    const started = new Promise<void>((resolve) => {
      inTransaction = resolve;
    });
    let finish!: () => void;
    const mayFinish = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const transaction = db.$transaction(async (tx) => {
      await tx.user.count();
      inTransaction();
      await mayFinish;
      order.push("transaction");
    });
    await started;
    const queued = db.user.count().then(() => order.push("query"));
    await new Promise((resolve) => setTimeout(resolve, 50)); // the query is waiting for the lock by now
    const batch = direct!.run(async (connection) => {
      order.push("batch starts");
      await new Promise((resolve) => setTimeout(resolve, 20)); // async work holds the lock (a worker's write)
      order.push(`batch ends (${String(connection.prepare("SELECT 1 AS one").get() ? "connection usable" : "")})`);
    });
    finish();
    await Promise.all([transaction, queued, batch]);
    expect(order).toEqual(["transaction", "batch starts", "batch ends (connection usable)", "query"]);
  });
});

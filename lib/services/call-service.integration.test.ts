// saveCall on the suite's database (SQLite, or PostgreSQL with TEST_DATABASE_URL_POSTGRES): with
// several processes a call's writes arrive in any order, and the row never goes back.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { applyMigrations } from "@/lib/db/migrate";
import { newCall, transition } from "@/lib/realtime/server/calls/call-machine";
import { createPostgresTestDatabase, dropPostgresTestDatabase, TEST_POSTGRES_URL } from "@/test/support/database";
import type * as CallService from "./call-service";

let tmp: string;
let databaseUrl: string;
let service: typeof CallService;
let closeDb: () => Promise<void>;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), "parley-calls-"));
  databaseUrl = TEST_POSTGRES_URL ? await createPostgresTestDatabase(TEST_POSTGRES_URL) : `file:${path.join(tmp, "test.db")}`;
  await applyMigrations({ databaseUrl });
  // The app's client reads DATABASE_URL on first use.
  process.env.DATABASE_URL = databaseUrl;
  process.env.DATA_DIR = tmp;
  service = await import("./call-service");
  ({ closeDb } = await import("@/lib/db"));
});

afterAll(async () => {
  await closeDb?.();
  if (TEST_POSTGRES_URL) await dropPostgresTestDatabase(databaseUrl);
  rmSync(tmp, { recursive: true, force: true });
});

const T0 = new Date("2026-01-01T10:00:00.000Z");
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

function lifecycle(id: string) {
  const ringing = newCall({ id, kind: "audio", callerId: "alice", calleeId: "bob", conversationId: null, at: T0 });
  const accepted = transition(ringing, { type: "accept" }, at(2));
  if (!accepted.ok) throw new Error("accept");
  const ended = transition(accepted.call, { type: "hangup" }, at(62));
  if (!ended.ok) throw new Error("hangup");
  return { ringing, active: accepted.call, ended: ended.call };
}

const stored = async (id: string) => (await service.findParticipantCall(id, "alice"))!;

describe("saveCall", () => {
  it("inserts, then advances a call in order", async () => {
    const { ringing, active, ended } = lifecycle("in-order");
    await service.saveCall(ringing);
    expect(await stored("in-order")).toMatchObject({ status: "ringing" });
    await service.saveCall(active);
    await service.saveCall(ended);
    expect(await stored("in-order")).toMatchObject({ status: "ended", outcome: "completed", durationSeconds: 60, answeredAt: at(2) });
  });

  it("never takes a row back: a late answer or insert after the end, a boot's 'failed' after a real end", async () => {
    const { ringing, active, ended } = lifecycle("late");
    await service.saveCall(ended);
    await service.saveCall(active);
    await service.saveCall(ringing);
    const failed = transition(active, { type: "fail" }, at(90));
    if (!failed.ok) throw new Error("fail");
    await service.saveCall(failed.call);
    expect(await stored("late")).toMatchObject({ status: "ended", outcome: "completed", endedAt: at(62) });

    const early = lifecycle("answer-first");
    await service.saveCall(early.active);
    await service.saveCall(early.ringing);
    expect(await stored("answer-first")).toMatchObject({ status: "active" });
  });
});

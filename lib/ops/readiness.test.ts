import { afterEach, describe, expect, it } from "vitest";

import { checkReadiness, registerReadinessCheck } from "./readiness";

const slot = globalThis as unknown as { __parleyReadiness?: unknown };

afterEach(() => {
  delete slot.__parleyReadiness;
});

describe("checkReadiness", () => {
  it("is ready when every check passes", async () => {
    const report = await checkReadiness({ database: async () => 1 });
    expect(report).toMatchObject({ ready: true, reason: null, draining: false, checks: { database: { ok: true } } });
  });

  it("names the failing check", async () => {
    const report = await checkReadiness({ database: async () => Promise.reject(new Error("unable to open database file")) });
    expect(report).toMatchObject({ ready: false, reason: "database: unable to open database file", checks: { database: { ok: false } } });
  });

  it("bounds a hanging check by the timeout", async () => {
    const report = await checkReadiness({ database: () => new Promise(() => undefined) }, 50);
    expect(report.ready).toBe(false);
    expect(report.reason).toBe("database: no answer within 50 ms");
  });

  it("runs registered checks too (the Redis seam)", async () => {
    registerReadinessCheck("redis", async () => Promise.reject(new Error("ECONNREFUSED")));
    const report = await checkReadiness({ database: async () => 1 });
    expect(report).toMatchObject({ ready: false, reason: "redis: ECONNREFUSED" });
    registerReadinessCheck("redis", null);
    expect((await checkReadiness({ database: async () => 1 })).ready).toBe(true);
  });

  it("is not ready while draining, whatever the checks say", async () => {
    const { markDraining } = await import("./readiness");
    markDraining();
    const report = await checkReadiness({ database: async () => 1 });
    expect(report).toMatchObject({ ready: false, reason: "draining", draining: true });
  });
});

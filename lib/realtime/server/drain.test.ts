import { describe, expect, it, vi } from "vitest";

import { createDrainState } from "./drain";

describe("createDrainState", () => {
  it("is idle at once when nothing is in flight", async () => {
    await expect(createDrainState().idle(10)).resolves.toBe(true);
  });

  it("resolves idle when the last in-flight request is answered", async () => {
    const drain = createDrainState();
    drain.requestStarted();
    drain.requestStarted();
    drain.begin();
    expect(drain.isDraining).toBe(true);
    let settled: boolean | null = null;
    const idle = drain.idle(1_000).then((value) => (settled = value));
    drain.requestFinished();
    await Promise.resolve();
    expect(settled).toBeNull();
    drain.requestFinished();
    await idle;
    expect(settled).toBe(true);
    expect(drain.inFlight).toBe(0);
  });

  it("gives up at the deadline", async () => {
    vi.useFakeTimers();
    try {
      const drain = createDrainState();
      drain.requestStarted();
      const idle = drain.idle(500);
      vi.advanceTimersByTime(500);
      await expect(idle).resolves.toBe(false);
      expect(drain.inFlight).toBe(1);
    } finally {
      vi.useRealTimers();
    }
  });
});

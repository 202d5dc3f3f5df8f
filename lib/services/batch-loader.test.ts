import { describe, expect, it, vi } from "vitest";

import { BATCH_WINDOW_MS, createBatchLoader } from "./batch-loader";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function recordingLoader() {
  const batches: string[][] = [];
  const load = createBatchLoader<string, string>(async (keys) => {
    batches.push([...keys]);
    return new Map(keys.filter((key) => key !== "missing").map((key) => [key, key.toUpperCase()]));
  });
  return { load, batches };
}

describe("createBatchLoader", () => {
  it("loads the keys asked for across turns of the event loop within the window in one call, each key once", async () => {
    // Only the window's timer is faked: the test decides when it ends, however slow the machine.
    vi.useFakeTimers({ toFake: ["setTimeout"] });
    try {
      const { load, batches } = recordingLoader();
      const first = load("a");
      // Another turn of the event loop (a handshake frame read later) still joins the batch.
      await new Promise((resolve) => setImmediate(resolve));
      const rest = [load("b"), load("a"), load("missing")];
      expect(batches).toEqual([]);
      vi.advanceTimersByTime(BATCH_WINDOW_MS);
      expect(await Promise.all([first, ...rest])).toEqual(["A", "B", "A", undefined]);
      expect(batches).toEqual([["a", "b", "missing"]]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("never answers from an earlier batch: a key asked for after the window closed is loaded again", async () => {
    const { load, batches } = recordingLoader();
    await load("a");
    await sleep(BATCH_WINDOW_MS + 1);
    await load("a");
    expect(batches).toEqual([["a"], ["a"]]);
  });

  it("rejects every waiter of a batch whose load failed, and the next batch loads afresh", async () => {
    let fail = true;
    const load = createBatchLoader<string, number>(async (keys) => {
      if (fail) throw new Error("database unavailable");
      return new Map(keys.map((key) => [key, key.length]));
    });
    const results = await Promise.allSettled([load("a"), load("bb")]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    await expect(load("bb")).resolves.toBe(2);
  });
});

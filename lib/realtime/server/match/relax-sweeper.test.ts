import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { createSweeper, sweepIntervalFor } from "./relax-sweeper";

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("relax sweeper", () => {
  it("sweeps at most every 250 ms, four times per relax period when that is shorter", () => {
    expect(sweepIntervalFor(20_000)).toBe(250);
    expect(sweepIntervalFor(1_000)).toBe(250);
    expect(sweepIntervalFor(400)).toBe(100);
    expect(sweepIntervalFor(100)).toBe(25);
  });

  it("ticks while the tick says someone waits, then stops; starting twice runs one timer", async () => {
    let waiting = 2;
    const tick = vi.fn(() => Promise.resolve((waiting -= 1) > 0));
    const sweeper = createSweeper(tick, 100, () => undefined);
    sweeper.ensureRunning();
    sweeper.ensureRunning();
    await vi.advanceTimersByTimeAsync(100);
    expect(tick).toHaveBeenCalledTimes(1);
    expect(sweeper.running).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    expect(tick).toHaveBeenCalledTimes(2);
    expect(sweeper.running).toBe(false);
    await vi.advanceTimersByTimeAsync(500);
    expect(tick).toHaveBeenCalledTimes(2);
  });

  it("keeps running when someone joined during a tick that found nobody", async () => {
    let release: (goOn: boolean) => void = () => undefined;
    const tick = vi.fn(() => new Promise<boolean>((resolve) => (release = resolve)));
    const sweeper = createSweeper(tick, 100, () => undefined);
    sweeper.ensureRunning();
    await vi.advanceTimersByTimeAsync(100);
    sweeper.ensureRunning(); // a join while the tick runs
    release(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(sweeper.running).toBe(true);
    // Ticks never overlap: a slow one skips the next period.
    await vi.advanceTimersByTimeAsync(100);
    expect(tick).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(300);
    expect(tick).toHaveBeenCalledTimes(2);
    release(false);
    await vi.advanceTimersByTimeAsync(0);
    expect(sweeper.running).toBe(false);
  });

  it("reports a failed tick and goes on", async () => {
    const errors: unknown[] = [];
    const tick = vi.fn().mockRejectedValueOnce(new Error("boom")).mockResolvedValue(false);
    const sweeper = createSweeper(tick, 50, (error) => errors.push(error));
    sweeper.ensureRunning();
    await vi.advanceTimersByTimeAsync(50);
    expect(errors).toHaveLength(1);
    expect(sweeper.running).toBe(true);
    await vi.advanceTimersByTimeAsync(50);
    expect(sweeper.running).toBe(false);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { createRetrySchedule } from "./retry";

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

const noop = () => {};

describe("createRetrySchedule", () => {
  it("grows exponentially from baseMs and caps at maxMs (no jitter)", () => {
    const retry = createRetrySchedule({ baseMs: 100, maxMs: 1_000, jitter: 0 });
    const delays = Array.from({ length: 7 }, () => retry.schedule(noop));
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000]);
  });

  it("applies jitter within ±jitter around the exponential delay", () => {
    const delaysWith = (value: number) => {
      const retry = createRetrySchedule({ baseMs: 1_000, maxMs: 15_000, jitter: 0.5, random: () => value });
      return [retry.schedule(noop), retry.schedule(noop), retry.schedule(noop)];
    };
    expect(delaysWith(0)).toEqual([500, 1_000, 2_000]); // -50 %
    expect(delaysWith(0.5)).toEqual([1_000, 2_000, 4_000]); // centre
    expect(delaysWith(0.999_999)).toEqual([1_500, 3_000, 6_000]); // ≈ +50 %
  });

  it("keeps every jittered delay inside the band", () => {
    let seed = 1;
    const random = () => {
      seed = (seed * 16_807) % 2_147_483_647;
      return (seed - 1) / 2_147_483_646;
    };
    const retry = createRetrySchedule({ baseMs: 200, maxMs: 5_000, jitter: 0.25, random });
    for (let attempt = 0; attempt < 12; attempt += 1) {
      const centre = Math.min(5_000, 200 * 2 ** attempt);
      const delay = retry.schedule(noop);
      expect(delay).toBeGreaterThanOrEqual(Math.floor(centre * 0.75));
      expect(delay).toBeLessThanOrEqual(Math.ceil(centre * 1.25));
    }
  });

  it("runs the callback once, after the returned delay", () => {
    const retry = createRetrySchedule({ baseMs: 100, maxMs: 1_000, jitter: 0 });
    const run = vi.fn();
    const delay = retry.schedule(run);
    vi.advanceTimersByTime(delay - 1);
    expect(run).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(run).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(10_000);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it("replaces a pending run when scheduled again", () => {
    const retry = createRetrySchedule({ baseMs: 100, maxMs: 1_000, jitter: 0 });
    const first = vi.fn();
    const second = vi.fn();
    retry.schedule(first);
    retry.schedule(second);
    vi.advanceTimersByTime(10_000);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
  });

  it("cancel() prevents the pending run and resets the attempt counter", () => {
    const retry = createRetrySchedule({ baseMs: 100, maxMs: 1_000, jitter: 0 });
    retry.schedule(noop);
    retry.schedule(noop);
    const run = vi.fn();
    expect(retry.schedule(run)).toBe(400);

    retry.cancel();
    vi.advanceTimersByTime(10_000);
    expect(run).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);

    expect(retry.schedule(noop)).toBe(100);
  });

  it("cancel() with nothing pending is harmless", () => {
    const retry = createRetrySchedule({ baseMs: 100, maxMs: 1_000, jitter: 0 });
    expect(() => retry.cancel()).not.toThrow();
    expect(retry.schedule(noop)).toBe(100);
  });

  it("never waits longer than maxMs, jitter included", () => {
    const retry = createRetrySchedule({ baseMs: 1_000, maxMs: 15_000, jitter: 0.5, random: () => 1 });
    const delays = Array.from({ length: 8 }, () => retry.schedule(noop));
    expect(Math.max(...delays)).toBe(15_000);
    retry.cancel();
  });
});

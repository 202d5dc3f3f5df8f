import { describe, expect, it } from "vitest";

import type { JoinRequest } from "./match-queue";
import { createQueueCore, type QueueSnapshot } from "./queue-core";

const RELAX = 10_000;
const T0 = 1_700_000_000_000;
const free = () => false;
const request = (userId: string, extra: Partial<JoinRequest> = {}): JoinRequest => ({
  userId,
  socketId: `socket-${userId}`,
  preferences: { mood: "venting", language: "en", topic: null },
  exclusions: [],
  ...extra,
});
/** Through JSON, as the Redis queue stores it. */
const roundTrip = (snapshot: QueueSnapshot) => createQueueCore(RELAX, JSON.parse(JSON.stringify(snapshot)) as QueueSnapshot);

describe("queue core snapshot", () => {
  it("a core restored from its JSON snapshot behaves exactly like the original", () => {
    const original = createQueueCore(RELAX);
    original.join(request("a", { exclusions: ["x"] }), T0, free);
    original.join(request("b", { preferences: { mood: "happy", language: "en", topic: "books" } }), T0, free);
    original.join(request("c", { preferences: { mood: "curious", language: "de", topic: null } }), T0 + 1, free);
    original.join(request("p"), T0 + 2, free); // pairs with a: a wait for the estimate
    original.status("c", T0 + RELAX); // "relaxed" told to c
    const restored = roundTrip(original.snapshot());
    expect(restored.snapshot()).toEqual(original.snapshot());
    expect(restored.waitingIds().toSorted()).toEqual(["b", "c"]);
    // The same next steps give the same answers: positions, estimate, relaxed-once, arrival order, exclusions.
    for (const core of [original, restored]) core.exclude("b", "q");
    const steps = (core: ReturnType<typeof createQueueCore>) => [
      core.join(request("q", { preferences: { mood: "happy", language: "en", topic: null } }), T0 + 3, free),
      core.join(request("x"), T0 + 4, free),
      core.sweep(T0 + RELAX + 5, free),
      core.status("x", T0 + RELAX + 6),
    ];
    expect(steps(restored)).toEqual(steps(original));
    expect(restored.snapshot()).toEqual(original.snapshot());
  });

  it("an empty snapshot is an empty queue", () => {
    const core = roundTrip(createQueueCore(RELAX).snapshot());
    expect(core.size()).toBe(0);
    expect(core.join(request("a"), T0, free).queued?.status).toMatchObject({ position: 1, waiting: 1, estimateSeconds: null });
  });
});

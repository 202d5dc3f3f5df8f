import pino from "pino";
import { describe, expect, it } from "vitest";

import { createSocketAdmission } from "./handshake-limits";

const logger = pino({ level: "silent" });

/** A presence read that answers `shared` after a tick, like Redis would. */
function setup(maxPerUser: number, shared: string[] = [], options: { failing?: boolean } = {}) {
  const socketsOf = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    if (options.failing) throw new Error("redis down");
    return shared;
  };
  return createSocketAdmission({ maxPerUser, socketsOf, logger });
}

describe("socket admission", () => {
  it("a burst of parallel handshakes admits exactly the cap, though presence has none of them yet", async () => {
    const admission = setup(3);
    const results = await Promise.all(Array.from({ length: 10 }, (_, index) => admission.admit("u", `s${index}`)));
    expect(results.filter(Boolean)).toHaveLength(3);
    // Another user has a budget of their own.
    expect(await admission.admit("v", "t1")).toBe(true);
  });

  it("counts presence's sockets (other processes) and its own once each", async () => {
    const shared = ["remote-1", "s1"];
    const admission = setup(3, shared);
    expect(await admission.admit("u", "s1")).toBe(true); // s1 also listed by presence: counted once
    expect(await admission.admit("u", "s2")).toBe(true);
    expect(await admission.admit("u", "s3")).toBe(false); // remote-1, s1, s2
  });

  it("a release frees the slot; releasing twice is harmless", async () => {
    const admission = setup(1);
    expect(await admission.admit("u", "s1")).toBe(true);
    expect(await admission.admit("u", "s2")).toBe(false);
    admission.release("u", "s1");
    admission.release("u", "s1");
    expect(await admission.admit("u", "s2")).toBe(true);
  });

  it("a recovered socket with its old id, still listed by presence, is not counted against itself", async () => {
    const admission = setup(2, ["s1", "s2"]);
    expect(await admission.admit("u", "s2")).toBe(true);
    expect(await admission.admit("u", "s3")).toBe(false);
  });

  it("while presence is unreachable, this process's own sockets still count", async () => {
    const admission = setup(2, [], { failing: true });
    expect(await admission.admit("u", "s1")).toBe(true);
    expect(await admission.admit("u", "s2")).toBe(true);
    expect(await admission.admit("u", "s3")).toBe(false);
  });
});

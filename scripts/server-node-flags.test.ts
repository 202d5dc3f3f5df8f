import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

import { SERVER_NODE_FLAGS } from "./server-node-flags.mjs";

describe("the server's node flags", () => {
  it("npm start passes the same flags as npm run up, the tests and the benchmarks", () => {
    const manifest = JSON.parse(readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as { scripts: Record<string, string> };
    const start = manifest.scripts.start ?? "";
    const flags = start.split(/\s+/).filter((word) => word.startsWith("--"));
    expect(flags).toEqual(SERVER_NODE_FLAGS);
  });
});

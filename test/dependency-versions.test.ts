/**
 * `npm audit` does not work on our machines (the registry answers 405), so the advisories that
 * matter most for a realtime web app are pinned here: every copy of these packages in the lockfile
 * (nested ones included) must be at or above the version that fixed them. A new major line above
 * the table passes; an older line without an entry fails until someone checks it.
 */
import { readFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "vitest";

type Fix = { fixed: string; advisory: string };

/** Per package, per major line: the first version without the advisory. */
const KNOWN_FIXED: Record<string, Fix[]> = {
  ws: [
    // 7.x: lighthouse's copy (a devDependency for bench:pages); the fix was backported to 7.5.10.
    { fixed: "7.5.10", advisory: "CVE-2024-37890: a request with many headers crashes the server" },
    { fixed: "8.17.1", advisory: "CVE-2024-37890: a request with many headers crashes the server" },
  ],
  "engine.io": [{ fixed: "6.4.2", advisory: "CVE-2023-31125: a crafted request triggers an uncaught exception" }],
  "socket.io": [{ fixed: "4.6.2", advisory: "CVE-2024-38355: an unhandled 'error' event crashes the server" }],
  "socket.io-parser": [{ fixed: "4.2.3", advisory: "CVE-2023-32695: a crafted packet triggers an uncaught exception" }],
  next: [
    { fixed: "15.5.7", advisory: "CVE-2025-66478: remote code execution through React Server Components; CVE-2025-29927: middleware bypass (15.2.3)" },
    { fixed: "16.0.7", advisory: "CVE-2025-66478: remote code execution through React Server Components" },
  ],
  "next-auth": [{ fixed: "4.24.12", advisory: "GHSA-5jpx-9hw9-2fx4: email misdelivery; CVE-2023-48309: session mocking (4.24.5)" }],
};

/** [major, minor, patch]; a pre-release counts as below its release. */
function parse(version: string): [number, number, number, boolean] {
  const [release = "", preRelease] = version.split("-", 2);
  const parts = release.split(".").map(Number);
  if (parts.length !== 3 || parts.some((part) => !Number.isInteger(part))) throw new Error(`not a version: ${version}`);
  return [parts[0] as number, parts[1] as number, parts[2] as number, preRelease !== undefined];
}

function isAtLeast(version: string, minimum: string): boolean {
  const a = parse(version);
  const b = parse(minimum);
  for (let index = 0; index < 3; index += 1) if (a[index] !== b[index]) return (a[index] as number) > (b[index] as number);
  return !a[3] || b[3];
}

/** Null when the version is covered; otherwise why not. */
function checkVersion(name: string, version: string): string | null {
  const fixes = KNOWN_FIXED[name] ?? [];
  const major = parse(version)[0];
  const line = fixes.find((fix) => parse(fix.fixed)[0] === major);
  if (line) return isAtLeast(version, line.fixed) ? null : `${name}@${version} is below ${line.fixed} (${line.advisory})`;
  const newest = Math.max(...fixes.map((fix) => parse(fix.fixed)[0]));
  return major > newest ? null : `${name}@${version}: no known-fixed version for the ${major}.x line; check its advisories and add one`;
}

function lockfileCopies(): { name: string; version: string; where: string }[] {
  const lock = JSON.parse(readFileSync(path.join(import.meta.dirname, "..", "package-lock.json"), "utf8")) as { packages: Record<string, { version?: string }> };
  return Object.entries(lock.packages).flatMap(([where, entry]) => {
    const name = where.split("node_modules/").pop() ?? "";
    return name in KNOWN_FIXED && entry.version ? [{ name, version: entry.version, where }] : [];
  });
}

describe("dependency versions", () => {
  it("every copy of socket.io, engine.io, ws, socket.io-parser, next and next-auth in the lockfile is at or above its known-fixed version", () => {
    const copies = lockfileCopies();
    for (const name of ["socket.io", "engine.io", "ws", "next", "next-auth"]) expect(copies.some((copy) => copy.name === name)).toBe(true);
    expect(copies.flatMap((copy) => checkVersion(copy.name, copy.version) ?? [])).toEqual([]);
  });

  it("the check itself refuses vulnerable and unknown lines", () => {
    expect(checkVersion("ws", "8.17.0")).toMatch(/below 8.17.1/);
    expect(checkVersion("ws", "8.17.1")).toBeNull();
    expect(checkVersion("ws", "7.5.9")).toMatch(/below 7.5.10/);
    expect(checkVersion("ws", "6.2.3")).toMatch(/no known-fixed version for the 6.x line/);
    expect(checkVersion("next", "16.0.6")).toMatch(/below 16.0.7/);
    expect(checkVersion("next", "16.0.7-canary.1")).toMatch(/below/);
    expect(checkVersion("next", "17.0.0")).toBeNull();
    expect(checkVersion("next-auth", "4.24.11")).toMatch(/below 4.24.12/);
  });
});

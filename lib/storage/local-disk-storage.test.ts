import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { text } from "node:stream/consumers";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { createLocalDiskStorage } from "@/lib/storage/local-disk-storage";
import { InvalidStorageKeyError, type ObjectStorage, StorageSizeMismatchError } from "@/lib/storage/storage";

let base: string;
let root: string;
let storage: ObjectStorage;

beforeEach(() => {
  base = mkdtempSync(path.join(os.tmpdir(), "parley-storage-"));
  root = path.join(base, "uploads");
  storage = createLocalDiskStorage(root);
});

afterEach(() => {
  rmSync(base, { recursive: true, force: true });
});

const bytes = (value: string) => new TextEncoder().encode(value);
const meta = (size: number) => ({ contentType: "text/plain", size });

describe("local disk storage", () => {
  it("stores a buffer and reads it back with its size", async () => {
    await storage.put("conv1/abc", bytes("hello"), meta(5));
    const stored = await storage.get("conv1/abc");
    expect(stored?.size).toBe(5);
    expect(await text(stored!.stream)).toBe("hello");
  });

  it("stores a stream", async () => {
    await storage.put("conv1/stream", Readable.from([bytes("ab"), bytes("cd")]), meta(4));
    expect(await text((await storage.get("conv1/stream"))!.stream)).toBe("abcd");
  });

  it("refuses a body whose length is not the declared size and leaves nothing behind", async () => {
    await expect(storage.put("conv1/short", Readable.from([bytes("abc")]), meta(10))).rejects.toBeInstanceOf(StorageSizeMismatchError);
    expect(await storage.get("conv1/short")).toBeNull();
    expect(readdirSync(path.join(root, "conv1"))).toEqual([]);
  });

  it("answers null for a missing key and deletes idempotently", async () => {
    expect(await storage.get("conv1/missing")).toBeNull();
    await storage.put("conv1/gone", bytes("x"), meta(1));
    await storage.delete("conv1/gone");
    await storage.delete("conv1/gone");
    expect(await storage.get("conv1/gone")).toBeNull();
  });

  it.each(["../escape", "conv1/../../escape", "/etc/passwd", "conv1\\..\\x", "", ".", "conv1/", "a/b/c/d/e", "conv1/name.png", "x".repeat(129)])(
    "refuses the key %j for every operation",
    async (key) => {
      await expect(storage.put(key, bytes("x"), meta(1))).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(storage.get(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
      await expect(storage.delete(key)).rejects.toBeInstanceOf(InvalidStorageKeyError);
    },
  );

  it("never reads a file outside its root", async () => {
    writeFileSync(path.join(base, "secret"), "top secret");
    await expect(storage.get("../secret")).rejects.toBeInstanceOf(InvalidStorageKeyError);
    expect(readdirSync(base)).toEqual(["secret"]);
  });
});

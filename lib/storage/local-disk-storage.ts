/**
 * The default attachment storage: files under `<DATA_DIR>/uploads`, one per key. Writes go to a
 * temporary sibling first and are renamed into place, so readers never see half a file.
 */
/* eslint-disable security/detect-non-literal-fs-filename -- every path comes from resolveKey(), which confines it to the root */
import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { type FileHandle, mkdir, open, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { type Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";

import { assertValidStorageKey, InvalidStorageKeyError, type ObjectStorage, StorageSizeMismatchError } from "@/lib/storage/storage";

function isMissingFile(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "ENOENT";
}

export function createLocalDiskStorage(rootDir: string): ObjectStorage {
  const root = path.resolve(rootDir);

  function resolveKey(key: string): string {
    assertValidStorageKey(key);
    const file = path.resolve(root, ...key.split("/"));
    // Behind the key pattern, a second fence: whatever the key, the file stays under the root.
    if (!file.startsWith(root + path.sep)) throw new InvalidStorageKeyError(key);
    return file;
  }

  async function writeStream(temp: string, body: Readable): Promise<number> {
    let written = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        written += chunk.length;
        callback(null, chunk);
      },
    });
    await pipeline(body, counter, createWriteStream(temp, { flags: "wx", mode: 0o600 }));
    return written;
  }

  return {
    async put(key, body, meta) {
      const file = resolveKey(key);
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      // The suffix has dots, which keys never have: a partial file can never be read as an object.
      const temp = `${file}.${randomBytes(8).toString("hex")}.partial`;
      try {
        let written: number;
        if (body instanceof Uint8Array) {
          await writeFile(temp, body, { flag: "wx", mode: 0o600 });
          written = body.byteLength;
        } else {
          written = await writeStream(temp, body);
        }
        if (written !== meta.size) throw new StorageSizeMismatchError(meta.size, written);
        await rename(temp, file);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },

    async get(key) {
      const file = resolveKey(key);
      let handle: FileHandle;
      try {
        handle = await open(file, "r");
      } catch (error) {
        if (isMissingFile(error)) return null;
        throw error;
      }
      try {
        const { size } = await handle.stat();
        // The stream owns the handle from here and closes it when it ends or is destroyed.
        return { stream: handle.createReadStream(), size };
      } catch (error) {
        await handle.close();
        throw error;
      }
    },

    async delete(key) {
      await rm(resolveKey(key), { force: true });
    },
  };
}

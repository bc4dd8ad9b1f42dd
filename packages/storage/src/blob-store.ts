import { createHash, randomBytes } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`blob ${key} does not exist`);
    this.name = "BlobNotFoundError";
  }
}

export type PutResult = { key: string; sha256: string; sizeBytes: number; isNew: boolean };

/**
 * Content-addressed storage for images, heatmaps and model artifacts. `put` stores bytes under
 * their sha256 (the same bytes twice are stored once); `putAt` stores derived, regenerable data
 * (display images, thumbnails) under a caller-chosen key in the `derived/` namespace.
 */
export type BlobStore = {
  put(bytes: Uint8Array): Promise<PutResult>;
  putAt(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Buffer>;
  has(key: string): Promise<boolean>;
  delete(key: string): Promise<void>;
  /** Stores a stream content-addressed without holding it in memory (model artifacts: hundreds of MB). */
  putStream(source: AsyncIterable<Uint8Array>): Promise<PutResult>;
  /** The blob as a stream. */
  getStream(key: string): Promise<Readable>;
  /** Bytes [start, endInclusive] of a blob (a viewer tile, a header, a checkpoint's part). */
  getRange(key: string, start: number, endInclusive: number): Promise<Buffer>;
};

/** Checks a byte range; a range past the end of the blob is cut to its end. */
export function assertRange(start: number, endInclusive: number): void {
  if (!Number.isInteger(start) || !Number.isInteger(endInclusive) || start < 0 || endInclusive < start)
    throw new Error(`invalid byte range ${start}-${endInclusive}`);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

export function contentKey(sha256: string): string {
  return `sha256/${sha256.slice(0, 2)}/${sha256}`;
}

// Keys come from our own code, but a key must never walk out of the store's directory.
const SAFE_KEY = /^(sha256\/[0-9a-f]{2}\/[0-9a-f]{64}|derived\/[A-Za-z0-9._\-/]+)$/;
export function assertSafeKey(key: string): void {
  if (!SAFE_KEY.test(key) || key.split("/").some((part) => part === ".." || part === ".")) {
    throw new Error(`invalid blob key: ${JSON.stringify(key)}`);
  }
}

export function createLocalBlobStore(rootDir: string): BlobStore {
  const fileOf = (key: string) => {
    assertSafeKey(key);
    return path.join(rootDir, key);
  };
  // Images and models are the owner's only: folders 0700, files 0600 (not the umask's 755/644).
  async function writeAtomically(file: string, bytes: Uint8Array) {
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(tmp, bytes, { mode: 0o600 });
    await rename(tmp, file);
  }
  // Only "no such file" means absent: any other error (permissions, a broken link, I/O) is a store
  // that cannot be read, and `put` must not take it for a missing blob and write over it.
  async function exists(file: string) {
    try {
      await stat(file);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
      throw error;
    }
  }
  return {
    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      const key = contentKey(sha256);
      const file = fileOf(key);
      const isNew = !(await exists(file));
      if (isNew) await writeAtomically(file, bytes);
      return { key, sha256, sizeBytes: bytes.byteLength, isNew };
    },
    async putAt(key, bytes) {
      if (!key.startsWith("derived/")) throw new Error(`putAt is for derived/ keys only (got ${key})`);
      await writeAtomically(fileOf(key), bytes);
    },
    async get(key) {
      try {
        return await readFile(fileOf(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new BlobNotFoundError(key);
        throw error;
      }
    },
    has: (key) => exists(fileOf(key)),
    async delete(key) {
      await rm(fileOf(key), { force: true });
    },
    async putStream(source) {
      await mkdir(path.join(rootDir, "sha256"), { recursive: true });
      const tmp = path.join(rootDir, "sha256", `upload-${randomBytes(8).toString("hex")}.tmp`);
      const hash = createHash("sha256");
      let sizeBytes = 0;
      try {
        await pipeline(
          source,
          async function* (chunks: AsyncIterable<Uint8Array>) {
            for await (const chunk of chunks) {
              hash.update(chunk);
              sizeBytes += chunk.byteLength;
              yield chunk;
            }
          },
          createWriteStream(tmp),
        );
        const sha256 = hash.digest("hex");
        const key = contentKey(sha256);
        const file = fileOf(key);
        const isNew = !(await exists(file));
        if (isNew) {
          await mkdir(path.dirname(file), { recursive: true });
          await rename(tmp, file);
        }
        return { key, sha256, sizeBytes, isNew };
      } finally {
        await rm(tmp, { force: true });
      }
    },
    async getStream(key) {
      const file = fileOf(key);
      if (!(await exists(file))) throw new BlobNotFoundError(key);
      return createReadStream(file);
    },
    async getRange(key, start, endInclusive) {
      assertRange(start, endInclusive);
      const handle = await open(fileOf(key)).catch((error: NodeJS.ErrnoException) => {
        throw error.code === "ENOENT" ? new BlobNotFoundError(key) : error;
      });
      try {
        const buffer = Buffer.alloc(endInclusive - start + 1);
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, start);
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
  };
}

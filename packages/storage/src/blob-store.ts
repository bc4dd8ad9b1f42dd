import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";

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
};

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
  async function writeAtomically(file: string, bytes: Uint8Array) {
    await mkdir(path.dirname(file), { recursive: true });
    const tmp = `${file}.${randomBytes(6).toString("hex")}.tmp`;
    await writeFile(tmp, bytes);
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
  };
}

import { mkdir, mkdtemp, rm, symlink } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentKey, createLocalBlobStore, sha256Hex } from "./blob-store.ts";

let rootDir: string;
beforeAll(async () => {
  rootDir = await mkdtemp(path.join(os.tmpdir(), "mammo-blob-store-"));
});
afterAll(async () => {
  if (rootDir) await rm(rootDir, { recursive: true, force: true });
});

describe("createLocalBlobStore", () => {
  it("answers has() from the file: absent before put, present after, absent after delete", async () => {
    const blobs = createLocalBlobStore(rootDir);
    const bytes = new TextEncoder().encode("a heatmap");
    const key = contentKey(sha256Hex(bytes));
    expect(await blobs.has(key)).toBe(false);
    expect(await blobs.put(bytes)).toMatchObject({ key, isNew: true });
    expect(await blobs.has(key)).toBe(true);
    expect(await blobs.put(bytes)).toMatchObject({ key, isNew: false });
    await blobs.delete(key);
    expect(await blobs.has(key)).toBe(false);
  });

  it("fails with the file system's error when a blob cannot be examined, rather than calling it absent", async () => {
    const blobs = createLocalBlobStore(rootDir);
    const bytes = new TextEncoder().encode("a model artifact");
    const key = contentKey(sha256Hex(bytes));
    // A link that points at itself: stat fails with ELOOP (any user, root included, gets it).
    const file = path.join(rootDir, key);
    await mkdir(path.dirname(file), { recursive: true });
    await symlink(file, file);
    await expect(blobs.has(key)).rejects.toMatchObject({ code: "ELOOP" });
    await expect(blobs.put(bytes)).rejects.toMatchObject({ code: "ELOOP" });
  });
});

import { mkdir, mkdtemp, readdir, rm, stat, symlink } from "node:fs/promises";
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

describe("finding 4: the local blob store is readable by its owner only", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it("finding 4: stored images and derived files are 0600 in 0700 folders, whatever the umask", async () => {
    const parent = await mkdtemp(path.join(os.tmpdir(), "mammo-blob-modes-"));
    dirs.push(parent);
    const root = path.join(parent, "blobs");
    const blobs = createLocalBlobStore(root);
    const previous = process.umask(0o022); // the usual umask, which gives 755 folders and 644 files
    try {
      const { key } = await blobs.put(new Uint8Array([1, 2, 3]));
      await blobs.putAt("derived/display/x.png", new Uint8Array([4]));
      const entries = await readdir(root, { recursive: true, withFileTypes: true });
      const modes = await Promise.all(
        [root, ...entries.map((e) => path.join(e.parentPath, e.name))].map(async (p) => ({
          path: path.relative(root, p) || ".",
          mode: ((await stat(p)).mode & 0o777).toString(8),
        })),
      );
      expect(modes).toEqual(
        modes.map((m) => ({
          path: m.path,
          mode: m.path === key || m.path === "derived/display/x.png" ? "600" : "700",
        })),
      );
    } finally {
      process.umask(previous);
    }
  });
});

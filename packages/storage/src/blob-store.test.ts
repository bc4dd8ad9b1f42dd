import { mkdtemp, readdir, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createLocalBlobStore } from "./blob-store.ts";

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

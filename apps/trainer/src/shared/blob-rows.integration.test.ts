import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createTestDatabase, findFreePort, type TestDatabase } from "@mammo/db/testing";
import { createLocalBlobStore, createS3BlobStore, sha256Hex } from "@mammo/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deleteBlob, MEDIA_TYPES, putBlob } from "./blob-rows.ts";

let database: TestDatabase;
let blobDir: string;
beforeAll(async () => {
  database = await createTestDatabase();
  blobDir = await mkdtemp(path.join(os.tmpdir(), "mammo-blob-rows-"));
});
afterAll(async () => {
  await database?.drop();
  if (blobDir) await rm(blobDir, { recursive: true, force: true });
});

const blobRow = (sha256: string) => database.db.blob.findUnique({ where: { sha256 } });

describe("deleteBlob", () => {
  it("removes the bytes, then the Blob row", async () => {
    const blobs = createLocalBlobStore(blobDir);
    const stored = await putBlob(
      database.db,
      blobs,
      new TextEncoder().encode("a superseded checkpoint"),
      MEDIA_TYPES.checkpoint,
    );
    const lines: string[] = [];
    expect(await deleteBlob(database.db, blobs, stored.key, (line) => lines.push(line))).toBe(true);
    expect(await blobs.has(stored.key)).toBe(false);
    expect(await blobRow(stored.sha256)).toBeNull();
    expect(lines).toEqual([]);
  });

  it("reports a delete the store fails, with the key and the reason, and keeps the Blob row so the orphan can be found", async () => {
    // A real S3 client against a port where no store answers: the delete fails as when the object store is down.
    const unreachable = createS3BlobStore({
      bucket: "mammo",
      endpoint: `http://127.0.0.1:${await findFreePort()}`,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    const sha256 = sha256Hex(new TextEncoder().encode("a fold model inside the published artifact"));
    await database.db.blob.create({ data: { sha256, sizeBytes: 42n, mediaType: MEDIA_TYPES.model } });
    const key = `sha256/${sha256.slice(0, 2)}/${sha256}`;
    const lines: string[] = [];
    expect(await deleteBlob(database.db, unreachable, key, (line) => lines.push(line))).toBe(false);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      new RegExp(
        `^could not delete blob ${key} \\(.*ECONNREFUSED.*\\); its Blob row is kept so the orphan can be found$`,
      ),
    );
    expect(await blobRow(sha256)).toMatchObject({ sha256, mediaType: MEDIA_TYPES.model });
  });
});

// The S3 store against an independent S3 implementation: s3rver (npm), started here on a free
// port with its own folder: buckets, multipart uploads, server-side copies and ranged GETs as S3
// has them, and S3's errors. It checks the access key id, not the SigV4 signature
// (s3-signature.test.ts does that against a fake that recomputes it).
import { mkdtemp, readdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import S3rver from "s3rver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BlobNotFoundError, createLocalBlobStore, sha256Hex } from "./blob-store.ts";
import { createBlobStoreFromEnv } from "./from-env.ts";
import { createS3BlobStore, S3StoreError } from "./s3-blob-store.ts";

// s3rver's one account.
const ACCESS_KEY = "S3RVER";
const SECRET_KEY = "S3RVER";
let server: S3rver;
let dir: string;
let endpoint: string;
// s3rver's S3 event notifications: how each object came to be (Put, Copy, Post = multipart completed).
const events: { name: string; key: string }[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "mammo-s3rver-"));
  server = new S3rver({
    port: 0,
    address: "127.0.0.1",
    silent: true,
    directory: dir,
    configureBuckets: [{ name: "mammo-bucket" }],
  });
  server.on("event", (e: { Records: { eventName: string; s3: { object: { key: string } } }[] }) =>
    events.push(...e.Records.map((r) => ({ name: r.eventName, key: r.s3.object.key }))),
  );
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

const store = (options: { accessKeyId?: string; bucket?: string; partSizeBytes?: number } = {}) =>
  createS3BlobStore({
    bucket: options.bucket ?? "mammo-bucket",
    prefix: "site-a/",
    region: "eu-west-1",
    endpoint,
    credentials: { accessKeyId: options.accessKeyId ?? ACCESS_KEY, secretAccessKey: SECRET_KEY },
    partSizeBytes: options.partSizeBytes,
  });

/** A deterministic stream of `total` bytes in `chunk`-sized pieces (never all in memory). */
function patternStream(total: number, chunk = 256 * 1024): Readable {
  let sent = 0;
  return Readable.from(
    (function* () {
      while (sent < total) {
        const n = Math.min(chunk, total - sent);
        const piece = Buffer.alloc(n);
        for (let i = 0; i < n; i++) piece[i] = (sent + i) % 251;
        sent += n;
        yield piece;
      }
    })(),
  );
}
const patternBytes = (total: number) => Buffer.from(Array.from({ length: total }, (_, i) => i % 251));
const objectFiles = async () => (await readdir(dir, { recursive: true })).map(String);

describe("S3 blob store against s3rver", () => {
  it("stores content-addressed under the prefix, once per content, and reads back", async () => {
    const blobs = store();
    const bytes = new TextEncoder().encode("de-identified image bytes");
    const first = await blobs.put(bytes);
    expect(first).toEqual({
      key: `sha256/${sha256Hex(bytes).slice(0, 2)}/${sha256Hex(bytes)}`,
      sha256: sha256Hex(bytes),
      sizeBytes: bytes.length,
      isNew: true,
    });
    expect((await objectFiles()).some((f) => f.includes(`site-a/${first.key}`))).toBe(true);
    expect((await blobs.put(bytes)).isNew).toBe(false);
    expect([...(await blobs.get(first.key))]).toEqual([...bytes]);
    expect(await blobs.has(first.key)).toBe(true);
    await blobs.putAt("derived/abc/display-v1.png", new Uint8Array([1, 2, 3]));
    expect([...(await blobs.get("derived/abc/display-v1.png"))]).toEqual([1, 2, 3]);
    await blobs.delete(first.key);
    expect(await blobs.has(first.key)).toBe(false);
    await expect(blobs.get(first.key)).rejects.toBeInstanceOf(BlobNotFoundError);
  });

  it("streams a large blob up in multipart parts and reads it back whole, as a stream and by range", async () => {
    const total = 12 * 1024 * 1024 + 12345; // three parts of 5 MiB, the last one short
    const blobs = store({ partSizeBytes: 5 * 1024 * 1024 });
    const expected = patternBytes(total);
    const put = await blobs.putStream(patternStream(total));
    expect(put).toMatchObject({ sha256: sha256Hex(expected), sizeBytes: total, isNew: true });
    // Sent as a multipart upload to a temporary key, then copied to its content key on the server.
    expect(events.filter((e) => e.key.startsWith("site-a/uploads/")).map((e) => e.name)).toEqual([
      "ObjectCreated:Post",
      "ObjectRemoved:Delete",
    ]);
    expect(events.filter((e) => e.key === `site-a/${put.key}`).map((e) => e.name)).toEqual(["ObjectCreated:Copy"]);
    expect(Buffer.compare(await blobs.get(put.key), expected)).toBe(0);
    const streamed: Buffer[] = [];
    for await (const chunk of await blobs.getStream(put.key)) streamed.push(chunk as Buffer);
    expect(Buffer.compare(Buffer.concat(streamed), expected)).toBe(0);
    const start = 5 * 1024 * 1024 - 10; // across the first part boundary
    expect(
      Buffer.compare(await blobs.getRange(put.key, start, start + 99), expected.subarray(start, start + 100)),
    ).toBe(0);
    expect((await blobs.putStream(patternStream(total))).isNew).toBe(false);
    // No temporary upload objects are left behind.
    expect((await objectFiles()).filter((f) => f.includes("site-a/uploads/") && !f.endsWith("uploads"))).toEqual([]);
  });

  it("names a missing bucket and refused credentials", async () => {
    const missing = await store({ bucket: "no-such-bucket" })
      .put(new Uint8Array([1]))
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(S3StoreError);
    expect((missing as Error).message).toBe(`S3 bucket "no-such-bucket" does not exist at ${endpoint}`);
    const wrong = await store({ accessKeyId: "NOT-A-KEY" })
      .get("sha256/00/" + "0".repeat(64))
      .catch((e: unknown) => e);
    expect(wrong).toBeInstanceOf(S3StoreError);
    expect((wrong as Error).message).toMatch(
      /S3 refused the credentials for bucket "mammo-bucket" \(InvalidAccessKeyId\)/,
    );
    await expect(store({ accessKeyId: "NOT-A-KEY" }).putStream(patternStream(6 * 1024 * 1024))).rejects.toThrow(
      /refused the credentials/,
    );
  });

  it("refuses keys that could leave the store's namespace, and bad ranges", async () => {
    await expect(store().get("../etc/passwd")).rejects.toThrow(/invalid blob key/);
    await expect(store().putAt("sha256/zz/evil", new Uint8Array([1]))).rejects.toThrow(/derived\/ keys only/);
    await expect(store().getRange("sha256/00/" + "0".repeat(64), 10, 5)).rejects.toThrow(/invalid byte range/);
  });

  it("is chosen by S3_BUCKET in the environment", async () => {
    const blobs = createBlobStoreFromEnv("/nonexistent", {
      S3_BUCKET: "mammo-bucket",
      S3_ENDPOINT: endpoint,
      S3_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: SECRET_KEY,
    });
    const put = await blobs.put(new Uint8Array([4, 5, 6]));
    expect([...(await blobs.get(put.key))]).toEqual([4, 5, 6]);
  });
});

describe("local blob store: the same streaming calls", () => {
  it("stores a stream content-addressed and reads ranges", async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), "mammo-local-blobs-"));
    try {
      const blobs = createLocalBlobStore(root);
      const total = 3 * 1024 * 1024 + 7;
      const put = await blobs.putStream(patternStream(total));
      expect(put).toMatchObject({ sha256: sha256Hex(patternBytes(total)), sizeBytes: total, isNew: true });
      expect(Buffer.compare(await blobs.getRange(put.key, 1000, 1999), patternBytes(total).subarray(1000, 2000))).toBe(
        0,
      );
      expect((await blobs.putStream(patternStream(total))).isNew).toBe(false);
      await expect(blobs.getStream("sha256/00/" + "0".repeat(64))).rejects.toBeInstanceOf(BlobNotFoundError);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

import path from "node:path";
import { createLocalBlobStore, type BlobStore } from "./blob-store.ts";

/** BLOB_DIR (default `<root>/.data/blobs`). An S3-compatible store is configured the same way. */
export function createBlobStoreFromEnv(rootDir: string, env: NodeJS.ProcessEnv = process.env): BlobStore {
  return createLocalBlobStore(env.BLOB_DIR ?? path.join(rootDir, ".data", "blobs"));
}

export {
  createLocalBlobStore,
  BlobNotFoundError,
  contentKey,
  sha256Hex,
  assertSafeKey,
  type BlobStore,
  type PutResult,
} from "./blob-store.ts";
export { createBlobStoreFromEnv } from "./from-env.ts";
export { createS3BlobStore, type S3BlobStoreOptions } from "./s3-blob-store.ts";

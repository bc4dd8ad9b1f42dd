export {
  createLocalBlobStore,
  BlobNotFoundError,
  contentKey,
  sha256Hex,
  assertSafeKey,
  assertRange,
  type BlobStore,
  type PutResult,
} from "./blob-store.ts";
export { createBlobStoreFromEnv } from "./from-env.ts";
export { createS3BlobStore, S3StoreError, type S3BlobStoreOptions } from "./s3-blob-store.ts";

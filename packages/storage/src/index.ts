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

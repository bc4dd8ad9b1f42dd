import path from "node:path";
import { createLocalBlobStore, type BlobStore } from "./blob-store.ts";
import { createS3BlobStore } from "./s3-blob-store.ts";

/**
 * S3_BUCKET set: an S3-compatible bucket (S3_ENDPOINT, S3_REGION, S3_PREFIX, S3_FORCE_PATH_STYLE;
 * credentials AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the AWS SDK's default chain).
 * Otherwise a local directory: BLOB_DIR (default `blobs` in DATA_DIR, else in `<root>/.data`).
 */
export function createBlobStoreFromEnv(rootDir: string, env: NodeJS.ProcessEnv = process.env): BlobStore {
  if (env.S3_BUCKET) {
    return createS3BlobStore({
      bucket: env.S3_BUCKET,
      prefix: env.S3_PREFIX,
      region: env.S3_REGION ?? env.AWS_REGION,
      endpoint: env.S3_ENDPOINT,
      forcePathStyle: env.S3_FORCE_PATH_STYLE === undefined ? undefined : env.S3_FORCE_PATH_STYLE === "true",
      credentials:
        env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
          ? {
              accessKeyId: env.AWS_ACCESS_KEY_ID,
              secretAccessKey: env.AWS_SECRET_ACCESS_KEY,
              sessionToken: env.AWS_SESSION_TOKEN,
            }
          : undefined,
    });
  }
  return createLocalBlobStore(env.BLOB_DIR ?? path.join(env.DATA_DIR?.trim() || path.join(rootDir, ".data"), "blobs"));
}

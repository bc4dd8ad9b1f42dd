import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { assertSafeKey, BlobNotFoundError, contentKey, sha256Hex, type BlobStore } from "./blob-store.ts";

export type S3BlobStoreOptions = {
  bucket: string;
  /** Key prefix inside the bucket, e.g. "mammo/" (default none). */
  prefix?: string;
  region?: string;
  /** An S3-compatible endpoint (MinIO, Ceph, R2...); unset for AWS. */
  endpoint?: string;
  /** Path-style URLs (bucket in the path): what most S3-compatible servers want. */
  forcePathStyle?: boolean;
  /** Explicit credentials; unset: the AWS SDK's default chain (env, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
};

/**
 * The BlobStore on an S3-compatible bucket (AWS SDK v3). Same keys as the local store:
 * `sha256/ab/<sha256>` for content, `derived/...` for regenerable data.
 */
export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore {
  const client = new S3Client({
    region: options.region ?? "us-east-1",
    endpoint: options.endpoint,
    forcePathStyle: options.forcePathStyle ?? Boolean(options.endpoint),
    credentials: options.credentials,
    // Plain signed requests (no aws-chunked trailers): what every S3-compatible server accepts.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const prefix = options.prefix ?? "";
  const objectKey = (key: string) => {
    assertSafeKey(key);
    return `${prefix}${key}`;
  };
  const isMissing = (error: unknown) =>
    error instanceof NoSuchKey ||
    error instanceof NotFound ||
    (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404);

  async function has(key: string): Promise<boolean> {
    try {
      await client.send(new HeadObjectCommand({ Bucket: options.bucket, Key: objectKey(key) }));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  return {
    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      const key = contentKey(sha256);
      const isNew = !(await has(key));
      if (isNew)
        await client.send(
          new PutObjectCommand({
            Bucket: options.bucket,
            Key: objectKey(key),
            Body: bytes,
            ContentLength: bytes.byteLength,
          }),
        );
      return { key, sha256, sizeBytes: bytes.byteLength, isNew };
    },
    async putAt(key, bytes) {
      if (!key.startsWith("derived/")) throw new Error(`putAt is for derived/ keys only (got ${key})`);
      await client.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: objectKey(key),
          Body: bytes,
          ContentLength: bytes.byteLength,
        }),
      );
    },
    async get(key) {
      try {
        const response = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: objectKey(key) }));
        return Buffer.from(await response.Body!.transformToByteArray());
      } catch (error) {
        if (isMissing(error)) throw new BlobNotFoundError(key);
        throw error;
      }
    },
    has,
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: options.bucket, Key: objectKey(key) }));
    },
  };
}

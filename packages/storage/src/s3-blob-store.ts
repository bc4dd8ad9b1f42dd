import { createHash, randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { assertRange, assertSafeKey, BlobNotFoundError, contentKey, sha256Hex, type BlobStore } from "./blob-store.ts";

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
  /** Part size of multipart uploads (default 8 MiB; S3's minimum is 5 MiB). */
  partSizeBytes?: number;
};

/** An S3 failure a person must fix (bucket, credentials), said plainly. */
export class S3StoreError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = "S3StoreError";
  }
}

const MIN_PART_BYTES = 5 * 1024 * 1024;
const CREDENTIAL_ERRORS = new Set([
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "AccessDenied",
  "InvalidToken",
  "ExpiredToken",
]);

/**
 * The BlobStore on an S3-compatible bucket (AWS SDK v3). Same keys as the local store:
 * `sha256/ab/<sha256>` for content, `derived/...` for regenerable data. Streams go up in
 * multipart parts (one part in memory at a time) to a temporary key, hashed on the way, then
 * are copied to their content key on the server.
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
  const { bucket } = options;
  const prefix = options.prefix ?? "";
  const partSize = Math.max(options.partSizeBytes ?? 8 * 1024 * 1024, MIN_PART_BYTES);
  const objectKey = (key: string) => {
    assertSafeKey(key);
    return `${prefix}${key}`;
  };
  const isMissing = (error: unknown) =>
    error instanceof NoSuchKey ||
    error instanceof NotFound ||
    (error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404 && error.name !== "NoSuchBucket");

  // Every call: a missing bucket and refused credentials become one clear line.
  async function send<T = unknown>(command: object, key?: string): Promise<T> {
    try {
      return (await client.send(command as Parameters<S3Client["send"]>[0])) as T;
    } catch (error) {
      if (key && isMissing(error)) throw new BlobNotFoundError(key);
      const name = (error as { name?: string; Code?: string }).name;
      const status = (error as S3ServiceException).$metadata?.httpStatusCode;
      if (name === "NoSuchBucket" || (status === 404 && !key))
        throw new S3StoreError(
          `S3 bucket "${bucket}" does not exist${options.endpoint ? ` at ${options.endpoint}` : ""}`,
          { cause: error },
        );
      if (name && (CREDENTIAL_ERRORS.has(name) || status === 403))
        throw new S3StoreError(
          `S3 refused the credentials for bucket "${bucket}" (${name}): check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY`,
          {
            cause: error,
          },
        );
      throw error;
    }
  }

  async function has(key: string): Promise<boolean> {
    try {
      await send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey(key) }), key);
      return true;
    } catch (error) {
      if (error instanceof BlobNotFoundError) return false;
      throw error;
    }
  }

  async function putObject(key: string, bytes: Uint8Array) {
    await send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes, ContentLength: bytes.byteLength }));
  }

  /** Multipart upload of a stream to `key`; returns its sha256 and size. */
  async function uploadStream(key: string, source: AsyncIterable<Uint8Array>) {
    const hash = createHash("sha256");
    let sizeBytes = 0;
    let pending: Uint8Array[] = [];
    let pendingBytes = 0;
    let uploadId: string | undefined;
    const parts: { ETag: string; PartNumber: number }[] = [];
    const flush = async () => {
      const body = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      uploadId ??= (await send<{ UploadId: string }>(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key })))
        .UploadId;
      const PartNumber = parts.length + 1;
      const { ETag } = await send<{ ETag: string }>(
        new UploadPartCommand({
          Bucket: bucket,
          Key: key,
          UploadId: uploadId,
          PartNumber,
          Body: body,
          ContentLength: body.length,
        }),
      );
      parts.push({ ETag, PartNumber });
    };
    try {
      for await (const chunk of source) {
        hash.update(chunk);
        sizeBytes += chunk.byteLength;
        pending.push(chunk);
        pendingBytes += chunk.byteLength;
        if (pendingBytes >= partSize) await flush();
      }
      if (!uploadId)
        await putObject(key, Buffer.concat(pending, pendingBytes)); // small: one PUT
      else {
        if (pendingBytes > 0) await flush();
        await send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            UploadId: uploadId,
            MultipartUpload: { Parts: parts },
          }),
        );
      }
    } catch (error) {
      if (uploadId)
        await client
          .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))
          .catch(() => {});
      throw error;
    }
    return { sha256: hash.digest("hex"), sizeBytes, isMultipart: uploadId !== undefined };
  }

  return {
    async put(bytes) {
      const sha256 = sha256Hex(bytes);
      const key = contentKey(sha256);
      const isNew = !(await has(key));
      if (isNew) await putObject(objectKey(key), bytes);
      return { key, sha256, sizeBytes: bytes.byteLength, isNew };
    },
    async putAt(key, bytes) {
      if (!key.startsWith("derived/")) throw new Error(`putAt is for derived/ keys only (got ${key})`);
      await putObject(objectKey(key), bytes);
    },
    async get(key) {
      const response = await send<{ Body: { transformToByteArray(): Promise<Uint8Array> } }>(
        new GetObjectCommand({ Bucket: bucket, Key: objectKey(key) }),
        key,
      );
      return Buffer.from(await response.Body.transformToByteArray());
    },
    has,
    async delete(key) {
      await send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
    },
    async putStream(source) {
      // The content key is known only at the end: upload to a temporary key, then copy on the server.
      const uploadKey = `${prefix}uploads/${randomBytes(12).toString("hex")}`;
      try {
        const { sha256, sizeBytes } = await uploadStream(uploadKey, source);
        const key = contentKey(sha256);
        const isNew = !(await has(key));
        if (isNew)
          await send(
            new CopyObjectCommand({ Bucket: bucket, Key: objectKey(key), CopySource: `${bucket}/${uploadKey}` }),
          );
        return { key, sha256, sizeBytes, isNew };
      } finally {
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: uploadKey })).catch(() => {});
      }
    },
    async getStream(key) {
      const response = await send<{ Body: Readable }>(
        new GetObjectCommand({ Bucket: bucket, Key: objectKey(key) }),
        key,
      );
      return response.Body instanceof Readable
        ? response.Body
        : Readable.from(response.Body as AsyncIterable<Uint8Array>);
    },
    async getRange(key, start, endInclusive) {
      assertRange(start, endInclusive);
      const response = await send<{ Body: { transformToByteArray(): Promise<Uint8Array> } }>(
        new GetObjectCommand({ Bucket: bucket, Key: objectKey(key), Range: `bytes=${start}-${endInclusive}` }),
        key,
      );
      return Buffer.from(await response.Body.transformToByteArray());
    },
  };
}

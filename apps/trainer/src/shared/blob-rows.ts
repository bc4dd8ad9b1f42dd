import type { Db, Tx } from "@mammo/db";
import type { BlobStore } from "@mammo/storage";

export const MEDIA_TYPES = {
  model: "application/vnd.mammo.model+tar",
  checkpoint: "application/vnd.mammo.checkpoint+tar",
  heatmap: "image/png",
} as const;

/** Stores bytes content-addressed and records the Blob row (so orphans can be found). Idempotent. */
export async function putBlob(db: Db | Tx, blobs: BlobStore, bytes: Uint8Array, mediaType: string) {
  const stored = await blobs.put(bytes);
  await db.blob.upsert({
    where: { sha256: stored.sha256 },
    create: { sha256: stored.sha256, sizeBytes: BigInt(stored.sizeBytes), mediaType },
    update: {},
  });
  return stored;
}

/** Removes a blob that is no longer referenced (e.g. a superseded checkpoint); best effort. */
export async function deleteBlob(db: Db, blobs: BlobStore, key: string, sha256: string): Promise<void> {
  await blobs.delete(key).catch(() => {});
  await db.blob.deleteMany({ where: { sha256 } }).catch(() => {});
}

import type { Db, Tx } from "@mammo/db";
import type { BlobStore } from "@mammo/storage";
import { messageOf } from "../errors/trainer-error.ts";

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

/**
 * Removes a content-addressed blob that is no longer referenced (a superseded checkpoint, a fold
 * model now inside the published artifact). It runs after the work it tidies up is committed, so
 * a failure must not fail that work: it is reported through `log`, with the key and the reason.
 * The Blob row goes only once the bytes are gone, so a blob that could not be deleted stays
 * listed (an orphan that can still be found and removed) rather than forgotten in the store.
 * Returns whether both are gone.
 */
export async function deleteBlob(db: Db, blobs: BlobStore, key: string, log: (line: string) => void): Promise<boolean> {
  try {
    await blobs.delete(key);
  } catch (error) {
    log(`could not delete blob ${key} (${messageOf(error)}); its Blob row is kept so the orphan can be found`);
    return false;
  }
  try {
    await db.blob.deleteMany({ where: { sha256: key.split("/").at(-1)! } }); // content keys end in their sha256
  } catch (error) {
    log(`deleted blob ${key} but not its Blob row (${messageOf(error)})`);
    return false;
  }
  return true;
}

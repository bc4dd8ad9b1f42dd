import { createHash } from "node:crypto";
import { derivedKeys, renderDisplayPixels } from "@mammo/imaging";
import { BlobNotFoundError, type BlobStore } from "@mammo/storage";
import { messageOf } from "../errors/trainer-error.ts";
import { placementFor, prepareGreyImage, type PreparedImage, type PreprocessingSettings } from "../ml/ml-core.ts";

/** The columns of an Image row the trainer reads. */
export type StoredImage = {
  id: string;
  caseId: string;
  laterality: "R" | "L";
  view: string;
  widthPx: number;
  heightPx: number;
  contentSha256: string;
  storageKey: string;
  status: "ACTIVE" | "QUARANTINED" | "REJECTED";
  quarantineReason: string | null;
};

export const storedImageSelect = {
  id: true,
  caseId: true,
  laterality: true,
  view: true,
  widthPx: true,
  heightPx: true,
  contentSha256: true,
  storageKey: true,
  status: true,
  quarantineReason: true,
} as const;

/** An image that cannot be used, with the reason in words. */
export class UnreadableImageError extends Error {
  constructor(
    readonly imageId: string,
    readonly reason: string,
  ) {
    super(`image ${imageId}: ${reason}`);
    this.name = "UnreadableImageError";
  }
}

/** The settings that decide the prepared pixels (normalisation comes later), as a cache-key part. */
function variantOf(settings: PreprocessingSettings): string {
  const { inputSize, resize, resample, bitDepth } = settings;
  return createHash("sha256")
    .update(JSON.stringify({ inputSize, resize, resample, bitDepth }))
    .digest("hex")
    .slice(0, 16);
}

/** [width u32][height u32][pixels f32...], little-endian: the source size (for the placement) and the prepared square. */
function encodeCached(prepared: PreparedImage): Uint8Array {
  const out = new Uint8Array(8 + prepared.pixels.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, prepared.placement.sourceWidth, true);
  view.setUint32(4, prepared.placement.sourceHeight, true);
  out.set(new Uint8Array(prepared.pixels.buffer, prepared.pixels.byteOffset, prepared.pixels.byteLength), 8);
  return out;
}

function decodeCached(bytes: Uint8Array, settings: PreprocessingSettings): PreparedImage | null {
  const size = settings.inputSize;
  if (bytes.byteLength !== 8 + size * size * 4) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pixels = new Float32Array(size * size);
  for (let i = 0; i < pixels.length; i++) pixels[i] = view.getFloat32(8 + i * 4, true);
  return { size, pixels, placement: placementFor(view.getUint32(0, true), view.getUint32(4, true), settings) };
}

/**
 * Stored images (DICOM, PNG, JPEG) -> the model's input as its preprocessing settings say
 * (ml-core's prepareGreyImage on the 8-bit display rendering: the one preprocessing, whatever the
 * resize mode). The result is cached in the blob store under derived/ (decoding a mammogram takes
 * a while, and every job of a run reads every image); the cache holds exactly the computed floats.
 */
export function createImageLoader(blobs: BlobStore) {
  return async function loadInput(image: StoredImage, preprocessing: PreprocessingSettings): Promise<PreparedImage> {
    if (image.status !== "ACTIVE")
      throw new UnreadableImageError(
        image.id,
        `is ${image.status.toLowerCase()}${image.quarantineReason ? ` (${image.quarantineReason})` : ""}`,
      );
    const key = derivedKeys.modelInput(image.contentSha256, variantOf(preprocessing));
    try {
      const cached = decodeCached(await blobs.get(key), preprocessing);
      if (cached) return cached;
    } catch (error) {
      if (!(error instanceof BlobNotFoundError)) throw error;
    }
    let prepared: PreparedImage;
    try {
      const display = await renderDisplayPixels(await blobs.get(image.storageKey));
      prepared = prepareGreyImage(
        { width: display.widthPx, height: display.heightPx, data: display.pixels },
        preprocessing,
      );
    } catch (error) {
      throw new UnreadableImageError(image.id, `cannot be read (${messageOf(error)})`);
    }
    await blobs.putAt(key, encodeCached(prepared));
    return prepared;
  };
}

export type ImageLoader = ReturnType<typeof createImageLoader>;

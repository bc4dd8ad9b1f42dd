import { BlobNotFoundError, type BlobStore } from "@mammo/storage";
import sharp from "sharp";
import { renderDisplayPixels } from "../display/decode-for-display.ts";
import { ImagingError } from "../errors.ts";
import type { ImagingLimits } from "../limits.ts";

// Bump when the rendering changes: old cached files are then simply never read again.
const RENDER_VERSION = "v1";

export const THUMBNAIL_SIZES_PX = [128, 256, 512] as const;
export type ThumbnailSizePx = (typeof THUMBNAIL_SIZES_PX)[number];

export type StoredImageRef = { contentSha256: string; storageKey: string };

export const derivedKeys = {
  display: (sha256: string) => `derived/${sha256}/display-${RENDER_VERSION}.png`,
  thumbnail: (sha256: string, sizePx: number) => `derived/${sha256}/thumb-${sizePx}-${RENDER_VERSION}.png`,
  /** The trainer's cache of a model input made from the display rendering (`variant` names its preprocessing). */
  modelInput: (sha256: string, variant: string) => `derived/${sha256}/model-input-${variant}-${RENDER_VERSION}.f32`,
};

/**
 * Derived images of stored originals, cached in the blob store under `derived/` keys and rebuilt
 * on demand when missing (they can all be deleted at any time).
 */
export function createDerivedImages(blobs: BlobStore, limits?: ImagingLimits) {
  async function cached(key: string, build: () => Promise<Uint8Array>): Promise<Buffer> {
    try {
      return await blobs.get(key);
    } catch (error) {
      if (!(error instanceof BlobNotFoundError)) throw error;
    }
    const bytes = await build();
    await blobs.putAt(key, bytes);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async function displayPixels(ref: StoredImageRef) {
    return renderDisplayPixels(await blobs.get(ref.storageKey), limits);
  }

  const rawGrey = (p: { widthPx: number; heightPx: number; pixels: Uint8Array }) =>
    sharp(p.pixels, { raw: { width: p.widthPx, height: p.heightPx, channels: 1 } }).toColourspace("b-w");

  return {
    /** 8-bit greyscale PNG at full size, the display window applied. */
    displayPng: (ref: StoredImageRef) =>
      cached(derivedKeys.display(ref.contentSha256), async () =>
        rawGrey(await displayPixels(ref))
          .png({ compressionLevel: 6 })
          .toBuffer(),
      ),

    /** 8-bit greyscale PNG whose longer side is `sizePx`, aspect ratio kept. */
    thumbnailPng: (ref: StoredImageRef, sizePx: ThumbnailSizePx) => {
      if (!THUMBNAIL_SIZES_PX.includes(sizePx))
        throw new ImagingError(
          "NOT_FOUND",
          `thumbnail size ${sizePx} is not offered (${THUMBNAIL_SIZES_PX.join(", ")})`,
        );
      return cached(derivedKeys.thumbnail(ref.contentSha256, sizePx), async () =>
        rawGrey(await displayPixels(ref))
          .resize(sizePx, sizePx, { fit: "inside", kernel: "lanczos3" })
          .png()
          .toBuffer(),
      );
    },
  };
}

export type DerivedImages = ReturnType<typeof createDerivedImages>;

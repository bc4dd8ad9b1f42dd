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
  modelInput: (sha256: string, sizePx: number) => `derived/${sha256}/model-${sizePx}-${RENDER_VERSION}.u8`,
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

    /**
     * The model input: the display image resized (stretched) to a square of `sizePx`, as raw
     * 8-bit grey, row-major, top row first.
     * @returns Uint8Array of shape [sizePx, sizePx] (values 0..255); scale to 0..1 and repeat to
     *   3 channels for a VGG-16 input [sizePx, sizePx, 3].
     */
    modelInput: async (ref: StoredImageRef, sizePx: number): Promise<Uint8Array> => {
      if (!Number.isInteger(sizePx) || sizePx < 8 || sizePx > 2048)
        throw new ImagingError("CONFIGURATION", `model input size ${sizePx} must be an integer in 8..2048`);
      const bytes = await cached(derivedKeys.modelInput(ref.contentSha256, sizePx), async () =>
        rawGrey(await displayPixels(ref))
          .resize(sizePx, sizePx, { fit: "fill", kernel: "lanczos3" })
          .extractChannel(0)
          .raw()
          .toBuffer(),
      );
      return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    },
  };
}

export type DerivedImages = ReturnType<typeof createDerivedImages>;

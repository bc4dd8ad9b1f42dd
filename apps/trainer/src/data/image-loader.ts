import { createDerivedImages, renderDisplayPixels } from "@mammo/imaging";
import type { BlobStore } from "@mammo/storage";
import { messageOf } from "../errors/trainer-error.ts";
import type { GreyImage, PreprocessingSettings } from "../ml/ml-core.ts";

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

/**
 * Stored images (DICOM, PNG, JPEG) -> grey pixels as the model sees them, display window applied.
 * For square resizing the model-input cache of @mammo/imaging serves them (decoded once, then a
 * small cached file); aspect-preserving models get the full display image.
 */
export function createImageLoader(blobs: BlobStore) {
  const derived = createDerivedImages(blobs);
  return async function loadGrey(image: StoredImage, preprocessing: PreprocessingSettings): Promise<GreyImage> {
    if (image.status !== "ACTIVE")
      throw new UnreadableImageError(
        image.id,
        `is ${image.status.toLowerCase()}${image.quarantineReason ? ` (${image.quarantineReason})` : ""}`,
      );
    try {
      if (preprocessing.resize === "square") {
        const size = preprocessing.inputSize;
        return { width: size, height: size, data: await derived.modelInput(image, size) };
      }
      const display = await renderDisplayPixels(await blobs.get(image.storageKey));
      return { width: display.widthPx, height: display.heightPx, data: display.pixels };
    } catch (error) {
      throw new UnreadableImageError(image.id, `cannot be read (${messageOf(error)})`);
    }
  };
}

export type ImageLoader = ReturnType<typeof createImageLoader>;

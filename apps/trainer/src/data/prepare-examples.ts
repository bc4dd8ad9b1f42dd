import type { UnreadableImagePolicy } from "../config/trainer-config.ts";
import { badInput } from "../errors/trainer-error.ts";
import type { PreparedImage, PreprocessingSettings } from "../ml/ml-core.ts";
import { UnreadableImageError, type ImageLoader, type StoredImage } from "./image-loader.ts";

export type SkippedImage = { imageId: string; reason: string };

type Described = { image: StoredImage & { accessionKey?: string } };

function describe(image: Described["image"]): string {
  return `image ${image.id}${image.accessionKey ? ` (case ${image.accessionKey}, ${image.laterality} ${image.view})` : ` (${image.laterality} ${image.view})`}`;
}

/** The refusal for unusable images under the "fail" policy: names them (the first five) and how to go on. */
export function unreadableImagesError(failed: ReadonlyArray<{ image: Described["image"]; reason: string }>) {
  const listed = failed.slice(0, 5).map((f) => `${describe(f.image)} ${f.reason}`);
  const more = failed.length > 5 ? `; and ${failed.length - 5} more` : "";
  return badInput(
    `${failed.length} image${failed.length === 1 ? "" : "s"} cannot be used: ${listed.join("; ")}${more}. Fix or remove ${failed.length === 1 ? "it" : "them"} and freeze a new dataset version, or let the worker skip unreadable images (TRAINER_UNREADABLE_IMAGES=skip, CLI --unreadable-images skip)`,
  );
}

/**
 * Prepares images for the model (the image loader: decoded and preprocessed, or from its cache). Under the "fail" policy any
 * unusable image fails the call (naming it); under "skip" it is left out and listed.
 */
export async function prepareImages<T extends Described>(
  loadInput: ImageLoader,
  items: readonly T[],
  preprocessing: PreprocessingSettings,
  policy: UnreadableImagePolicy,
): Promise<{ prepared: Map<string, PreparedImage>; skipped: SkippedImage[] }> {
  const prepared = new Map<string, PreparedImage>();
  const failed: Array<{ image: T["image"]; reason: string }> = [];
  for (const item of items) {
    try {
      prepared.set(item.image.id, await loadInput(item.image, preprocessing));
    } catch (error) {
      if (!(error instanceof UnreadableImageError)) throw error;
      failed.push({ image: item.image, reason: error.reason });
    }
  }
  if (failed.length > 0 && policy === "fail") throw unreadableImagesError(failed);
  return { prepared, skipped: failed.map((f) => ({ imageId: f.image.id, reason: f.reason })) };
}

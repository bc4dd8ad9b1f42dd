import { encodeFullDepthLevels, SCREEN_LEVELS } from "../derived/full-depth-levels.ts";
import type { ImagingLimits } from "../limits.ts";
import type { IngestedImage } from "./ingest-file.ts";

/**
 * The image with the viewer's screen levels (derived/full-depth-levels.ts) made from its stored
 * bytes while the import holds them, in the ingest worker: a reader's first open of the case then
 * reads four small files instead of waiting for the API to decode four mammograms.
 */
export async function withScreenLevels(image: IngestedImage, limits: ImagingLimits): Promise<IngestedImage> {
  try {
    const levels = await encodeFullDepthLevels(image.storedBytes, SCREEN_LEVELS, limits);
    // Plain Uint8Arrays, as they arrive from a worker thread (structured clone drops Buffer).
    const screenLevels = levels.map(({ level, bytes }) => ({
      level,
      bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    }));
    return { ...image, screenLevels };
  } catch {
    // A cache only: ingest has just decoded these pixels, and should the display decode fail, the
    // API's first request for a level makes it again and reports the error to the viewer.
    return image;
  }
}

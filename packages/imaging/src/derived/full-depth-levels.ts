import { promisify } from "node:util";
import { gzip } from "node:zlib";
import {
  FULL_DEPTH_VERSION,
  frameFullDepthPixels,
  levelOf,
  MAX_LEVEL,
  type FullDepthHeader,
  type PyramidLevel,
} from "@mammo/wire-formats";
import { decodeForDisplay } from "../display/decode-for-display.ts";
import { storedRange, type DisplayTransform } from "../display/display-transform.ts";
import type { GreyImage } from "../grey-image.ts";
import type { ImagingLimits } from "../limits.ts";

const gzipAsync = promisify(gzip);

/** Blob key of one level's file: the format's version is in it, so a new layout never reads an old file. */
export const fullDepthKey = (sha256: string, level: number) =>
  `derived/${sha256}/pixels16-v${FULL_DEPTH_VERSION}-level${level}.bin.gz`;

/**
 * The levels a viewer asks for first (a screen-sized level: 3 for a 1x4 hanging on a 1080p
 * screen, 1 or 2 for one view or a high-density screen), all made from one decode. Full
 * resolution (level 0, 27 MB of samples for a 3328x4096 view) is fetched only on zoom.
 */
export const SCREEN_LEVELS: readonly number[] = Array.from({ length: MAX_LEVEL }, (_, i) => i + 1);

/**
 * The screen levels the import makes: 2 and coarser (a 1x4 or 2x2 hanging, or one view on a
 * 1080p screen). Level 1 (a single view on a 5 MP or high-density screen) is 80% of the bytes
 * and 70% of the work (BENCHMARKS.md, viewer): the API makes it on first request.
 */
export const IMPORT_LEVELS: readonly number[] = SCREEN_LEVELS.filter((level) => level >= 2);

export type EncodedLevel = { level: number; bytes: Buffer };
/** A level in the wire format, not yet compressed. */
export type FramedLevel = { level: number; framed: Uint8Array };

/** Compresses a framed level. gzip level 1: mammograms compress well already, and a reader waits. */
export const gzipLevel = async ({ level, framed }: FramedLevel): Promise<EncodedLevel> => ({
  level,
  bytes: await gzipAsync(framed, { level: 1 }),
});

/**
 * The stored image at its full bit depth, at each of `levels`, in the wire format of
 * @mammo/wire-formats: one decode, each level made from the finer one before it.
 */
export async function frameFullDepthLevels(
  fileBytes: Uint8Array,
  levels: readonly number[],
  limits?: ImagingLimits,
): Promise<FramedLevel[]> {
  const { image, transform } = await decodeForDisplay(fileBytes, limits);
  return frameLevelsOf(image, transform, levels);
}

/** frameFullDepthLevels of pixels already decoded (the import's own decode), with its display transform. */
export function frameLevelsOf(image: GreyImage, transform: DisplayTransform, levels: readonly number[]): FramedLevel[] {
  const samples = image.samples;
  const pad = transform.padding;
  const { min, max } = storedRange(image, pad);
  const modality = (v: number) => v * transform.rescaleSlope + transform.rescaleIntercept;
  const low = Math.min(modality(min), modality(max));
  const high = Math.max(modality(min), modality(max));
  // 8-bit images are widened to 16 bits (the format's sample size).
  const typed = samples instanceof Uint8Array ? Uint16Array.from(samples) : samples;
  let current: PyramidLevel = { level: 0, widthPx: image.widthPx, heightPx: image.heightPx, samples: typed };
  const out: FramedLevel[] = [];
  for (const level of [...levels].sort((a, b) => a - b)) {
    current = levelOf(current, level);
    const header: FullDepthHeader = {
      format: "mmpx",
      version: FULL_DEPTH_VERSION,
      level: current.level,
      widthPx: current.widthPx,
      heightPx: current.heightPx,
      fullWidthPx: image.widthPx,
      fullHeightPx: image.heightPx,
      bitsStored: image.bitsStored,
      isSigned: image.isSigned,
      rescaleSlope: transform.rescaleSlope,
      rescaleIntercept: transform.rescaleIntercept,
      // A VOI LUT table is approximated by the image's value range (the browser windows linearly).
      window: transform.window ?? { center: (low + high) / 2, width: Math.max(1, high - low) },
      voiLutFunction: transform.window ? transform.voiLutFunction : "LINEAR_EXACT",
      isInverted: transform.isInverted,
      minStored: min,
      maxStored: max,
      padding: pad ?? null,
    };
    out.push({ level, framed: frameFullDepthPixels(header, current.samples) });
  }
  return out;
}

import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { decodeForDisplay, type ImagingLimits } from "@mammo/imaging";
import { FULL_DEPTH_VERSION, frameFullDepthPixels, levelOf, type FullDepthHeader } from "@mammo/wire-formats";

const gzipAsync = promisify(gzip);

/** Blob key of one level's file: the format's version is in it, so a new layout never reads an old file. */
export const fullDepthKey = (sha256: string, level: number) =>
  `derived/${sha256}/pixels16-v${FULL_DEPTH_VERSION}-level${level}.bin.gz`;

/** The stored image at its full bit depth and resolution level `level` (the wire format of @mammo/wire-formats), gzipped. */
export async function encodeFullDepthPixels(fileBytes: Uint8Array, level = 0, limits?: ImagingLimits): Promise<Buffer> {
  const { image, transform } = await decodeForDisplay(fileBytes, limits);
  const samples = image.samples;
  let min = Infinity;
  let max = -Infinity;
  const pad = transform.padding;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    if (pad && v >= pad.from && v <= pad.to) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (min === Infinity) min = max = 0;
  const modality = (v: number) => v * transform.rescaleSlope + transform.rescaleIntercept;
  const low = Math.min(modality(min), modality(max));
  const high = Math.max(modality(min), modality(max));
  // 8-bit images are widened to 16 bits (the format's sample size).
  const typed = samples instanceof Uint8Array ? Uint16Array.from(samples) : samples;
  const chosen = levelOf({ level: 0, widthPx: image.widthPx, heightPx: image.heightPx, samples: typed }, level);
  const header: FullDepthHeader = {
    format: "mmpx",
    version: FULL_DEPTH_VERSION,
    level: chosen.level,
    widthPx: chosen.widthPx,
    heightPx: chosen.heightPx,
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
  const out = frameFullDepthPixels(header, chosen.samples);
  // Level 1: mammograms compress well already and the first request should not wait long.
  return gzipAsync(out, { level: 1 });
}

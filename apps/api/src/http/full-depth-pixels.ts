import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { decodeForDisplay, type ImagingLimits } from "@mammo/imaging";

const gzipAsync = promisify(gzip);

/** Bump when the layout changes: cached files under the old key are then never read again. */
export const FULL_DEPTH_VERSION = 1;
export const fullDepthKey = (sha256: string) => `derived/${sha256}/pixels16-v${FULL_DEPTH_VERSION}.bin.gz`;

/**
 * What the browser needs to window the stored pixels itself (the header of the file below).
 * Window values are in modality units (after rescale); `window` is the image's default (its
 * header's first window, else its own value range).
 */
export type FullDepthHeader = {
  format: "mmpx";
  version: number;
  widthPx: number;
  heightPx: number;
  bitsStored: number;
  isSigned: boolean;
  rescaleSlope: number;
  rescaleIntercept: number;
  window: { center: number; width: number };
  voiLutFunction: string;
  /** MONOCHROME1 or Presentation LUT Shape INVERSE: bright = low values. */
  isInverted: boolean;
  minStored: number;
  maxStored: number;
  /** Stored values that mark background (shown black whatever the window). */
  padding: { from: number; to: number } | null;
};

/**
 * The stored image at its full bit depth, for client-side window/level: a gzip file holding
 * "MMPX", a u32 LE byte length, that many bytes of JSON (FullDepthHeader), zero bytes up to a
 * multiple of 8, then widthPx*heightPx samples as 16-bit little-endian integers (signed when
 * isSigned), row-major, top row first. 8-bit images are widened to 16 bits.
 */
export async function encodeFullDepthPixels(fileBytes: Uint8Array, limits?: ImagingLimits): Promise<Buffer> {
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
  const header: FullDepthHeader = {
    format: "mmpx",
    version: FULL_DEPTH_VERSION,
    widthPx: image.widthPx,
    heightPx: image.heightPx,
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
  const json = Buffer.from(JSON.stringify(header), "utf8");
  const offset = Math.ceil((8 + json.length) / 8) * 8;
  const out = Buffer.alloc(offset + samples.length * 2);
  out.write("MMPX", 0, "latin1");
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  const view = image.isSigned
    ? new Int16Array(out.buffer, out.byteOffset + offset, samples.length)
    : new Uint16Array(out.buffer, out.byteOffset + offset, samples.length);
  view.set(samples);
  // Level 1: mammograms compress well already and the first request should not wait long.
  return gzipAsync(out, { level: 1 });
}

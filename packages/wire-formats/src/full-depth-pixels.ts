/**
 * The full-depth pixel file (GET /images/:id/pixels.bin?level=k): the stored image at its full
 * bit depth, for window/level in the browser, at resolution level k (0: every stored pixel; k:
 * ceil(size / 2^k) samples per side, 2x2 means, see pyramid.ts), so a viewer can show a
 * screen-sized level first and fetch full resolution when the reader zooms past it. Gzip
 * (applied by the API, undone by the browser's stream) of: "MMPX", a u32 LE byte length, that
 * many bytes of JSON (FullDepthHeader), zero bytes up to a multiple of 8, then widthPx*heightPx
 * samples as 16-bit little-endian integers (signed when isSigned), row-major, top row first.
 * 8-bit images are widened to 16 bits.
 */

/**
 * Bump when the layout changes (the API's cache key carries it, so old files are never read).
 * 2: resolution levels (`level`, `fullWidthPx`, `fullHeightPx`).
 */
export const FULL_DEPTH_VERSION = 2;

/**
 * What the browser needs to window the stored pixels itself. Window values are in modality units
 * (after rescale); `window` is the image's default (its header's first window, else its value range).
 */
export type FullDepthHeader = {
  format: "mmpx";
  version: number;
  /** Resolution level of the samples (0: full resolution). */
  level: number;
  /** Samples per row and rows at this level: ceil(fullWidthPx / 2^level), ceil(fullHeightPx / 2^level). */
  widthPx: number;
  heightPx: number;
  /** The stored image's size (level 0). */
  fullWidthPx: number;
  fullHeightPx: number;
  bitsStored: number;
  isSigned: boolean;
  rescaleSlope: number;
  rescaleIntercept: number;
  window: { center: number; width: number };
  voiLutFunction: string;
  /** MONOCHROME1 or Presentation LUT Shape INVERSE: bright = low values. */
  isInverted: boolean;
  /** Value range of the whole image (level 0, padding left out): the same at every level. */
  minStored: number;
  maxStored: number;
  /** Stored values that mark background (shown black whatever the window). */
  padding: { from: number; to: number } | null;
};

export type FullDepthImage = FullDepthHeader & { samples: Uint16Array | Int16Array };

export class PixelFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PixelFormatError";
  }
}

const MAGIC = [0x4d, 0x4d, 0x50, 0x58]; // "MMPX"
const samplesOffset = (headerBytes: number) => Math.ceil((8 + headerBytes) / 8) * 8;

/** The file's bytes before gzip: header and samples framed as described above. */
export function frameFullDepthPixels(header: FullDepthHeader, samples: ArrayLike<number>): Uint8Array {
  if (samples.length !== header.widthPx * header.heightPx)
    throw new PixelFormatError(`${samples.length} samples for a ${header.widthPx}x${header.heightPx} image`);
  const json = new TextEncoder().encode(JSON.stringify(header));
  const offset = samplesOffset(json.length);
  const buffer = new ArrayBuffer(offset + samples.length * 2);
  const bytes = new Uint8Array(buffer);
  bytes.set(MAGIC, 0);
  new DataView(buffer).setUint32(4, json.length, true);
  bytes.set(json, 8);
  const view = header.isSigned ? new Int16Array(buffer, offset) : new Uint16Array(buffer, offset);
  view.set(samples);
  return bytes;
}

/** Parses the (already gunzipped) file. The samples view the given buffer, no copy. */
export function parseFullDepthPixels(buffer: ArrayBuffer): FullDepthImage {
  if (buffer.byteLength < 8) throw new PixelFormatError("pixel file too short");
  const head = new DataView(buffer);
  if (MAGIC.some((byte, i) => head.getUint8(i) !== byte))
    throw new PixelFormatError("not a pixel file (no MMPX signature)");
  const length = head.getUint32(4, true);
  if (8 + length > buffer.byteLength) throw new PixelFormatError("pixel file header truncated");
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, length))) as FullDepthHeader;
  if (header.version !== FULL_DEPTH_VERSION)
    throw new PixelFormatError(`pixel file version ${header.version} is not supported`);
  if (
    !Number.isInteger(header.level) ||
    header.widthPx !== Math.ceil(header.fullWidthPx / 2 ** header.level) ||
    header.heightPx !== Math.ceil(header.fullHeightPx / 2 ** header.level)
  )
    throw new PixelFormatError(
      `pixel file level ${header.level} does not match its size ${header.widthPx}x${header.heightPx} of ${header.fullWidthPx}x${header.fullHeightPx}`,
    );
  const offset = samplesOffset(length);
  const count = header.widthPx * header.heightPx;
  if (offset + count * 2 > buffer.byteLength)
    throw new PixelFormatError(`pixel file holds fewer than ${count} samples`);
  const samples = header.isSigned ? new Int16Array(buffer, offset, count) : new Uint16Array(buffer, offset, count);
  return { ...header, samples };
}

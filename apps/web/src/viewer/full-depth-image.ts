/**
 * The API's full-depth pixel file (GET /images/:id/pixels.bin, written by
 * apps/api/src/http/full-depth-pixels.ts): gzip of "MMPX", u32 LE header length, JSON header,
 * zero padding to a multiple of 8, then 16-bit little-endian samples, row-major.
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
  /** The image's default window, in modality units (after rescale). */
  window: { center: number; width: number };
  voiLutFunction: string;
  isInverted: boolean;
  minStored: number;
  maxStored: number;
  padding: { from: number; to: number } | null;
};

export type FullDepthImage = FullDepthHeader & { samples: Uint16Array | Int16Array };

export class PixelFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PixelFormatError";
  }
}

/** Parses the (already gunzipped) file. The samples view the given buffer, no copy. */
export function parseFullDepthPixels(buffer: ArrayBuffer): FullDepthImage {
  if (buffer.byteLength < 8) throw new PixelFormatError("pixel file too short");
  const head = new DataView(buffer);
  const magic = String.fromCharCode(head.getUint8(0), head.getUint8(1), head.getUint8(2), head.getUint8(3));
  if (magic !== "MMPX") throw new PixelFormatError("not a pixel file (no MMPX signature)");
  const length = head.getUint32(4, true);
  if (8 + length > buffer.byteLength) throw new PixelFormatError("pixel file header truncated");
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 8, length))) as FullDepthHeader;
  if (header.version !== 1) throw new PixelFormatError(`pixel file version ${header.version} is not supported`);
  const offset = Math.ceil((8 + length) / 8) * 8;
  const count = header.widthPx * header.heightPx;
  if (offset + count * 2 > buffer.byteLength)
    throw new PixelFormatError(`pixel file holds fewer than ${count} samples`);
  const samples = header.isSigned ? new Int16Array(buffer, offset, count) : new Uint16Array(buffer, offset, count);
  return { ...header, samples };
}

/** Fetches and decodes an image's full-depth pixels (gzip decoded by the browser's stream). */
export async function fetchFullDepthImage(url: string, signal?: AbortSignal): Promise<FullDepthImage> {
  const response = await fetch(url, { signal, credentials: "same-origin" });
  if (!response.ok || !response.body)
    throw new PixelFormatError(
      response.status === 404
        ? "image not found or not visible to you"
        : `image could not be loaded (HTTP ${response.status})`,
    );
  const stream = response.body.pipeThrough(new DecompressionStream("gzip"));
  return parseFullDepthPixels(await new Response(stream).arrayBuffer());
}

/** The full-depth URL next to an image's display URL ("/images/<id>/display.png"). */
export const pixelsPathOf = (displayUrl: string) => displayUrl.replace(/\/display\.png$/, "/pixels.bin");

import { concatBytes } from "../bytes/concat-bytes.ts";
import { ImagingError } from "../errors.ts";

// PNG chunks that carry pixels or how to show them. Text (tEXt/zTXt/iTXt), EXIF, time stamps and
// everything else ancillary may identify a patient, so they are dropped.
const PNG_KEEP = new Set(["IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "sBIT", "pHYs"]);

/** A PNG with only its image chunks, byte for byte otherwise (lossless, CRCs untouched). */
export function stripPngMetadata(png: Uint8Array): Uint8Array {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const kept: Uint8Array[] = [png.subarray(0, 8)];
  let offset = 8;
  let sawEnd = false;
  while (offset + 12 <= png.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...png.subarray(offset + 4, offset + 8));
    const end = offset + 12 + length;
    if (end > png.length)
      throw new ImagingError("CORRUPT_PIXEL_DATA", `PNG chunk ${JSON.stringify(type)} runs past the end of the file`);
    if (PNG_KEEP.has(type)) kept.push(png.subarray(offset, end));
    offset = end;
    if (type === "IEND") {
      sawEnd = true;
      break;
    }
  }
  if (!sawEnd) throw new ImagingError("CORRUPT_PIXEL_DATA", "PNG is truncated (no IEND chunk)");
  return concatBytes(kept);
}

/**
 * A JPEG without application segments other than JFIF (APP0) and Adobe (APP14, needed for its
 * colour transform) and without comments: EXIF, XMP and COM may identify a patient. Lossless:
 * the compressed scan data is copied as it is.
 */
export function stripJpegMetadata(jpeg: Uint8Array): Uint8Array {
  const kept: Uint8Array[] = [jpeg.subarray(0, 2)];
  let offset = 2;
  while (offset + 4 <= jpeg.length) {
    if (jpeg[offset] !== 0xff) throw new ImagingError("CORRUPT_PIXEL_DATA", `JPEG marker expected at byte ${offset}`);
    const marker = jpeg[offset + 1]!;
    if (marker === 0xff) {
      offset += 1; // fill byte
      continue;
    }
    const length = (jpeg[offset + 2]! << 8) | jpeg[offset + 3]!;
    const end = offset + 2 + length;
    if (length < 2 || end > jpeg.length)
      throw new ImagingError("CORRUPT_PIXEL_DATA", "JPEG segment runs past the end of the file");
    if (marker === 0xda) {
      kept.push(jpeg.subarray(offset)); // start of scan: the rest is entropy-coded data and EOI
      return concatBytes(kept);
    }
    const isDroppedApp = marker >= 0xe1 && marker <= 0xef && marker !== 0xee;
    if (!isDroppedApp && marker !== 0xfe) kept.push(jpeg.subarray(offset, end));
    offset = end;
  }
  throw new ImagingError("CORRUPT_PIXEL_DATA", "JPEG is truncated (no start of scan)");
}

import { ImagingError } from "../errors.ts";
import type { FrameGeometry } from "./decoded-frame.ts";

/**
 * Reads the image size a JPEG-family (SOF) or JPEG 2000 (SIZ) codestream declares and checks it
 * against the DICOM header before any decoder runs: a corrupt or hostile size would otherwise
 * make a codec allocate and work for seconds (decompression bombs hide here too).
 */
export function assertCodestreamMatches(
  codec: "JPEG Lossless" | "JPEG-LS" | "JPEG 2000",
  bytes: Uint8Array,
  frame: FrameGeometry,
): void {
  // Both families end with FFD9 (EOI / EOC), possibly followed by a DICOM padding byte. A
  // truncated codestream is refused here: some decoders spend seconds looking for the rest.
  let end = bytes.length;
  while (end > 2 && bytes[end - 1] === 0x00) end--;
  if (bytes[end - 2] !== 0xff || bytes[end - 1] !== 0xd9)
    throw new ImagingError("CORRUPT_PIXEL_DATA", `${codec} data is truncated (no end-of-image marker)`);
  const size = codec === "JPEG 2000" ? j2kSize(bytes) : jpegSize(bytes, codec === "JPEG-LS" ? 0xf7 : undefined);
  if (!size) throw new ImagingError("CORRUPT_PIXEL_DATA", `${codec} data has no readable frame header`);
  if (size.width !== frame.widthPx || size.height !== frame.heightPx || size.components !== 1) {
    throw new ImagingError(
      "CORRUPT_PIXEL_DATA",
      `${codec} data declares ${size.width}x${size.height} with ${size.components} component(s), but the header says ${frame.widthPx}x${frame.heightPx} greyscale`,
    );
  }
}

type Size = { width: number; height: number; components: number };

// Walks JPEG marker segments up to the frame header (SOF3 for lossless, SOF55 for JPEG-LS).
function jpegSize(b: Uint8Array, sofMarker?: number): Size | undefined {
  if (b[0] !== 0xff || b[1] !== 0xd8) return undefined;
  let offset = 2;
  while (offset + 9 < b.length) {
    if (b[offset] !== 0xff) return undefined;
    const marker = b[offset + 1]!;
    if (marker === 0xff) {
      offset++;
      continue;
    }
    const length = (b[offset + 2]! << 8) | b[offset + 3]!;
    const isSof =
      sofMarker !== undefined
        ? marker === sofMarker
        : marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isSof) {
      return {
        height: (b[offset + 5]! << 8) | b[offset + 6]!,
        width: (b[offset + 7]! << 8) | b[offset + 8]!,
        components: b[offset + 9]!,
      };
    }
    if (length < 2) return undefined;
    offset += 2 + length;
  }
  return undefined;
}

// SOC (FF4F) then SIZ (FF51): Lsiz, Rsiz, Xsiz, Ysiz, XOsiz, YOsiz, ..., Csiz.
function j2kSize(b: Uint8Array): Size | undefined {
  let start = 0;
  if (!(b[0] === 0xff && b[1] === 0x4f)) {
    const soc = b.findIndex((v, i) => v === 0xff && b[i + 1] === 0x4f && b[i + 2] === 0xff && b[i + 3] === 0x51);
    if (soc < 0) return undefined;
    start = soc;
  }
  if (b[start + 2] !== 0xff || b[start + 3] !== 0x51 || start + 42 > b.length) return undefined;
  const v = new DataView(b.buffer, b.byteOffset + start, b.length - start);
  const width = v.getUint32(8) - v.getUint32(16);
  const height = v.getUint32(12) - v.getUint32(20);
  return { width, height, components: v.getUint16(40) };
}

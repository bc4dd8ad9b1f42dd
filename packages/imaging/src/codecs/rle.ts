import { ImagingError } from "../errors.ts";
import type { FrameGeometry } from "./decoded-frame.ts";

/**
 * DICOM RLE Lossless (1.2.840.10008.1.2.5), PS3.5 Annex G: a 64-byte header with the segment
 * count and offsets, then one PackBits-coded segment per byte plane, most significant byte first.
 * Small enough to own (no maintained npm decoder exists outside whole viewer stacks); every read
 * is bounds-checked so corrupt data fails with CORRUPT_PIXEL_DATA instead of reading garbage.
 */
export function decodeRle(encoded: Uint8Array, frame: FrameGeometry): Uint8Array {
  const pixelCount = frame.widthPx * frame.heightPx;
  const bytesPerSample = frame.bitsAllocated / 8;
  if (encoded.length < 64) throw corrupt("RLE header is shorter than 64 bytes");
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  const segmentCount = view.getUint32(0, true);
  if (segmentCount !== bytesPerSample)
    throw corrupt(
      `RLE has ${segmentCount} segments, expected ${bytesPerSample} for ${frame.bitsAllocated}-bit greyscale`,
    );
  const offsets = Array.from({ length: segmentCount }, (_, i) => view.getUint32(4 + 4 * i, true));
  const out = new Uint8Array(pixelCount * bytesPerSample);
  for (let s = 0; s < segmentCount; s++) {
    const start = offsets[s]!;
    const end = s + 1 < segmentCount ? offsets[s + 1]! : encoded.length;
    if (start < 64 || end > encoded.length || end < start) throw corrupt(`RLE segment ${s + 1} has an invalid offset`);
    // Segment 0 holds the most significant bytes; little-endian output puts them at byte 1.
    const byteIndex = bytesPerSample - 1 - s;
    decodePackBits(encoded, start, end, out, byteIndex, bytesPerSample, pixelCount);
  }
  return out;
}

function decodePackBits(
  src: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  byteIndex: number,
  stride: number,
  pixelCount: number,
) {
  let p = start;
  let written = 0;
  while (written < pixelCount && p < end) {
    const header = src[p++]!;
    if (header < 128) {
      const count = header + 1;
      if (p + count > end) throw corrupt("RLE literal run overruns its segment");
      if (written + count > pixelCount) throw corrupt("RLE segment decodes to more pixels than the image has");
      for (let i = 0; i < count; i++) out[(written + i) * stride + byteIndex] = src[p + i]!;
      p += count;
      written += count;
    } else if (header > 128) {
      const count = 257 - header;
      if (p >= end) throw corrupt("RLE replicate run overruns its segment");
      if (written + count > pixelCount) throw corrupt("RLE segment decodes to more pixels than the image has");
      const value = src[p++]!;
      for (let i = 0; i < count; i++) out[(written + i) * stride + byteIndex] = value;
      written += count;
    }
    // header 128 is a no-op
  }
  if (written !== pixelCount) throw corrupt(`RLE segment decodes to ${written} of ${pixelCount} pixels`);
}

const corrupt = (message: string) => new ImagingError("CORRUPT_PIXEL_DATA", message);

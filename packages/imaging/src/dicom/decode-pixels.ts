import type { DicomDict } from "dcmjs";
import { concatBytes } from "../bytes/concat-bytes.ts";
import { decodeJpegLossless } from "../codecs/jpeg-lossless.ts";
import { samplesFromBytes, type FrameGeometry } from "../codecs/decoded-frame.ts";
import { decodeRle } from "../codecs/rle.ts";
import { decodeJpeg2000, decodeJpegLs } from "../codecs/wasm-codecs.ts";
import { ImagingError } from "../errors.ts";
import type { GreyImage } from "../grey-image.ts";
import type { DicomImageInfo } from "./image-info.ts";

/** Decodes the (single) frame of a parsed DICOM file to stored pixel values. */
export async function decodeDicomPixels(file: DicomDict, info: DicomImageInfo): Promise<GreyImage> {
  const frame: FrameGeometry = {
    widthPx: info.widthPx,
    heightPx: info.heightPx,
    bitsAllocated: info.bitsAllocated,
    isSigned: info.isSigned,
  };
  const expectedBytes = info.widthPx * info.heightPx * (info.bitsAllocated / 8);
  const chunks = pixelDataChunks(file);
  let bytes: Uint8Array;
  if (info.encoding === "NATIVE") {
    const native = concatBytes(chunks);
    if (native.length < expectedBytes) {
      throw new ImagingError(
        "MALFORMED_DICOM",
        `Pixel Data holds ${native.length} bytes; ${info.widthPx}x${info.heightPx} at ${info.bitsAllocated} bits needs ${expectedBytes}`,
      );
    }
    bytes = native.subarray(0, expectedBytes);
  } else {
    // One frame: its fragments, concatenated, are the codestream.
    const encoded = concatBytes(chunks);
    if (encoded.length === 0) throw new ImagingError("MALFORMED_DICOM", "encapsulated Pixel Data has no fragments");
    if (info.encoding === "JPEG_LOSSLESS") bytes = decodeJpegLossless(encoded, frame);
    else if (info.encoding === "JPEG_LS") bytes = await decodeJpegLs(encoded, frame);
    else if (info.encoding === "JPEG_2000") bytes = await decodeJpeg2000(encoded, frame);
    else bytes = decodeRle(encoded, frame);
    if (bytes.length < expectedBytes)
      throw new ImagingError(
        "CORRUPT_PIXEL_DATA",
        `compressed Pixel Data decodes to ${bytes.length} bytes; the header needs ${expectedBytes}`,
      );
    bytes = bytes.subarray(0, expectedBytes);
  }
  const samples = samplesFromBytes(bytes, frame);
  maskToBitsStored(samples, info.bitsStored, info.isSigned, info.bitsAllocated);
  return {
    widthPx: info.widthPx,
    heightPx: info.heightPx,
    samples,
    bitsStored: info.bitsStored,
    isSigned: info.isSigned,
  };
}

function pixelDataChunks(file: DicomDict): Uint8Array[] {
  const values = file.dict["7FE00010"]?.Value ?? [];
  return values.filter((v): v is ArrayBuffer => v instanceof ArrayBuffer).map((v) => new Uint8Array(v));
}

// Bits above Bits Stored may hold overlays or garbage: clear them (sign-extend signed data).
function maskToBitsStored(
  samples: Uint8Array | Uint16Array | Int16Array,
  bitsStored: number,
  isSigned: boolean,
  bitsAllocated: number,
) {
  if (bitsStored >= bitsAllocated) return;
  const mask = (1 << bitsStored) - 1;
  if (!isSigned) {
    for (let i = 0; i < samples.length; i++) samples[i] = samples[i]! & mask;
    return;
  }
  const shift = 32 - bitsStored;
  for (let i = 0; i < samples.length; i++) samples[i] = ((samples[i]! & mask) << shift) >> shift;
}

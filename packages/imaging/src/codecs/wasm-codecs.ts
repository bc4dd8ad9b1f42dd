import charlsFactory, { type CharlsModule } from "@cornerstonejs/codec-charls/decodewasmjs";
import openJpegFactory, { type OpenJpegModule } from "@cornerstonejs/codec-openjpeg/decodewasmjs";
import { describeThrown, ImagingError } from "../errors.ts";
import { assertCodestreamMatches } from "./codestream-header.ts";
import type { FrameGeometry } from "./decoded-frame.ts";
import { checkDimensions } from "./jpeg-lossless.ts";

// The WebAssembly modules load once per process, on first use. Their console output is dropped.
const quiet = { print: () => {}, printErr: () => {} };
let charls: Promise<CharlsModule> | undefined;
let openJpeg: Promise<OpenJpegModule> | undefined;

/** Loads the WebAssembly codecs now (decoding loads them on first use anyway). */
export async function loadWasmCodecs(): Promise<void> {
  await Promise.all([(charls ??= charlsFactory(quiet)), (openJpeg ??= openJpegFactory(quiet))]);
}

/** JPEG-LS lossless (.80) and near-lossless (.81), with CharLS compiled to WebAssembly. */
export async function decodeJpegLs(encoded: Uint8Array, frame: FrameGeometry): Promise<Uint8Array> {
  assertCodestreamMatches("JPEG-LS", encoded, frame);
  const module = await (charls ??= charlsFactory(quiet));
  const decoder = new module.JpegLSDecoder();
  try {
    decoder.getEncodedBuffer(encoded.length).set(encoded);
    decoder.decode();
    const info = decoder.getFrameInfo();
    checkDimensions("JPEG-LS", info.width, info.height, info.componentCount, frame);
    return new Uint8Array(decoder.getDecodedBuffer());
  } catch (error) {
    if (error instanceof ImagingError) throw error;
    throw new ImagingError("CORRUPT_PIXEL_DATA", `JPEG-LS data could not be decoded: ${describeWasmError(error)}`, {
      cause: error,
    });
  } finally {
    decoder.delete();
  }
}

/**
 * JPEG 2000 (.90 lossless, .91), with OpenJPEG compiled to WebAssembly. DICOM says the fragments
 * hold a bare codestream, but some writers put a whole JP2 file there: its codestream box is used.
 */
export async function decodeJpeg2000(encoded: Uint8Array, frame: FrameGeometry): Promise<Uint8Array> {
  const codestream = jp2Codestream(encoded);
  assertCodestreamMatches("JPEG 2000", codestream, frame);
  const module = await (openJpeg ??= openJpegFactory(quiet));
  const decoder = new module.J2KDecoder();
  try {
    decoder.getEncodedBuffer(codestream.length).set(codestream);
    decoder.decode();
    const info = decoder.getFrameInfo();
    checkDimensions("JPEG 2000", info.width, info.height, info.componentCount, frame);
    return new Uint8Array(decoder.getDecodedBuffer());
  } catch (error) {
    if (error instanceof ImagingError) throw error;
    throw new ImagingError("CORRUPT_PIXEL_DATA", `JPEG 2000 data could not be decoded: ${describeWasmError(error)}`, {
      cause: error,
    });
  } finally {
    decoder.delete();
  }
}

const JP2_SIGNATURE = [0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20, 0x0d, 0x0a, 0x87, 0x0a];

/** The contiguous codestream ('jp2c' box) of a JP2 file; a bare codestream is returned as it is. */
export function jp2Codestream(bytes: Uint8Array): Uint8Array {
  if (!JP2_SIGNATURE.every((b, i) => bytes[i] === b)) return bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset + 8 <= bytes.length) {
    let length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    let headerLength = 8;
    if (length === 1) {
      if (offset + 16 > bytes.length) break;
      length = Number(view.getBigUint64(offset + 8));
      headerLength = 16;
    } else if (length === 0) {
      length = bytes.length - offset; // the box runs to the end of the file
    }
    if (length < headerLength || offset + length > bytes.length) break;
    if (type === "jp2c") return bytes.subarray(offset + headerLength, offset + length);
    offset += length;
  }
  throw new ImagingError("CORRUPT_PIXEL_DATA", "JP2 file has no contiguous codestream box (jp2c)");
}

// Emscripten throws numbers (pointers) or strings on failure; say something useful either way.
function describeWasmError(error: unknown): string {
  return typeof error === "number" ? `codec error ${error}` : describeThrown(error);
}

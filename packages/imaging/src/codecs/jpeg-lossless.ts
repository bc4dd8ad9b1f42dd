import { Decoder } from "jpeg-lossless-decoder-js";
import { describeThrown, ImagingError } from "../errors.ts";
import { assertCodestreamMatches } from "./codestream-header.ts";
import type { FrameGeometry } from "./decoded-frame.ts";

/** JPEG Lossless, process 14 (.57 any predictor, .70 first-order prediction), with jpeg-lossless-decoder-js. */
export function decodeJpegLossless(encoded: Uint8Array, frame: FrameGeometry): Uint8Array {
  assertCodestreamMatches("JPEG Lossless", encoded, frame);
  const decoder = new Decoder();
  let samples: Uint8Array | Uint16Array;
  try {
    const copy = encoded.slice(); // the decoder wants its own ArrayBuffer
    samples = decoder.decode(copy.buffer, 0, copy.byteLength, frame.bitsAllocated / 8);
  } catch (error) {
    throw new ImagingError("CORRUPT_PIXEL_DATA", `JPEG Lossless data could not be decoded: ${describeThrown(error)}`, {
      cause: error,
    });
  }
  checkDimensions("JPEG Lossless", decoder.xDim, decoder.yDim, decoder.numComp, frame);
  return new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength);
}

export function checkDimensions(
  codec: string,
  width: number,
  height: number,
  components: number,
  frame: FrameGeometry,
) {
  if (width !== frame.widthPx || height !== frame.heightPx || components !== 1) {
    throw new ImagingError(
      "CORRUPT_PIXEL_DATA",
      `${codec} data is ${width}x${height} with ${components} component(s), but the header says ${frame.widthPx}x${frame.heightPx} greyscale`,
    );
  }
}

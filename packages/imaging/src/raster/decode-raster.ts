import sharp, { type Metadata } from "sharp";
import { describeThrown, ImagingError } from "../errors.ts";
import type { GreyImage } from "../grey-image.ts";
import type { ImagingLimits } from "../limits.ts";

/**
 * Decodes a PNG (8- or 16-bit) or JPEG to greyscale stored values with sharp (libvips). Colour
 * files are converted to grey; the pixel count is checked from the header before decoding.
 */
export async function decodeRaster(
  bytes: Uint8Array,
  format: "PNG" | "JPEG",
  limits: ImagingLimits,
): Promise<GreyImage> {
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    throw new ImagingError("CORRUPT_PIXEL_DATA", `${format} header could not be read: ${describeThrown(error)}`, {
      cause: error,
    });
  }
  const { width, height } = metadata;
  if (!width || !height) throw new ImagingError("CORRUPT_PIXEL_DATA", `${format} has no image size`);
  if (width * height > limits.maxPixels) {
    throw new ImagingError(
      "TOO_MANY_PIXELS",
      `image is ${width}x${height} = ${width * height} pixels; the limit is ${limits.maxPixels}`,
    );
  }
  const is16 = metadata.depth === "ushort";
  try {
    const pipeline = sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: "error" });
    const { data, info } = await (
      is16 ? pipeline.toColourspace("grey16").raw({ depth: "ushort" }) : pipeline.greyscale().raw()
    )
      .extractChannel(0)
      .toBuffer({ resolveWithObject: true });
    const copy = new Uint8Array(data); // own, aligned buffer
    const samples = is16
      ? new Uint16Array(copy.buffer, 0, info.width * info.height)
      : copy.subarray(0, info.width * info.height);
    return { widthPx: info.width, heightPx: info.height, samples, bitsStored: is16 ? 16 : 8, isSigned: false };
  } catch (error) {
    throw new ImagingError("CORRUPT_PIXEL_DATA", `${format} pixels could not be decoded: ${describeThrown(error)}`, {
      cause: error,
    });
  }
}

import sharp, { type Metadata } from "sharp";
import { invalidArgument } from "../errors/ml-core-error.ts";

/**
 * A greyscale image, row-major, origin top-left. `maxValue` is the value of white: by default 255
 * for Uint8Array, 65535 for Uint16Array (pass 4095 for 12-bit data stored in 16 bits), 1 for
 * Float32Array.
 */
export type GreyImage = {
  width: number;
  height: number;
  data: Uint8Array | Uint16Array | Float32Array;
  maxValue?: number;
};

export function whiteLevel(image: GreyImage): number {
  if (image.maxValue !== undefined) return image.maxValue;
  if (image.data instanceof Uint8Array) return 255;
  if (image.data instanceof Uint16Array) return 65535;
  return 1;
}

export function assertGreyImage(image: GreyImage, field = "image"): void {
  const { width, height, data } = image;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw invalidArgument(field, `width and height must be positive integers, got ${width}x${height}`);
  }
  if (data.length !== width * height) {
    throw invalidArgument(
      field,
      `has ${data.length} pixels but ${width}x${height} needs ${width * height} (one channel)`,
    );
  }
  if (!(whiteLevel(image) > 0)) throw invalidArgument(field, `maxValue must be positive, got ${image.maxValue}`);
}

/** Decodes PNG, JPEG or TIFF bytes to one grey channel, keeping 16-bit depth where the file has it. */
export async function decodeGreyImage(bytes: Uint8Array): Promise<GreyImage> {
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes).metadata();
  } catch (error) {
    throw invalidArgument("image", `cannot be decoded (${(error as Error).message})`);
  }
  const is16Bit = metadata.depth === "ushort";
  // greyscale() on a grey image would drop 16-bit data to 8 bits: use it only for colour images.
  const isColour = (metadata.channels ?? 1) >= 3;
  const base = isColour ? sharp(bytes).greyscale() : sharp(bytes);
  const pipeline = base.extractChannel(0).toColourspace(is16Bit ? "grey16" : "b-w");
  const { data, info } = await pipeline.raw(is16Bit ? { depth: "ushort" } : {}).toBuffer({ resolveWithObject: true });
  const pixels = is16Bit
    ? new Uint16Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength))
    : new Uint8Array(data);
  return { width: info.width, height: info.height, data: pixels };
}

/** Encodes an 8- or 16-bit grey image as PNG (16-bit PNG for Uint16Array data). */
export async function encodeGreyPng(image: GreyImage): Promise<Buffer> {
  assertGreyImage(image);
  if (image.data instanceof Float32Array) throw invalidArgument("image", "encode 8- or 16-bit data, not floats");
  const raw = { width: image.width, height: image.height, channels: 1 as const };
  const input = sharp(image.data, { raw });
  return input
    .toColourspace(image.data instanceof Uint16Array ? "grey16" : "b-w")
    .png({ compressionLevel: 9 })
    .toBuffer();
}

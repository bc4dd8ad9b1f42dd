import { decodeDicomPixels } from "../dicom/decode-pixels.ts";
import { readImageInfo } from "../dicom/image-info.ts";
import { readDicomFile } from "../dicom/read-dicom.ts";
import { detectFormat } from "../format/detect-format.ts";
import type { GreyImage } from "../grey-image.ts";
import { DEFAULT_IMAGING_LIMITS, type ImagingLimits } from "../limits.ts";
import { decodeRaster } from "../raster/decode-raster.ts";
import {
  displayTransformOf,
  plainDisplayTransform,
  renderDisplay8,
  type DisplayTransform,
} from "./display-transform.ts";

/** Stored pixels of any supported file, with the display transform its header asks for. */
export async function decodeForDisplay(
  bytes: Uint8Array,
  limits: ImagingLimits = DEFAULT_IMAGING_LIMITS,
): Promise<{ image: GreyImage; transform: DisplayTransform }> {
  const format = detectFormat(bytes);
  if (format === "DICOM") {
    const file = readDicomFile(bytes);
    const info = readImageInfo(file, limits);
    return { image: await decodeDicomPixels(file, info), transform: displayTransformOf(info) };
  }
  const image = await decodeRaster(bytes, format, limits);
  return { image, transform: plainDisplayTransform(image.bitsStored) };
}

/** The file as 8-bit display grey levels (window applied). `pixels.length === widthPx * heightPx`. */
export async function renderDisplayPixels(
  bytes: Uint8Array,
  limits?: ImagingLimits,
): Promise<{ widthPx: number; heightPx: number; pixels: Uint8Array }> {
  const { image, transform } = await decodeForDisplay(bytes, limits);
  return { widthPx: image.widthPx, heightPx: image.heightPx, pixels: renderDisplay8(image, transform) };
}

import sharp from "sharp";
import { assertHeatmap, type Heatmap, resizeHeatmap } from "./heatmap.ts";
import { readHeatmapPng } from "./heatmap-png-read.ts";

/** Heatmaps are stored as 8-bit grey PNGs of this fixed size, whatever the image's size: a few kB each. */
export const HEATMAP_PNG_SIZE = 256;

/** 0..1 map -> 8-bit greyscale PNG, size x size (stretched; decode with the image's size to undo). */
export async function encodeHeatmapPng(map: Heatmap, size = HEATMAP_PNG_SIZE): Promise<Buffer> {
  assertHeatmap(map);
  const fixed = resizeHeatmap(map, size, size);
  const bytes = Uint8Array.from(fixed.data, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
  return sharp(bytes, { raw: { width: size, height: size, channels: 1 } })
    .toColourspace("b-w")
    .png({ compressionLevel: 9 })
    .toBuffer();
}

/** PNG -> 0..1 map, at the PNG's size or resized to `size` (e.g. the source image's). */
export async function decodeHeatmapPng(png: Uint8Array, size?: { width: number; height: number }): Promise<Heatmap> {
  const map = await readHeatmapPng(png);
  return size ? resizeHeatmap(map, size.width, size.height) : map;
}

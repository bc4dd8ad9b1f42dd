import sharp from "sharp";

/**
 * A stored heatmap PNG (8-bit grey, see heatmap-png.ts) as values 0..1 at its stored size.
 * TensorFlow-free (entry `@mammo/ml-core/heatmap-png`): the API reads heatmaps with it.
 */
export async function readHeatmapPng(png: Uint8Array): Promise<{ width: number; height: number; data: Float32Array }> {
  const { data, info } = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: Float32Array.from(data, (v) => v / 255) };
}

import * as tf from "@tensorflow/tfjs";
import { type Placement } from "../data/preprocess.ts";
import { invalidArgument } from "../errors/ml-core-error.ts";

/** A saliency map over an image: row-major, origin top-left, values 0..1. */
export type Heatmap = { width: number; height: number; data: Float32Array };

export function assertHeatmap(map: Heatmap, field = "heatmap"): void {
  if (
    !Number.isInteger(map.width) ||
    !Number.isInteger(map.height) ||
    map.width < 1 ||
    map.height < 1 ||
    map.data.length !== map.width * map.height
  ) {
    throw invalidArgument(
      field,
      `must have width x height values, got ${map.data.length} for ${map.width}x${map.height}`,
    );
  }
}

/** Bilinear resize (pixel centres aligned). */
export function resizeHeatmap(map: Heatmap, width: number, height: number): Heatmap {
  assertHeatmap(map);
  if (map.width === width && map.height === height) return { width, height, data: Float32Array.from(map.data) };
  const data = tf.tidy(
    () =>
      tf.image
        .resizeBilinear(tf.tensor3d(map.data, [map.height, map.width, 1]), [height, width], false, true)
        .dataSync() as Float32Array,
  );
  return { width, height, data: Float32Array.from(data) };
}

/** A map over the model's input square back onto the source image: drops the padding, undoes the resize. */
export function heatmapToSourceImage(modelMap: Heatmap, placement: Placement): Heatmap {
  assertHeatmap(modelMap);
  const { offsetX, offsetY, contentWidth, contentHeight } = placement;
  const content = new Float32Array(contentWidth * contentHeight);
  for (let y = 0; y < contentHeight; y++) {
    const row = (y + offsetY) * modelMap.width + offsetX;
    content.set(modelMap.data.subarray(row, row + contentWidth), y * contentWidth);
  }
  return resizeHeatmap(
    { width: contentWidth, height: contentHeight, data: content },
    placement.sourceWidth,
    placement.sourceHeight,
  );
}

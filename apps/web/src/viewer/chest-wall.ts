import type { PyramidLevel } from "./pyramid.ts";

/**
 * Which edge of the image the chest wall is on: the breast touches the chest-wall edge along
 * most of its height and tapers towards the nipple, so the edge column band with more tissue
 * (values further from the background) wins. Works on the coarsest pyramid level.
 * @param isInverted bright = low values (MONOCHROME1): tissue is then the low side.
 */
export function chestWallSide(level: PyramidLevel, isInverted: boolean): "left" | "right" {
  const { widthPx: w, heightPx: h, samples } = level;
  const band = Math.max(1, Math.floor(w / 10));
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < samples.length; i++) {
    const v = samples[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const background = isInverted ? max : min;
  let left = 0;
  let right = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < band; x++) {
      left += Math.abs(samples[y * w + x]! - background);
      right += Math.abs(samples[y * w + (w - 1 - x)]! - background);
    }
  }
  return right > left ? "right" : "left";
}

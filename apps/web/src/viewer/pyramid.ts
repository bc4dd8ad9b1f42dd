import { buildPyramid as buildLevels, type FullDepthImage, type PyramidLevel } from "@mammo/wire-formats";

export type { PyramidLevel };

/**
 * The image's levels from the resolution it was fetched at (its `level`, 0 = full) down to about
 * `minSidePx` (see @mammo/wire-formats' pyramid for what a level is).
 */
export function buildPyramid(
  image: Pick<FullDepthImage, "widthPx" | "heightPx" | "samples"> & { level?: number },
  minSidePx = 512,
): PyramidLevel[] {
  const { widthPx, heightPx, samples } = image;
  return buildLevels({ level: image.level ?? 0, widthPx, heightPx, samples }, minSidePx);
}

/**
 * The coarsest level that still has at least one sample per device pixel at `scale` (device px
 * per full-resolution image px); the finest one held when none is fine enough.
 */
export function levelForScale(levels: PyramidLevel[], scale: number): PyramidLevel {
  let chosen = levels[0]!;
  for (const level of levels) if (2 ** level.level <= 1 / scale) chosen = level;
  return chosen;
}

/** The level number levelForScale would want if every level were held (0 = full resolution). */
export function wantedLevel(scale: number, maxLevel: number): number {
  if (!(scale > 0)) return 0;
  return Math.max(0, Math.min(maxLevel, Math.floor(Math.log2(1 / scale))));
}

/**
 * The level to fetch first for an image fitted into a viewport (device px): the coarsest one with
 * at least one sample per device pixel when fitted, so the first picture is sharp and small.
 */
export function screenLevelFor(
  image: { widthPx: number; heightPx: number },
  viewportDevicePx: { widthPx: number; heightPx: number },
  maxLevel: number,
): number {
  const fit = Math.min(viewportDevicePx.widthPx / image.widthPx, viewportDevicePx.heightPx / image.heightPx);
  return wantedLevel(fit, maxLevel);
}

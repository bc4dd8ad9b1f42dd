import type { FullDepthImage } from "@mammo/wire-formats";

/** One resolution of an image: level k holds ceil(size / 2^k) samples per side. */
export type PyramidLevel = { level: number; widthPx: number; heightPx: number; samples: Uint16Array | Int16Array };

/**
 * Halves the image by 2x2 means until its longer side is at most `minSidePx`, so a fitted 13 Mpx
 * mammogram is drawn from a level near screen size (no aliasing, a fraction of the samples).
 * Means keep the full bit depth (same sample type as the source).
 */
export function buildPyramid(
  image: Pick<FullDepthImage, "widthPx" | "heightPx" | "samples">,
  minSidePx = 512,
): PyramidLevel[] {
  const levels: PyramidLevel[] = [
    { level: 0, widthPx: image.widthPx, heightPx: image.heightPx, samples: image.samples },
  ];
  for (;;) {
    const prev = levels[levels.length - 1]!;
    if (Math.max(prev.widthPx, prev.heightPx) <= minSidePx) break;
    levels.push(halve(prev));
  }
  return levels;
}

function halve(src: PyramidLevel): PyramidLevel {
  const w = Math.ceil(src.widthPx / 2);
  const h = Math.ceil(src.heightPx / 2);
  const out = src.samples instanceof Int16Array ? new Int16Array(w * h) : new Uint16Array(w * h);
  const s = src.samples;
  const sw = src.widthPx;
  const sh = src.heightPx;
  for (let y = 0; y < h; y++) {
    const y0 = 2 * y;
    const y1 = Math.min(y0 + 1, sh - 1);
    for (let x = 0; x < w; x++) {
      const x0 = 2 * x;
      const x1 = Math.min(x0 + 1, sw - 1);
      out[y * w + x] = Math.round((s[y0 * sw + x0]! + s[y0 * sw + x1]! + s[y1 * sw + x0]! + s[y1 * sw + x1]!) / 4);
    }
  }
  return { level: src.level + 1, widthPx: w, heightPx: h, samples: out };
}

/** The coarsest level that still has at least one sample per device pixel at `scale` (device px per image px). */
export function levelForScale(levels: PyramidLevel[], scale: number): PyramidLevel {
  let chosen = levels[0]!;
  for (const level of levels) if (2 ** level.level <= 1 / scale) chosen = level;
  return chosen;
}

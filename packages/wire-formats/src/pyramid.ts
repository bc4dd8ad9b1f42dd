/**
 * Resolution levels of an image, shared by the API (which serves a level) and the viewer (which
 * builds the coarser ones itself): level k holds ceil(size / 2^k) samples per side, each the
 * rounded mean of the 2x2 block of level k-1 below it (edge samples repeat at odd sizes). Means
 * keep the full bit depth and the sample type, so window/level is exact at every level.
 */
export type PyramidLevel = { level: number; widthPx: number; heightPx: number; samples: Uint16Array | Int16Array };

/** The highest level served: a 4096-px side is 64 px there. */
export const MAX_LEVEL = 6;

/** Samples per side of level `level` of an image whose full size is `fullPx`. */
export const levelSidePx = (fullPx: number, level: number) => Math.ceil(fullPx / 2 ** level);

/** The next level: 2x2 means. */
export function halveLevel(src: PyramidLevel): PyramidLevel {
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

/** Level `level` of the image, from the given (finer or equal) level. */
export function levelOf(from: PyramidLevel, level: number): PyramidLevel {
  let current = from;
  while (current.level < level) current = halveLevel(current);
  return current;
}

/**
 * The given level and every coarser one until the longer side is at most `minSidePx`, so a
 * fitted 13 Mpx mammogram is drawn from a level near screen size (no aliasing, a fraction of the
 * samples).
 */
export function buildPyramid(finest: PyramidLevel, minSidePx = 512): PyramidLevel[] {
  const levels = [finest];
  for (;;) {
    const prev = levels[levels.length - 1]!;
    if (Math.max(prev.widthPx, prev.heightPx) <= minSidePx) break;
    levels.push(halveLevel(prev));
  }
  return levels;
}

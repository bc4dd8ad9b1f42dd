import { levelForScale, type PyramidLevel } from "./pyramid.ts";
import type { Affine } from "./view-transform.ts";
import type { WindowLut } from "./window-lut.ts";

/** Opaque RGBA grey of each 8-bit level, as one little-endian uint32 (ImageData byte order). */
const GREY_RGBA = new Uint32Array(256).map((_, g) => (0xff000000 | (g << 16) | (g << 8) | g) >>> 0);
const BLACK = 0xff000000 >>> 0;

/**
 * Draws the windowed image into an RGBA buffer of the canvas (device pixels), nearest sample
 * of the pyramid level matching the zoom: the cost is one table lookup per *screen* pixel,
 * whatever the image's size or bit depth, so window/level drags stay cheap at 3328x4096x16.
 * @param affine viewport CSS px per image px (see view-transform.ts); multiplied by `dpr` here.
 * @param out canvas pixels, length = canvasWidth * canvasHeight.
 */
export function renderGrey(
  levels: PyramidLevel[],
  lut: WindowLut,
  affine: Affine,
  dpr: number,
  canvasWidth: number,
  canvasHeight: number,
  out: Uint32Array,
): void {
  const level = levelForScale(levels, affine.scale * dpr);
  const k = 2 ** level.level;
  const lw = level.widthPx;
  const lh = level.heightPx;
  const samples = level.samples;
  const table = lut.table;
  const offset = lut.offset;
  const tableMax = table.length - 1;
  const columns = new Int32Array(canvasWidth);
  for (let x = 0; x < canvasWidth; x++) {
    const ix = ((x + 0.5) / dpr - affine.translateX) / affine.scaleX;
    const lx = Math.floor(ix / k);
    columns[x] = ix >= 0 && lx < lw ? lx : -1;
  }
  for (let y = 0; y < canvasHeight; y++) {
    const iy = ((y + 0.5) / dpr - affine.translateY) / affine.scale;
    const ly = Math.floor(iy / k);
    const rowOut = y * canvasWidth;
    if (iy < 0 || ly >= lh) {
      out.fill(BLACK, rowOut, rowOut + canvasWidth);
      continue;
    }
    const rowIn = ly * lw;
    for (let x = 0; x < canvasWidth; x++) {
      const lx = columns[x]!;
      if (lx < 0) {
        out[rowOut + x] = BLACK;
        continue;
      }
      let t = samples[rowIn + lx]! - offset;
      if (t < 0) t = 0;
      else if (t > tableMax) t = tableMax;
      out[rowOut + x] = GREY_RGBA[table[t]!]!;
    }
  }
}

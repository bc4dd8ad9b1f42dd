import { type SeededRng } from "../random/seeded-rng.ts";

/** Float images used while drawing phantoms: row-major, width x height. */
export type Field = { width: number; height: number; data: Float32Array };

export const newField = (width: number, height: number): Field => ({
  width,
  height,
  data: new Float32Array(width * height),
});

const smooth = (t: number) => t * t * (3 - 2 * t);

/** Value noise in 0..1 with features about `cellPx` wide (random lattice, smoothstep interpolation). */
export function valueNoise(width: number, height: number, cellPx: number, rng: SeededRng): Field {
  const gw = Math.ceil(width / cellPx) + 2;
  const gh = Math.ceil(height / cellPx) + 2;
  const grid = Float32Array.from({ length: gw * gh }, () => rng.next());
  const field = newField(width, height);
  for (let y = 0; y < height; y++) {
    const gy = y / cellPx;
    const y0 = Math.floor(gy);
    const ty = smooth(gy - y0);
    for (let x = 0; x < width; x++) {
      const gx = x / cellPx;
      const x0 = Math.floor(gx);
      const tx = smooth(gx - x0);
      const a = grid[y0 * gw + x0]!;
      const b = grid[y0 * gw + x0 + 1]!;
      const c = grid[(y0 + 1) * gw + x0]!;
      const d = grid[(y0 + 1) * gw + x0 + 1]!;
      field.data[y * width + x] = (a + (b - a) * tx) * (1 - ty) + (c + (d - c) * tx) * ty;
    }
  }
  return field;
}

/** Fractal noise: octaves of value noise, halving the cell and the weight each time; 0..1. */
export function fractalNoise(width: number, height: number, cellPx: number, octaves: number, rng: SeededRng): Field {
  const out = newField(width, height);
  let weight = 1;
  let total = 0;
  for (let o = 0; o < octaves; o++) {
    const layer = valueNoise(width, height, Math.max(1, cellPx / 2 ** o), rng);
    layer.data.forEach((v, i) => (out.data[i]! += v * weight));
    total += weight;
    weight /= 2;
  }
  out.data.forEach((v, i) => (out.data[i] = v / total));
  return out;
}

/** Distance (px) from each inside pixel to the nearest outside pixel; 0 outside. Two-pass chamfer (1, sqrt 2). */
export function distanceInside(mask: Uint8Array, width: number, height: number): Field {
  const big = width + height;
  const d = newField(width, height);
  d.data.forEach((_, i) => (d.data[i] = mask[i] ? big : 0));
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= width || y >= height ? 0 : d.data[y * width + x]!);
  const r2 = Math.SQRT2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      if (!mask[i]) continue;
      d.data[i] = Math.min(
        d.data[i]!,
        at(x - 1, y) + 1,
        at(x, y - 1) + 1,
        at(x - 1, y - 1) + r2,
        at(x + 1, y - 1) + r2,
      );
    }
  }
  for (let y = height - 1; y >= 0; y--) {
    for (let x = width - 1; x >= 0; x--) {
      const i = y * width + x;
      if (!mask[i]) continue;
      d.data[i] = Math.min(
        d.data[i]!,
        at(x + 1, y) + 1,
        at(x, y + 1) + 1,
        at(x + 1, y + 1) + r2,
        at(x - 1, y + 1) + r2,
      );
    }
  }
  return d;
}

/** Bilinear sample with clamped edges. */
export function sample(field: Field, x: number, y: number): number {
  const cx = Math.min(field.width - 1, Math.max(0, x));
  const cy = Math.min(field.height - 1, Math.max(0, y));
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(field.width - 1, x0 + 1);
  const y1 = Math.min(field.height - 1, y0 + 1);
  const tx = cx - x0;
  const ty = cy - y0;
  const row0 = field.data[y0 * field.width + x0]! * (1 - tx) + field.data[y0 * field.width + x1]! * tx;
  const row1 = field.data[y1 * field.width + x0]! * (1 - tx) + field.data[y1 * field.width + x1]! * tx;
  return row0 * (1 - ty) + row1 * ty;
}

/** Adds a line segment with a Gaussian cross-section (sigmaPx) and linearly varying strength. */
export function addLine(
  field: Field,
  from: [number, number],
  to: [number, number],
  sigmaPx: number,
  strengthFrom: number,
  strengthTo: number,
): void {
  const [x0, y0] = from;
  const [x1, y1] = to;
  const reach = 3 * sigmaPx;
  const minX = Math.max(0, Math.floor(Math.min(x0, x1) - reach));
  const maxX = Math.min(field.width - 1, Math.ceil(Math.max(x0, x1) + reach));
  const minY = Math.max(0, Math.floor(Math.min(y0, y1) - reach));
  const maxY = Math.min(field.height - 1, Math.ceil(Math.max(y0, y1) + reach));
  const [dx, dy] = [x1 - x0, y1 - y0];
  const length2 = dx * dx + dy * dy || 1;
  for (let y = minY; y <= maxY; y++) {
    for (let x = minX; x <= maxX; x++) {
      const t = Math.min(1, Math.max(0, ((x - x0) * dx + (y - y0) * dy) / length2));
      const distance2 = (x - (x0 + t * dx)) ** 2 + (y - (y0 + t * dy)) ** 2;
      if (distance2 > reach * reach) continue;
      field.data[y * field.width + x]! +=
        (strengthFrom + (strengthTo - strengthFrom) * t) * Math.exp(-distance2 / (2 * sigmaPx * sigmaPx));
    }
  }
}

/** Adds a round blob with a Gaussian profile. */
export function addBlob(field: Field, cx: number, cy: number, sigmaPx: number, strength: number): void {
  const reach = Math.ceil(3 * sigmaPx);
  for (let y = Math.max(0, Math.floor(cy) - reach); y <= Math.min(field.height - 1, Math.ceil(cy) + reach); y++) {
    for (let x = Math.max(0, Math.floor(cx) - reach); x <= Math.min(field.width - 1, Math.ceil(cx) + reach); x++) {
      field.data[y * field.width + x]! +=
        strength * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * sigmaPx * sigmaPx));
    }
  }
}

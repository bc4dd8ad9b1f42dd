import { type PreparedImage } from "../data/preprocess.ts";
import { SeededRng } from "../random/seeded-rng.ts";
import { type LabelledImage } from "../train/evaluate.ts";

/** A prepared image of `size` px: faint noise plus a bright square on the left (label 0) or right (label 1). */
export function leftRightExample(label: number, size: number, rng: SeededRng): LabelledImage {
  const pixels = new Float32Array(size * size);
  for (let i = 0; i < pixels.length; i++) pixels[i] = 0.2 + 0.1 * rng.next();
  const cx = Math.round(label === 0 ? size * 0.3 : size * 0.7);
  const cy = Math.round(size / 2);
  const r = Math.max(2, Math.round(size / 8));
  for (let y = cy - r; y < cy + r; y++) for (let x = cx - r; x < cx + r; x++) pixels[y * size + x] = 0.9;
  const image: PreparedImage = {
    size,
    pixels,
    placement: {
      sourceWidth: size,
      sourceHeight: size,
      offsetX: 0,
      offsetY: 0,
      contentWidth: size,
      contentHeight: size,
    },
  };
  return { image, label };
}

export function leftRightExamples(count: number, size: number, seed: number): LabelledImage[] {
  const rng = SeededRng.fromSeed(seed);
  return Array.from({ length: count }, (_, i) => leftRightExample(i % 2, size, rng));
}

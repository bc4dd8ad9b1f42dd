import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { setupBackend } from "../backends/setup-backend.ts";
import { SeededRng } from "../random/seeded-rng.ts";
import { type AugmentationDraw, applyAugmentation, drawAugmentation, IDENTITY_DRAW } from "./augment.ts";
import { STUDY_AUGMENTATION } from "./augment-settings.ts";

beforeAll(async () => {
  await setupBackend("cpu", () => {});
});

const W = 40;
const H = 30;

/** [1, H, W, 1] with `fill` everywhere and 1.0 in a 3x3 block centred at (x, y). */
function blobImage(x: number, y: number, fill = 0): tf.Tensor4D {
  const data = new Float32Array(W * H).fill(fill);
  for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) data[(y + dy) * W + x + dx] = 1;
  return tf.tensor4d(data, [1, H, W, 1]);
}

function centroid(image: tf.Tensor4D): { x: number; y: number } {
  const data = image.dataSync();
  let sum = 0,
    sx = 0,
    sy = 0;
  data.forEach((v, i) => {
    sum += v;
    sx += v * (i % W);
    sy += v * Math.floor(i / W);
  });
  return { x: sx / sum, y: sy / sum };
}

const augmentOne = (image: tf.Tensor4D, draw: Partial<AugmentationDraw>) =>
  applyAugmentation(image, [{ ...IDENTITY_DRAW, ...draw }]);

describe("drawAugmentation", () => {
  const draws = (() => {
    const rng = SeededRng.fromSeed(11);
    return Array.from({ length: 4000 }, () => drawAugmentation(rng, STUDY_AUGMENTATION, W, H));
  })();
  const range = (values: number[]) => [Math.min(...values), Math.max(...values)];

  it("draws every parameter uniformly over the study's ranges", () => {
    const [rMin, rMax] = range(draws.map((d) => d.rotationRad));
    expect(rMin).toBeGreaterThanOrEqual(-0.1);
    expect(rMax).toBeLessThanOrEqual(0.1);
    expect(rMin).toBeLessThan(-0.099);
    expect(rMax).toBeGreaterThan(0.099);
    const [xMin, xMax] = range(draws.map((d) => d.shiftXPx));
    expect([xMin >= -4, xMax <= 4, xMin < -3.95, xMax > 3.95]).toEqual([true, true, true, true]); // 10% of 40 px
    const [yMin, yMax] = range(draws.map((d) => d.shiftYPx));
    expect([yMin >= -3, yMax <= 3, yMin < -2.95, yMax > 2.95]).toEqual([true, true, true, true]); // 10% of 30 px
    const [bMin, bMax] = range(draws.map((d) => d.brightness));
    expect([bMin >= 0.9, bMax <= 1.1, bMin < 0.905, bMax > 1.095]).toEqual([true, true, true, true]);
    // Uniform, not clustered: about a quarter of the rotations in each quarter of the range.
    const lowQuarter = draws.filter((d) => d.rotationRad < -0.05).length / draws.length;
    expect(lowQuarter).toBeGreaterThan(0.22);
    expect(lowQuarter).toBeLessThan(0.28);
    const flipsH = draws.filter((d) => d.flipHorizontal).length / draws.length;
    const flipsV = draws.filter((d) => d.flipVertical).length / draws.length;
    expect(flipsH).toBeGreaterThan(0.45);
    expect(flipsH).toBeLessThan(0.55);
    expect(flipsV).toBeGreaterThan(0.45);
    expect(flipsV).toBeLessThan(0.55);
  });

  it("repeats for the same seed and never flips when flips are off", () => {
    const again = SeededRng.fromSeed(11);
    expect(drawAugmentation(again, STUDY_AUGMENTATION, W, H)).toEqual(draws[0]);
    const rng = SeededRng.fromSeed(3);
    const noFlips = Array.from({ length: 200 }, () =>
      drawAugmentation(rng, { ...STUDY_AUGMENTATION, horizontalFlip: false, verticalFlip: false }, W, H),
    );
    expect(noFlips.some((d) => d.flipHorizontal || d.flipVertical)).toBe(false);
  });
});

describe("applyAugmentation", () => {
  it("leaves the image unchanged for the identity draw", () => {
    const image = blobImage(10, 10, 0.3);
    expect(Array.from(augmentOne(image, {}).dataSync())).toEqual(Array.from(image.dataSync()));
  });

  it("shifts the content right and down by the drawn pixels", () => {
    const moved = centroid(augmentOne(blobImage(10, 12), { shiftXPx: 4, shiftYPx: -3 }));
    expect(moved.x).toBeCloseTo(14, 4);
    expect(moved.y).toBeCloseTo(9, 4);
  });

  it("rotates the content about the image centre (clockwise as displayed for positive angles)", () => {
    const cx = (W - 1) / 2; // 19.5
    const cy = (H - 1) / 2; // 14.5
    // A blob 12 px right of the centre (x = 31.5 is between pixels; use x = 31, dy = 0.5 below centre).
    const start = { x: 31, y: 15 };
    const angle = 0.1;
    const moved = centroid(augmentOne(blobImage(start.x, start.y), { rotationRad: angle }));
    const [dx, dy] = [start.x - cx, start.y - cy];
    expect(moved.x).toBeCloseTo(cx + dx * Math.cos(angle) - dy * Math.sin(angle), 1);
    expect(moved.y).toBeCloseTo(cy + dx * Math.sin(angle) + dy * Math.cos(angle), 1);
    expect(moved.y).toBeGreaterThan(start.y + 1); // clockwise: the right-hand blob goes down
  });

  it("fills what comes in from outside by reflection (d c b a | a b c d)", () => {
    const ramp = tf.tensor4d(
      Float32Array.from({ length: W * H }, (_, i) => (i % W) / W),
      [1, H, W, 1],
    );
    const out = augmentOne(ramp, { shiftXPx: 5 }).dataSync();
    const row = Array.from(out.subarray(0, W));
    // Output column c shows input column c - 5; columns -1..-5 reflect to 0..4.
    expect(row.slice(0, 5).map((v) => Math.round(v * W))).toEqual([4, 3, 2, 1, 0]);
    expect(row.slice(5, 9).map((v) => Math.round(v * W))).toEqual([0, 1, 2, 3]);
  });

  it("flips horizontally and vertically", () => {
    const h = centroid(augmentOne(blobImage(5, 7), { flipHorizontal: true }));
    expect([h.x, h.y]).toEqual([W - 1 - 5, 7]);
    const v = centroid(augmentOne(blobImage(5, 7), { flipVertical: true }));
    expect([v.x, v.y]).toEqual([5, H - 1 - 7]);
  });

  it("scales brightness and clips at white", () => {
    const grey = tf.fill([1, H, W, 1], 0.5) as tf.Tensor4D;
    expect(augmentOne(grey, { brightness: 1.1 }).dataSync()[0]).toBeCloseTo(0.55, 6);
    expect(augmentOne(grey, { brightness: 0.9 }).dataSync()[0]).toBeCloseTo(0.45, 6);
    const bright = tf.fill([1, H, W, 1], 0.95) as tf.Tensor4D;
    expect(augmentOne(bright, { brightness: 1.1 }).dataSync()[0]).toBe(1);
  });

  it("applies each image's own draw in a batch", () => {
    const batch = tf.concat([blobImage(10, 10), blobImage(10, 10)]) as tf.Tensor4D;
    const out = applyAugmentation(batch, [IDENTITY_DRAW, { ...IDENTITY_DRAW, shiftXPx: 6 }]);
    const [a, b] = tf.split(out, 2) as tf.Tensor4D[];
    expect(centroid(a!).x).toBeCloseTo(10, 4);
    expect(centroid(b!).x).toBeCloseTo(16, 4);
  });
});

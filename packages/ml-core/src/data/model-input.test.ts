import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { setupBackend } from "../backends/setup-backend.ts";
import { SeededRng } from "../random/seeded-rng.ts";
import { prepareModelInput, toRgbValues } from "./model-input.ts";

beforeAll(async () => {
  await setupBackend("cpu", () => {});
});

// The reference: TensorFlow.js' own kernels (avgPool with stride = window, resizeBilinear with
// half-pixel centres, pad), an implementation independent of the plain loops under test.
function tfReference(data: Uint8Array, width: number, height: number, size: number, pad: boolean): Float32Array {
  return tf.tidy(() => {
    const scale = size / Math.max(width, height);
    const cw = pad ? Math.max(1, Math.min(size, Math.round(width * scale))) : size;
    const ch = pad ? Math.max(1, Math.min(size, Math.round(height * scale))) : size;
    const fy = Math.max(1, Math.floor(height / ch));
    const fx = Math.max(1, Math.floor(width / cw));
    const image = tf.tensor3d(
      Float32Array.from(data, (v) => v / 255),
      [height, width, 1],
    );
    const pooled = fy > 1 || fx > 1 ? tf.avgPool(image, [fy, fx], [fy, fx], "valid") : image;
    const resized = tf.image.resizeBilinear(pooled as tf.Tensor3D, [ch, cw], false, true);
    const oy = Math.floor((size - ch) / 2);
    const ox = Math.floor((size - cw) / 2);
    return tf
      .pad(resized, [
        [oy, size - ch - oy],
        [ox, size - cw - ox],
        [0, 0],
      ])
      .dataSync() as Float32Array;
  });
}

const noise = (width: number, height: number, seed: number) => {
  const rng = SeededRng.fromSeed(seed);
  return Uint8Array.from({ length: width * height }, () => Math.floor(rng.next() * 256));
};

describe("prepareModelInput (box-bilinear)", () => {
  it.each([
    ["shrink by a whole factor", 128, 96, 32, false],
    ["shrink by a fraction after the box filter", 301, 517, 64, false],
    ["enlarge", 20, 25, 32, false],
    ["pad a wide image", 300, 140, 48, true],
    ["pad a tall image", 77, 403, 40, true],
  ] as const)("%s matches TensorFlow's avgPool + resizeBilinear(half-pixel) + pad", (_, width, height, size, pad) => {
    const data = noise(width, height, width * height);
    const mine = prepareModelInput(
      { width, height, data, white: 255 },
      { inputSize: size, resize: pad ? "pad" : "square", resample: "box-bilinear" },
    );
    const reference = tfReference(data, width, height, size, pad);
    const maxDiff = mine.pixels.reduce((m, v, i) => Math.max(m, Math.abs(v - reference[i]!)), 0);
    expect(maxDiff).toBeLessThan(1e-6);
  });

  it("gives the network's values: grey in all three channels, times 255 minus the caffe means", () => {
    const prepared = prepareModelInput(
      { width: 2, height: 2, data: [0, 51, 102, 255], white: 255 },
      { inputSize: 2, resize: "square", resample: "box-bilinear" },
    );
    expect(Array.from(toRgbValues(prepared, "unit").subarray(0, 6))).toEqual([0, 0, 0, 0.2, 0.2, 0.2].map(Math.fround));
    const caffe = Array.from(toRgbValues(prepared, "imagenet-caffe").subarray(9, 12));
    [255 - 103.939, 255 - 116.779, 255 - 123.68].forEach((v, i) => expect(caffe[i]).toBeCloseTo(v, 3));
  });
});

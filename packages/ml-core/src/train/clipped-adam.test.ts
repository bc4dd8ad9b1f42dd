import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { setupBackend } from "../backends/setup-backend.ts";
import { ClippedAdamOptimizer, clipByNorm } from "./clipped-adam.ts";

beforeAll(async () => {
  await setupBackend("cpu", () => {});
});

describe("clipByNorm", () => {
  it("scales a gradient longer than the norm down to it and leaves a shorter one alone", () => {
    expect(Array.from(clipByNorm(tf.tensor1d([3, 4]), 1).dataSync()).map((v) => +v.toFixed(6))).toEqual([0.6, 0.8]);
    expect(Array.from(clipByNorm(tf.tensor1d([0.3, 0.4]), 1).dataSync()).map((v) => +v.toFixed(6))).toEqual([0.3, 0.4]);
  });
});

describe("ClippedAdamOptimizer", () => {
  it("updates as Adam would on the clipped gradients, each tensor clipped by its own norm", () => {
    const settings = { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    const steps = [
      [30, 40],
      [0.03, 0.04],
      [-6, 8],
    ];
    const run = (optimizer: tf.Optimizer, clip: number | null) => {
      const v = tf.variable(tf.tensor1d([1, 1]), true, `v-${clip}-${Math.random()}`);
      for (const g of steps) {
        const grad = tf.tensor1d(g);
        optimizer.applyGradients({ [v.name]: clip === null ? grad : clipByNorm(grad, clip) });
      }
      return Array.from(v.dataSync());
    };
    const clipped = run(new ClippedAdamOptimizer({ ...settings, clipNorm: 1 }), null);
    const reference = run(tf.train.adam(settings.learningRate, settings.beta1, settings.beta2, settings.epsilon), 1);
    const unclipped = run(tf.train.adam(settings.learningRate, settings.beta1, settings.beta2, settings.epsilon), null);
    clipped.forEach((value, i) => expect(value).toBeCloseTo(reference[i]!, 5));
    expect(Math.abs(clipped[0]! - unclipped[0]!)).toBeGreaterThan(1e-3); // clipping changed the path
  });
});

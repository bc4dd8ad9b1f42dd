import type * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { setupBackend } from "../backends/setup-backend.ts";
import { buildVgg16, VGG16_CONV_LAYERS } from "./vgg16.ts";

beforeAll(async () => {
  await setupBackend("cpu", () => {});
});

const weightsOf = (model: tf.LayersModel) => model.getWeights().map((w) => w.dataSync());

describe("buildVgg16", () => {
  it("has Keras' layer names, 3x3 kernels and filter counts, and the study head", () => {
    const model = buildVgg16({ inputSize: 32, numClasses: 3, head: "study", seed: 1 });
    const names = model.layers.map((l) => l.name);
    expect(names.filter((n) => n.includes("_conv"))).toEqual(VGG16_CONV_LAYERS);
    expect(names.filter((n) => n.endsWith("_pool"))).toEqual([
      "block1_pool",
      "block2_pool",
      "block3_pool",
      "block4_pool",
      "block5_pool",
    ]);
    expect(names.slice(-5)).toEqual(["flatten", "fc1", "fc1_bn", "fc1_dropout", "predictions"]);
    const kernelShapes = VGG16_CONV_LAYERS.map((n) => model.getLayer(n).getWeights()[0]!.shape);
    expect(kernelShapes[0]).toEqual([3, 3, 3, 64]);
    expect(kernelShapes[12]).toEqual([3, 3, 512, 512]);
    // Keras VGG16(include_top=False) has 14,714,688 parameters.
    const convParams = VGG16_CONV_LAYERS.reduce((sum, n) => sum + model.getLayer(n).countParams(), 0);
    expect(convParams).toBe(14_714_688);
    expect(model.outputs[0]!.shape).toEqual([null, 3]);
    model.dispose();
  });

  it("gives the same weights for the same seed and different ones for another seed", () => {
    const build = (seed: number) => buildVgg16({ inputSize: 32, numClasses: 2, head: "gap", seed, widthScale: 0.125 });
    const [a, b, c] = [build(5), build(5), build(6)];
    expect(weightsOf(a)).toEqual(weightsOf(b));
    expect(weightsOf(a)[0]).not.toEqual(weightsOf(c)[0]);
    expect(a.layers.at(-2)!.name).toBe("global_average_pooling");
    [a, b, c].forEach((m) => m.dispose());
  });

  it("initialises convolutions with Keras' glorot_uniform, or he_normal (twice the variance) when asked", () => {
    const std = (model: tf.LayersModel) => {
      const values = Array.from(model.getLayer("block3_conv2").getWeights()[0]!.dataSync());
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    };
    const glorot = buildVgg16({ inputSize: 32, numClasses: 2, head: "gap", seed: 1, widthScale: 0.25 });
    const he = buildVgg16({
      inputSize: 32,
      numClasses: 2,
      head: "gap",
      seed: 1,
      widthScale: 0.25,
      convInitializer: "he_normal",
    });
    const fanIn = 9 * 64;
    expect(std(glorot)).toBeCloseTo(Math.sqrt(2 / (fanIn + fanIn)), 3); // uniform with the same variance
    expect(std(he) / std(glorot)).toBeGreaterThan(1.2); // truncated normal, sqrt(2 / fanIn) before truncation
    [glorot, he].forEach((m) => m.dispose());
  });

  it("rejects an input too small for five poolings", () => {
    expect(() => buildVgg16({ inputSize: 16, numClasses: 3, head: "study", seed: 1 })).toThrow(
      /inputSize: must be an integer of at least 32/,
    );
  });
});

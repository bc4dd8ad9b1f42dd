import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { setupBackend } from "../backends/setup-backend.ts";
import { createClassifier } from "../model/create-classifier.ts";
import { buildVgg16 } from "../model/vgg16.ts";
import { prepareGreyImage } from "../data/preprocess.ts";
import { explainEnsemble, explainImage } from "./explain-image.ts";
import { gradCam } from "./grad-cam.ts";

beforeAll(async () => {
  await setupBackend("cpu", () => {});
});

/*
 * A tiny model whose gradients are known in closed form:
 * x [1, 4, 4, 1] -> conv "conv" (1x1, 2 filters, linear): A_k = w_k x + b_k
 * -> global average pooling -> dense (softmax) with kernel W [2, 2], bias 0.
 * The logit of class c is S_c = sum_k W[k][c] mean(A_k), so dS_c/dA_k(i, j) = W[k][c] / 16.
 */
const w = [1, -2];
const b = [0.5, 3];
const W = [
  [2, -1],
  [1, 0.5],
];
const x = Array.from({ length: 16 }, (_, i) => i / 15);
const A = [0, 1].map((k) => x.map((v) => w[k]! * v + b[k]!));

function tinyModel(scale = 1): tf.LayersModel {
  const input = tf.input({ shape: [4, 4, 1] });
  const conv = tf.layers.conv2d({ name: "conv", filters: 2, kernelSize: 1, activation: "linear" });
  const pool = tf.layers.globalAveragePooling2d({});
  const dense = tf.layers.dense({ units: 2, activation: "softmax" });
  const model = tf.model({ inputs: input, outputs: dense.apply(pool.apply(conv.apply(input))) as tf.SymbolicTensor });
  conv.setWeights([tf.tensor4d(w, [1, 1, 1, 2]), tf.tensor1d(b)]);
  dense.setWeights([tf.mul(tf.tensor2d(W), scale), tf.zeros([2])]);
  return model;
}

const normalise = (values: number[]) => {
  const relu = values.map((v) => Math.max(0, v));
  const max = Math.max(...relu);
  return relu.map((v) => (max > 0 ? v / max : 0));
};
const camFromWeights = (alpha: number[]) => normalise(x.map((_, i) => alpha[0]! * A[0]![i]! + alpha[1]! * A[1]![i]!));
const run = (options: Parameters<typeof gradCam>[2], scale = 1) =>
  Array.from(gradCam(tinyModel(scale), tf.tensor4d(x, [1, 4, 4, 1]), options).dataSync());

describe("gradCam on a model with closed-form gradients", () => {
  it("Grad-CAM weights each map by its mean gradient W[k][c] / 16", () => {
    for (const c of [0, 1]) {
      const expected = camFromWeights([0, 1].map((k) => W[k]![c]! / 16));
      run({ classIndex: c, layerName: "conv" }).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    }
  });

  it("Grad-CAM++ weights map k by 16 relu(g_k) / (2 + g_k sum(A_k)) for a constant gradient g_k", () => {
    const c = 0;
    const alpha = [0, 1].map((k) => {
      const g = W[k]![c]! / 16;
      const sumA = A[k]!.reduce((s, v) => s + v, 0);
      return (16 * Math.max(0, g)) / (2 + g * sumA);
    });
    const expected = camFromWeights(alpha);
    run({ classIndex: c, layerName: "conv", method: "gradcam++" }).forEach((v, i) =>
      expect(v).toBeCloseTo(expected[i]!, 5),
    );
  });

  it("differentiates the softmax probability when asked: dp_c/dA_k = p_c (W[k][c] - sum_j p_j W[k][j]) / 16", () => {
    const meanA = A.map((a) => a.reduce((s, v) => s + v, 0) / 16);
    const logits = [0, 1].map((c) => meanA[0]! * W[0]![c]! + meanA[1]! * W[1]![c]!);
    const exps = logits.map(Math.exp);
    const p = exps.map((e) => e / (exps[0]! + exps[1]!));
    const c = 1;
    const alpha = [0, 1].map((k) => (p[c]! * (W[k]![c]! - (p[0]! * W[k]![0]! + p[1]! * W[k]![1]!))) / 16);
    const expected = camFromWeights(alpha);
    run({ classIndex: c, layerName: "conv", score: "probability" }).forEach((v, i) =>
      expect(v).toBeCloseTo(expected[i]!, 5),
    );
  });
  it("differentiates the log-odds when asked: d(S_c - S_other)/dA_k = (W[k][c] - W[k][other]) / 16, the probability's map", () => {
    for (const c of [0, 1]) {
      const expected = camFromWeights([0, 1].map((k) => (W[k]![c]! - W[k]![1 - c]!) / 16));
      run({ classIndex: c, layerName: "conv", score: "log-odds" }).forEach((v, i) =>
        expect(v).toBeCloseTo(expected[i]!, 5),
      );
      const probabilityMap = run({ classIndex: c, layerName: "conv", score: "probability" });
      run({ classIndex: c, layerName: "conv", score: "log-odds" }).forEach((v, i) =>
        expect(v).toBeCloseTo(probabilityMap[i]!, 5),
      );
    }
  });

  it("keeps the log-odds map where a saturated probability (p_c = 1 in float32) has no gradient left", () => {
    const c = 0;
    const scale = 400; // the logits differ by hundreds: p = [1, 0] exactly
    const expected = camFromWeights([0, 1].map((k) => (scale * (W[k]![c]! - W[k]![1 - c]!)) / 16));
    run({ classIndex: c, layerName: "conv", score: "log-odds" }, scale).forEach((v, i) =>
      expect(v).toBeCloseTo(expected[i]!, 5),
    );
    expect(Math.max(...run({ classIndex: c, layerName: "conv", score: "probability" }, scale))).toBe(0);
  });
});

describe("gradCam on VGG-16", () => {
  const model = buildVgg16({ inputSize: 32, numClasses: 3, head: "study", seed: 3, widthScale: 1 / 16 });
  const input = tf.randomUniform([1, 32, 32, 3], 0, 1, "float32", 7) as tf.Tensor4D;

  it("gives a 0..1 map at the input size for any convolution layer and class, leaking no tensors", () => {
    gradCam(model, input, { classIndex: 0, layerName: "block5_conv3" }).dispose(); // builds the cached sub-model
    const before = tf.memory().numTensors;
    for (const layerName of ["block5_conv3", "block3_conv1"]) {
      for (const method of ["gradcam", "gradcam++"] as const) {
        const map = gradCam(model, input, { classIndex: 2, layerName, method });
        expect(map.shape).toEqual([32, 32]);
        const values = map.dataSync();
        expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
        expect([0, 1]).toContain(Math.max(...values));
        map.dispose();
      }
    }
    expect(tf.memory().numTensors).toBe(before + 0);
  });

  it("names a layer that is not a convolution, listing the ones there are", () => {
    expect(() => gradCam(model, input, { classIndex: 0, layerName: "block5_pool" })).toThrow(
      /block5_pool is not a convolution layer of this model \(its convolutions: block1_conv1, .*block5_conv3\)/,
    );
  });
});

describe("explainImage", () => {
  it("returns the heatmap at the source image's size, with the padding removed", () => {
    const classifier = createClassifier({
      classNames: ["a", "b"],
      preprocessing: { inputSize: 32, resize: "pad", resample: "box-bilinear", bitDepth: 8, normalization: "unit" },
      head: "gap",
      seed: 1,
      widthScale: 1 / 16,
    });
    const image = { width: 60, height: 30, data: Uint8Array.from({ length: 1800 }, (_, i) => (i * 37) % 256) };
    const explanation = explainImage(classifier, image, { method: "gradcam++" });
    expect([explanation.heatmap.width, explanation.heatmap.height, explanation.heatmap.data.length]).toEqual([
      60, 30, 1800,
    ]);
    expect(explanation.classIndex).toBe(explanation.probabilities.indexOf(Math.max(...explanation.probabilities)));
    expect(explanation).toMatchObject({ layerName: "block5_conv3", method: "gradcam++" });
  });
});

describe("explainEnsemble", () => {
  const settings = {
    inputSize: 32,
    resize: "square",
    resample: "box-bilinear",
    bitDepth: 8,
    normalization: "unit",
  } as const;
  const classifierOf = (seed: number) =>
    createClassifier({ classNames: ["a", "b", "c"], preprocessing: settings, head: "study", seed, widthScale: 1 / 16 });
  const images = [0, 1, 2].map((k) => ({
    width: 40,
    height: 36,
    data: Uint8Array.from({ length: 1440 }, (_, i) => (i * (17 + k * 6)) % 256),
  }));

  it("a batch (one forward pass per model) gives each image what it gets alone; the ensemble averages probabilities and maps", () => {
    const models = [classifierOf(1), classifierOf(2)];
    const prepared = images.map((image) => prepareGreyImage(image, settings));
    const batch = explainEnsemble(models, prepared, { method: "gradcam++" });
    batch.forEach((explained, i) => {
      const alone = models.map((m) =>
        explainImage(m, images[i]!, { method: "gradcam++", classIndex: explained.classIndex }),
      );
      alone[0]!.probabilities.forEach((p, k) =>
        expect(explained.probabilities[k]).toBeCloseTo((p + alone[1]!.probabilities[k]!) / 2, 6),
      );
      const sum = alone[0]!.heatmap.data.map((v, j) => v + alone[1]!.heatmap.data[j]!);
      const max = Math.max(...sum);
      explained.heatmap.data.forEach((v, j) => expect(v).toBeCloseTo(sum[j]! / max, 4));
    });
  });
});

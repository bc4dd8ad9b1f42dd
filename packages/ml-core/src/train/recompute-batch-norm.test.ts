import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { stackPrepared, toModelInput } from "../data/preprocess.ts";
import { buildVgg16 } from "../model/vgg16.ts";
import { leftRightExamples } from "../testing/synthetic-examples.ts";
import { useTrainingTestBackend } from "../testing/test-backend.ts";
import { recomputeBatchNormStatistics } from "./recompute-batch-norm.ts";

beforeAll(async () => {
  await useTrainingTestBackend();
});

describe("recomputeBatchNormStatistics", () => {
  it("after it, the BatchNorm layer in inference mode standardises its input over those images (mean beta, variance ~gamma^2)", () => {
    const model = buildVgg16({
      inputSize: 32,
      numClasses: 2,
      head: "study",
      seed: 4,
      widthScale: 1 / 16,
      denseUnits: 6,
    });
    const images = leftRightExamples(24, 32, 9).map((e) => e.image);
    const bnOutput = () =>
      tf.tidy(() => {
        const upTo = tf.model({ inputs: model.inputs, outputs: model.getLayer("fc1_bn").output as tf.SymbolicTensor });
        return upTo.predict(toModelInput(stackPrepared(images), "unit")) as tf.Tensor2D;
      });
    // Stale moving statistics, as after a few noisy batches: outputs far from standardised.
    const bn = model.getLayer("fc1_bn");
    const [gamma, beta] = bn.getWeights();
    bn.setWeights([gamma!, beta!, tf.fill([6], 0.5), tf.fill([6], 0.01)]);
    const before = bnOutput();
    expect(Math.max(...Array.from(tf.moments(before, 0).mean.dataSync()).map(Math.abs))).toBeGreaterThan(1);
    recomputeBatchNormStatistics(model, images, "unit", 5); // batches of 5: the sums run over uneven batches
    const after = bnOutput();
    // Expected: fc1's outputs standardised by their own mean and (population) variance, BN's epsilon 1e-3.
    const fc1 = tf.model({ inputs: model.inputs, outputs: model.getLayer("fc1").output as tf.SymbolicTensor });
    const x = fc1.predict(toModelInput(stackPrepared(images), "unit")) as tf.Tensor2D;
    const { mean, variance } = tf.moments(x, 0);
    const expected = x.sub(mean).div(variance.add(1e-3).sqrt()).mul(gamma!).add(beta!);
    const difference = tf.max(tf.abs(tf.sub(after, expected))).dataSync()[0]!;
    expect(difference).toBeLessThan(1e-4);
    tf.dispose([before, after, x, mean, variance, expected]);
    model.dispose();
  });
});

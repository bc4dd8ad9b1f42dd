import * as tf from "@tensorflow/tfjs";
import type { Normalization } from "../data/preprocess-settings.ts";
import { type PreparedImage, stackPrepared, toModelInput } from "../data/preprocess.ts";

export type LabelledImage = { image: PreparedImage; label: number };

/** Keras' categorical cross-entropy on probabilities: -sum(y log(clip(p, 1e-7, 1 - 1e-7))). yTrue, yPred: [batch, classes]; returns [batch]. */
export function categoricalCrossEntropy(yTrue: tf.Tensor2D, yPred: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.neg(tf.sum(yTrue.mul(tf.log(tf.clipByValue(yPred, 1e-7, 1 - 1e-7))), -1)) as tf.Tensor1D);
}

/** Softmax outputs for prepared images, in batches: [n][classes]. */
export function predictPrepared(
  model: tf.LayersModel,
  images: readonly PreparedImage[],
  normalization: Normalization,
  batchSize = 16,
): number[][] {
  const out: number[][] = [];
  for (let start = 0; start < images.length; start += batchSize) {
    const batch = images.slice(start, start + batchSize);
    const probabilities = tf.tidy(() =>
      (model.predict(toModelInput(stackPrepared(batch), normalization)) as tf.Tensor2D).arraySync(),
    );
    out.push(...probabilities);
  }
  return out;
}

/** Mean loss and accuracy (inference mode: no dropout, BatchNorm's moving statistics). */
export function evaluatePrepared(
  model: tf.LayersModel,
  examples: readonly LabelledImage[],
  normalization: Normalization,
  numClasses: number,
): { loss: number; accuracy: number } {
  const probabilities = predictPrepared(
    model,
    examples.map((e) => e.image),
    normalization,
  );
  const losses = tf.tidy(() =>
    categoricalCrossEntropy(
      tf
        .oneHot(
          examples.map((e) => e.label),
          numClasses,
        )
        .toFloat() as tf.Tensor2D,
      tf.tensor2d(probabilities),
    ).arraySync(),
  );
  const correct = probabilities.filter((p, i) => argMax(p) === examples[i]!.label).length;
  return { loss: losses.reduce((a, b) => a + b, 0) / examples.length, accuracy: correct / examples.length };
}

export function argMax(values: readonly number[]): number {
  let best = 0;
  values.forEach((v, i) => {
    if (v > values[best]!) best = i;
  });
  return best;
}

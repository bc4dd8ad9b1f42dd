import * as tf from "@tensorflow/tfjs";
import { type PreparedImage, stackPrepared, toModelInput } from "../data/preprocess.ts";
import type { Normalization } from "../data/preprocess-settings.ts";

/**
 * "Precise BatchNorm" (Wu and Johnson, Rethinking "Batch" in BatchNorm, 2021): sets every
 * BatchNormalization layer's moving mean and variance to its input's statistics over `images`
 * (the training images, unaugmented) under the current weights, instead of the moving averages
 * of small training batches. At batch 8 those averages are noisy and lag the weights, and
 * inference with them swings the validation accuracy from epoch to epoch. Each layer's input is
 * computed in inference mode with the layers before it (chain models, as VGG-16's head).
 */
export function recomputeBatchNormStatistics(
  model: tf.LayersModel,
  images: readonly PreparedImage[],
  normalization: Normalization,
  batchSize = 16,
): void {
  model.layers.forEach((layer, index) => {
    if (layer.getClassName() !== "BatchNormalization" || images.length === 0) return;
    const before = model.layers[index - 1]!;
    const upTo = tf.model({ inputs: model.inputs, outputs: before.output as tf.SymbolicTensor });
    let sum: tf.Tensor | null = null;
    let sumSquares: tf.Tensor | null = null;
    for (let start = 0; start < images.length; start += batchSize) {
      const [s, q] = tf.tidy(() => {
        const x = upTo.predict(toModelInput(stackPrepared(images.slice(start, start + batchSize)), normalization));
        const features = (x as tf.Tensor).reshape([-1, (x as tf.Tensor).shape.at(-1)!]);
        return [tf.sum(features, 0), tf.sum(tf.square(features), 0)];
      });
      const nextSum: tf.Tensor = sum ? tf.add(sum, s!) : s!;
      const nextSquares: tf.Tensor = sumSquares ? tf.add(sumSquares, q!) : q!;
      if (sum) tf.dispose([sum, sumSquares!, s!, q!]);
      sum = nextSum;
      sumSquares = nextSquares;
    }
    const weights = layer.getWeights();
    const count = images.length * ((before.outputShape as number[]).slice(1, -1).reduce((a, b) => a * b, 1) || 1);
    const [mean, variance] = tf.tidy(() => {
      const m = tf.div(sum!, count);
      return [m, tf.relu(tf.sub(tf.div(sumSquares!, count), tf.square(m)))];
    });
    // Keras' order: gamma, beta, moving mean, moving variance (the last two of a BN layer's weights).
    layer.setWeights([...weights.slice(0, -2), mean!, variance!]);
    tf.dispose([sum!, sumSquares!, mean!, variance!]);
  });
}

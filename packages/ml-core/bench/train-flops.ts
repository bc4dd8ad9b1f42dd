import type * as tf from "@tensorflow/tfjs";

/**
 * Forward FLOPs of one image through a model's convolutions and dense layers, from the layer
 * shapes: a multiply-add counts 2, so a convolution costs 2 * outH * outW * outC * kH * kW * inC.
 * Biases, activations, pooling and normalisation are left out (under 1% for VGG-16).
 */
export function forwardFlopsPerImage(model: tf.LayersModel): number {
  let flops = 0;
  for (const layer of model.layers) {
    const className = layer.getClassName();
    if (className === "Conv2D") {
      const [, outH, outW, outC] = layer.outputShape as number[];
      const [kH, kW, inC] = layer.getWeights()[0].shape;
      flops += 2 * outH * outW * outC * kH * kW * inC;
    } else if (className === "Dense") {
      const [inUnits, outUnits] = layer.getWeights()[0].shape;
      flops += 2 * inUnits * outUnits;
    }
  }
  return flops;
}

/** The convention used throughout: a training step (forward, input and weight gradients) costs three forward passes. */
export const TRAINING_STEP_FORWARD_MULTIPLE = 3;

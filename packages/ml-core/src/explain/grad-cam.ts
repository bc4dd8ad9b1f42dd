import * as tf from "@tensorflow/tfjs";
import { MlCoreError } from "../errors/ml-core-error.ts";

export type GradCamMethod = "gradcam" | "gradcam++";

/**
 * The class score Grad-CAM differentiates: the pre-softmax logit (the papers' y^c; default), the
 * softmax probability, or the probability's log-odds log(p_c / (1 - p_c)) = y_c - logsumexp of
 * the other logits. The log-odds give the probability's map (its gradient is the probability's
 * divided by p_c (1 - p_c), and the map is normalised) without vanishing when p_c nears 1, and
 * unlike the logit they cancel evidence that raises every class's logit alike.
 */
export const GRAD_CAM_SCORES = ["logit", "probability", "log-odds"] as const;
export type GradCamScore = (typeof GRAD_CAM_SCORES)[number];

export type GradCamOptions = {
  /** The class whose evidence is shown (index into the model's outputs). */
  classIndex: number;
  /** Any convolution layer; VGG-16's last is block5_conv3. */
  layerName: string;
  /** Grad-CAM (Selvaraju et al.) or Grad-CAM++ (Chattopadhyay et al.). */
  method?: GradCamMethod;
  /** What is differentiated: see GradCamScore. */
  score?: GradCamScore;
};

type Chain = { features: tf.LayersModel; head: tf.layers.Layer[] };
const chains = new WeakMap<tf.LayersModel, Map<string, Chain>>();

/** Splits a chain-shaped model (each layer fed by the one before, as VGG-16) at `layerName`. */
function splitAt(model: tf.LayersModel, layerName: string): Chain {
  const cached = chains.get(model)?.get(layerName);
  if (cached) return cached;
  const index = model.layers.findIndex((l) => l.name === layerName);
  const convLayers = model.layers.filter((l) => l.getClassName() === "Conv2D").map((l) => l.name);
  if (index < 0 || model.layers[index]!.getClassName() !== "Conv2D") {
    throw new MlCoreError(
      "MODEL_UNSUPPORTED",
      `Grad-CAM: ${layerName} is not a convolution layer of this model (its convolutions: ${convLayers.join(", ") || "none"})`,
    );
  }
  const head = model.layers.slice(index + 1);
  head.forEach((layer, i) => {
    const previous = model.layers[index + i]!;
    const inbound = layer.inboundNodes[0]?.inboundLayers ?? [];
    if (layer.inboundNodes.length !== 1 || inbound.length !== 1 || inbound[0] !== previous) {
      throw new MlCoreError(
        "MODEL_UNSUPPORTED",
        `Grad-CAM: the layers after ${layerName} are not a simple chain (${layer.name} is not fed by ${previous.name} alone)`,
      );
    }
  });
  const features = tf.model({ inputs: model.inputs, outputs: model.layers[index]!.output as tf.SymbolicTensor });
  const chain = { features, head };
  if (!chains.has(model)) chains.set(model, new Map());
  chains.get(model)!.set(layerName, chain);
  return chain;
}

/** The model's own output from the feature maps [B, h, w, k]: the head re-applied in inference mode. Returns [B, classes]. */
export function applyHead(head: readonly tf.layers.Layer[], maps: tf.Tensor): tf.Tensor2D {
  return tf.tidy(() => {
    let x = maps;
    for (const layer of head) x = layer.apply(x) as tf.Tensor;
    return x as tf.Tensor2D;
  });
}

/**
 * The summed class score of a batch as a function of its feature maps [B, h, w, k], each image
 * scored for its own class: the head re-applied in inference mode (BatchNormalization's moving
 * statistics, no dropout), so one image's score depends on its own maps only and the gradient
 * of the sum gives every image's gradient.
 */
function classScore(head: tf.layers.Layer[], classIndices: readonly number[], score: GradCamScore) {
  const last = head.at(-1);
  const softmaxDense = last?.getClassName() === "Dense" && last.getConfig().activation === "softmax";
  const useLogits = score !== "probability" && softmaxDense;
  return (features: tf.Tensor): tf.Scalar => {
    let x = features;
    for (const layer of useLogits ? head.slice(0, -1) : head) x = layer.apply(x) as tf.Tensor;
    if (useLogits) {
      const [kernel, bias] = last!.getWeights();
      x = tf.add(tf.matMul(x as tf.Tensor2D, kernel as tf.Tensor2D), bias!);
    }
    const classes = x.shape[1]!;
    for (const c of classIndices)
      tf.util.assert(
        Number.isInteger(c) && c >= 0 && c < classes,
        () => `Grad-CAM: class ${c} is not one of the model's ${classes} outputs`,
      );
    const mask = tf.oneHot(tf.tensor1d([...classIndices], "int32"), classes).toBool();
    const own = tf.sum(tf.where(mask, x, tf.zerosLike(x)), 1); // [B]
    if (score !== "log-odds") return tf.sum(own) as tf.Scalar;
    if (!useLogits) return tf.sum(tf.sub(tf.log(own), tf.log1p(tf.neg(own)))) as tf.Scalar; // outputs are probabilities
    // log(p_c / (1 - p_c)) = y_c - logsumexp of the other logits.
    const others = tf.logSumExp(tf.where(mask, tf.fill(x.shape, -1e30), x), 1);
    return tf.sum(tf.sub(own, others)) as tf.Scalar;
  };
}

/**
 * Class-activation maps from a batch's feature maps [B, h, w, k] at `layerName` (from
 * featureMaps): each image's map for its class, ReLU, resized bilinearly to height x width,
 * divided by its own maximum. Returns [B, height, width], 0..1 (all zero where nothing is positive).
 */
export function camFromFeatures(
  head: tf.layers.Layer[],
  maps: tf.Tensor4D,
  classIndices: readonly number[],
  options: { method?: GradCamMethod; score?: GradCamScore; height: number; width: number },
): tf.Tensor3D {
  tf.util.assert(
    classIndices.length === maps.shape[0],
    () => `Grad-CAM: ${classIndices.length} classes for ${maps.shape[0]} images`,
  );
  return tf.tidy(() => {
    const grads = tf.grad(classScore(head, classIndices, options.score ?? "logit"))(maps) as tf.Tensor4D;
    let weights: tf.Tensor; // [B, 1, 1, k]
    if ((options.method ?? "gradcam") === "gradcam") {
      weights = tf.mean(grads, [1, 2], true);
    } else {
      // Grad-CAM++ with the exponential score: second and third derivatives are g^2 and g^3 (ReLU network).
      const g2 = tf.square(grads);
      const g3 = tf.mul(g2, grads);
      const mapSums = tf.sum(maps, [1, 2], true);
      const denominator = tf.add(tf.mul(g2, 2), tf.mul(mapSums, g3));
      const alpha = tf.div(g2, tf.where(tf.notEqual(denominator, 0), denominator, tf.onesLike(denominator)));
      weights = tf.sum(tf.mul(alpha, tf.relu(grads)), [1, 2], true);
    }
    const cam = tf.relu(tf.sum(tf.mul(maps, weights), 3, true)) as tf.Tensor4D; // [B, h, w, 1]
    const resized = tf.image.resizeBilinear(cam, [options.height, options.width], false, true);
    const max = tf.max(resized, [1, 2, 3], true);
    const normalised = tf.div(resized, tf.where(tf.greater(max, 0), max, tf.onesLike(max)));
    return normalised.reshape([maps.shape[0], options.height, options.width]) as tf.Tensor3D;
  });
}

/** The feature maps [B, h, w, k] of a convolution layer and the layers after it (the head). The caller disposes the maps. */
export function featureMaps(
  model: tf.LayersModel,
  input: tf.Tensor4D,
  layerName: string,
): { maps: tf.Tensor4D; head: tf.layers.Layer[] } {
  const { features, head } = splitAt(model, layerName);
  return { maps: features.predict(input) as tf.Tensor4D, head };
}

/**
 * Class-activation heatmaps of a batch (Grad-CAM or Grad-CAM++), one forward pass through the
 * convolutions for all images. input: [B, H, W, C], already preprocessed for the model;
 * classIndices[b] is image b's class. Returns [B, H, W], each 0..1.
 */
export function gradCamBatch(
  model: tf.LayersModel,
  input: tf.Tensor4D,
  options: Omit<GradCamOptions, "classIndex"> & { classIndices: readonly number[] },
): tf.Tensor3D {
  tf.util.assert(input.rank === 4, () => `Grad-CAM: input must be [B, H, W, C], got [${input.shape.join(", ")}]`);
  const { maps, head } = featureMaps(model, input, options.layerName);
  try {
    return camFromFeatures(head, maps, options.classIndices, {
      ...options,
      height: input.shape[1],
      width: input.shape[2],
    });
  } finally {
    maps.dispose();
  }
}

/**
 * Class-activation heatmap of one image.
 * input: [1, H, W, C], already preprocessed for the model. Returns [H, W]: the weighted sum of the
 * layer's feature maps, ReLU, resized bilinearly to H x W, divided by its maximum (0..1; all zero
 * when nothing is positive). All tensor work is tidied: only the result survives.
 */
export function gradCam(model: tf.LayersModel, input: tf.Tensor4D, options: GradCamOptions): tf.Tensor2D {
  tf.util.assert(
    input.rank === 4 && input.shape[0] === 1,
    () => `Grad-CAM: input must be [1, H, W, C], got [${input.shape.join(", ")}]`,
  );
  const maps = gradCamBatch(model, input, { ...options, classIndices: [options.classIndex] });
  const single = maps.reshape([input.shape[1], input.shape[2]]) as tf.Tensor2D;
  maps.dispose();
  return single;
}

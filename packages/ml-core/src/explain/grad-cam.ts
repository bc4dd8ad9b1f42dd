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

/** The class score as a function of the feature maps [1, h, w, k]: the head re-applied in inference mode. */
function classScore(head: tf.layers.Layer[], classIndex: number, score: GradCamScore) {
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
    tf.util.assert(
      classIndex >= 0 && classIndex < classes,
      () => `Grad-CAM: class ${classIndex} is not one of the model's ${classes} outputs`,
    );
    const own = x.slice([0, classIndex], [1, 1]).sum() as tf.Scalar;
    if (score !== "log-odds") return own;
    if (!useLogits) return tf.sub(tf.log(own), tf.log1p(tf.neg(own))) as tf.Scalar; // outputs are probabilities
    const others = Array.from({ length: classes }, (_, j) => j).filter((j) => j !== classIndex);
    return tf.sub(own, tf.logSumExp(tf.gather(x, others, 1))) as tf.Scalar;
  };
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
  const { features, head } = splitAt(model, options.layerName);
  const [, height, width] = input.shape;
  return tf.tidy(() => {
    const maps = features.predict(input) as tf.Tensor4D; // [1, h, w, k]
    const grads = tf.grad(classScore(head, options.classIndex, options.score ?? "logit"))(maps) as tf.Tensor4D;
    let weights: tf.Tensor; // [1, 1, 1, k]
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
    const cam = tf.relu(tf.sum(tf.mul(maps, weights), 3, true)) as tf.Tensor4D; // [1, h, w, 1]
    const resized = tf.image.resizeBilinear(cam, [height!, width!], false, true);
    const max = tf.max(resized);
    const normalised = tf.div(resized, tf.where(tf.greater(max, 0), max, tf.onesLike(max)));
    return normalised.reshape([height!, width!]) as tf.Tensor2D;
  });
}

import * as tf from "@tensorflow/tfjs";
import { invalidArgument } from "../errors/ml-core-error.ts";

/** "study": Flatten -> Dense 256 ReLU (he_normal) -> BatchNormalization -> Dropout 0.5 -> Dense n softmax (Ueda et al.). "gap": GlobalAveragePooling -> Dense n softmax. */
export type HeadKind = "study" | "gap";

export type Vgg16Options = {
  /** Side of the square input in pixels; at least 32 (five 2x2 poolings). */
  inputSize: number;
  numClasses: number;
  head: HeadKind;
  /** Seeds every initialiser: the same seed and backend give the same weights. */
  seed: number;
  /** Units of the study head's hidden Dense layer (256 in the study). */
  denseUnits?: number;
  dropoutRate?: number;
  /**
   * The study head's BatchNormalization momentum for its moving statistics (Keras: 0.99). Short
   * runs need less (e.g. 0.9): after n steps the moving statistics still hold momentum^n of
   * their initial values, and inference uses them.
   */
  batchNormMomentum?: number;
  /**
   * Filters per convolution relative to VGG-16 (1 = exactly VGG-16: 64, 128, 256, 512, 512).
   * Smaller values keep the 16-layer topology and names but are NOT VGG-16: only for fast tests
   * and CPU demos; ImageNet weights need 1.
   */
  widthScale?: number;
  /**
   * Convolution kernels' random initialiser: "glorot_uniform" as Keras' VGG16, or "he_normal",
   * which keeps the signal's scale through 13 ReLU layers and trains much better from scratch.
   */
  convInitializer?: ConvInitializer;
};

export type ConvInitializer = "glorot_uniform" | "he_normal";

/** Keras VGG16's convolution blocks: [block, convolutions, filters]. */
const BLOCKS: ReadonlyArray<readonly [number, number, number]> = [
  [1, 2, 64],
  [2, 2, 128],
  [3, 3, 256],
  [4, 3, 512],
  [5, 3, 512],
];

/** The 13 convolution layer names, as Keras names them (block1_conv1 ... block5_conv3). */
export const VGG16_CONV_LAYERS: readonly string[] = BLOCKS.flatMap(([block, convs]) =>
  Array.from({ length: convs }, (_, i) => `block${block}_conv${i + 1}`),
);

export const DEFAULT_GRADCAM_LAYER = "block5_conv3";

/**
 * VGG-16 (Simonyan and Zisserman; layer names as Keras' `VGG16(include_top=False)`) with a
 * classification head. Input [batch, inputSize, inputSize, 3]; output [batch, numClasses] softmax.
 * Convolutions use glorot_uniform kernels (or he_normal) and zero biases, each seeded from `seed`.
 */
export function buildVgg16(options: Vgg16Options): tf.LayersModel {
  const { inputSize, numClasses, head, seed } = options;
  const denseUnits = options.denseUnits ?? 256;
  const dropoutRate = options.dropoutRate ?? 0.5;
  const widthScale = options.widthScale ?? 1;
  const convInitializer = options.convInitializer ?? "glorot_uniform";
  if (!Number.isInteger(inputSize) || inputSize < 32)
    throw invalidArgument("inputSize", `must be an integer of at least 32, got ${inputSize}`);
  if (!Number.isInteger(numClasses) || numClasses < 2)
    throw invalidArgument("numClasses", `must be an integer of at least 2, got ${numClasses}`);
  if (!(widthScale > 0 && widthScale <= 1)) throw invalidArgument("widthScale", `must be in (0, 1], got ${widthScale}`);
  if (!Number.isInteger(seed)) throw invalidArgument("seed", `must be an integer, got ${seed}`);
  if (convInitializer !== "glorot_uniform" && convInitializer !== "he_normal")
    throw invalidArgument("convInitializer", `must be glorot_uniform or he_normal, got ${String(convInitializer)}`);

  let layerSeed = seed;
  const nextSeed = () => (layerSeed = (layerSeed * 1_103_515_245 + 12_345) % 2_147_483_647);

  const input = tf.input({ shape: [inputSize, inputSize, 3], name: "input" });
  let x: tf.SymbolicTensor = input;
  for (const [block, convs, filters] of BLOCKS) {
    for (let i = 1; i <= convs; i++) {
      x = tf.layers
        .conv2d({
          name: `block${block}_conv${i}`,
          filters: Math.max(1, Math.round(filters * widthScale)),
          kernelSize: 3,
          padding: "same",
          activation: "relu",
          kernelInitializer:
            convInitializer === "he_normal"
              ? tf.initializers.heNormal({ seed: nextSeed() })
              : tf.initializers.glorotUniform({ seed: nextSeed() }),
          biasInitializer: "zeros",
        })
        .apply(x) as tf.SymbolicTensor;
    }
    x = tf.layers.maxPooling2d({ name: `block${block}_pool`, poolSize: 2, strides: 2 }).apply(x) as tf.SymbolicTensor;
  }

  if (head === "study") {
    x = tf.layers.flatten({ name: "flatten" }).apply(x) as tf.SymbolicTensor;
    x = tf.layers
      .dense({
        name: "fc1",
        units: denseUnits,
        activation: "relu",
        kernelInitializer: tf.initializers.heNormal({ seed: nextSeed() }),
      })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers
      .batchNormalization({ name: "fc1_bn", momentum: options.batchNormMomentum ?? 0.99 })
      .apply(x) as tf.SymbolicTensor;
    x = tf.layers.dropout({ name: "fc1_dropout", rate: dropoutRate, seed: nextSeed() }).apply(x) as tf.SymbolicTensor;
  } else {
    x = tf.layers.globalAveragePooling2d({ name: "global_average_pooling" }).apply(x) as tf.SymbolicTensor;
  }
  const output = tf.layers
    .dense({
      name: "predictions",
      units: numClasses,
      activation: "softmax",
      kernelInitializer: tf.initializers.glorotUniform({ seed: nextSeed() }),
    })
    .apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: output, name: "vgg16" });
}

// Free of TensorFlow.js (type imports only from the model): the API validates training requests
// with it through the `@mammo/ml-core/presets` entry.
import { type AugmentationSettings, assertAugmentationSettings, STUDY_AUGMENTATION } from "../data/augment-settings.ts";
import { assertPreprocessingSettings, type PreprocessingSettings } from "../data/preprocess-settings.ts";
import { invalidArgument } from "../errors/ml-core-error.ts";
import type { ConvInitializer, HeadKind } from "../model/vgg16.ts";

export type PresetName = "ueda-2020" | "quick";
export const PRESET_NAMES: readonly PresetName[] = ["ueda-2020", "quick"];

/** Every setting of a training run. Resolved once and stored with the run and the model. */
export type TrainingParams = {
  preset: PresetName;
  seed: number;
  model: {
    architecture: "vgg16";
    head: HeadKind;
    denseUnits: number;
    dropoutRate: number;
    /** Momentum of the head's BatchNormalization moving statistics (Keras: 0.99). */
    batchNormMomentum: number;
    /**
     * The BatchNormalization statistics inference (and validation) uses: "moving-average" (Keras:
     * the momentum's average of the training batches' statistics) or "training-set" (recomputed
     * over the unaugmented training images after every epoch: Precise BN; steadier at small batches).
     */
    batchNormStatistics: "moving-average" | "training-set";
    /** 1 = VGG-16. Smaller only for fast tests and CPU demos (not VGG-16 any more). */
    widthScale: number;
    /** Random initialisation of the convolutions (ImageNet weights replace it). */
    convInitializer: ConvInitializer;
    /**
     * "imagenet": the convolutions start from registered ImageNet weights (a Keras VGG16 .h5 file
     * uploaded once; weights/keras-h5.ts), named by `imagenetWeightsId`.
     */
    weights: "imagenet" | "random";
    /** The id of a registered weights file (PretrainedWeights); never a path. */
    imagenetWeightsId: string | null;
  };
  preprocessing: PreprocessingSettings;
  optimizer: {
    name: "adam";
    learningRate: number;
    /** Keras' clipnorm: each gradient tensor is scaled down to this L2 norm if longer; null = off. */
    clipNorm: number | null;
    beta1: number;
    beta2: number;
    epsilon: number;
  };
  loss: "categorical-crossentropy";
  epochs: number;
  batchSize: number;
  /** k of k-fold cross-validation; the final prediction sums the fold models' softmax outputs. */
  folds: number;
  /** "downsample-per-epoch": each epoch draws every class down to the smallest class (the study). */
  classBalance: "downsample-per-epoch" | "none";
  /** null = no augmentation. */
  augmentation: AugmentationSettings | null;
  /** Keep the epoch with the lowest validation loss. */
  checkpointMetric: "val_loss";
  ensemble: "sum-softmax";
};

type DeepPartial<T> = {
  [K in keyof T]?: T[K] extends readonly unknown[] | null ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K];
};
export type TrainingOverrides = DeepPartial<Omit<TrainingParams, "preset">>;

/**
 * Ueda et al. 2020 (Jpn J Radiol 39:333-340) and the group's public reference code (Keras).
 * Where they agree, as they say. Where they differ or the code contradicts itself:
 * - Input size: the code trains at 500 x 500 px and predicts at 300 x 300. A Flatten head fixes
 *   the input size (its Dense layer has 15 x 15 x 512 inputs at 500 px, 9 x 9 x 512 at 300), so
 *   one model cannot do both; the 300 px prediction would need a second model. We train and
 *   predict at 500 px, the size the weights were learnt at (`bench:train --size 500` gives the cost).
 * - Optimiser: the report's Adam (learning rate 1e-5, clipnorm 1e-3), not the code's SGD with
 *   learning rate 1e-3 (the report describes what was published); batch size 4 from the code.
 * - Resampling: the code resizes PNGs with Keras' image loader (nearest neighbour by default);
 *   we use box-bilinear (model-input.ts), which does not alias a 3000 px mammogram down to 500.
 * - Validation: the code's 10 down-sampled sub-splits per fold are one per epoch here
 *   (classBalance "downsample-per-epoch"), with the best epoch by validation loss.
 */
const UEDA_2020: TrainingParams = {
  preset: "ueda-2020",
  seed: 2020,
  model: {
    architecture: "vgg16",
    head: "study",
    denseUnits: 256,
    dropoutRate: 0.5,
    batchNormMomentum: 0.99,
    batchNormStatistics: "moving-average",
    widthScale: 1,
    convInitializer: "glorot_uniform",
    weights: "imagenet",
    imagenetWeightsId: null,
  },
  preprocessing: { inputSize: 500, resize: "square", resample: "box-bilinear", bitDepth: 8, normalization: "unit" },
  optimizer: { name: "adam", learningRate: 1e-5, clipNorm: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 },
  loss: "categorical-crossentropy",
  epochs: 50,
  batchSize: 4,
  folds: 4,
  classBalance: "downsample-per-epoch",
  augmentation: STUDY_AUGMENTATION,
  checkpointMetric: "val_loss",
  ensemble: "sum-softmax",
};

/** Small and fast, from random weights: tests and CPU demos. Not a protocol to report results with. */
const QUICK: TrainingParams = {
  ...UEDA_2020,
  preset: "quick",
  seed: 1,
  // From scratch, Keras' glorot_uniform shrinks the signal ~2x per ReLU layer (1/8000 after 13).
  // A few hundred steps: BatchNorm's moving statistics must forget their start (0.99^300 = 5%).
  // At batch 8 those moving statistics are noisy and lag the weights; validation with them swung
  // between chance and 1.0 from epoch to epoch: recomputed over the training set instead.
  model: {
    ...UEDA_2020.model,
    weights: "random",
    convInitializer: "he_normal",
    batchNormMomentum: 0.9,
    batchNormStatistics: "training-set",
  },
  preprocessing: { ...UEDA_2020.preprocessing, inputSize: 64 },
  // From random weights the study's 1e-5 barely moves in a few epochs.
  optimizer: { ...UEDA_2020.optimizer, learningRate: 1e-4, clipNorm: null },
  epochs: 6,
  batchSize: 8,
  folds: 2,
};

const PRESETS: Record<PresetName, TrainingParams> = { "ueda-2020": UEDA_2020, quick: QUICK };

function merge(
  base: Record<string, unknown>,
  overrides: Record<string, unknown>,
  path: string,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const field = path ? `${path}.${key}` : key;
    if (!(key in base))
      throw invalidArgument(field, `is not a training parameter (known: ${Object.keys(base).join(", ")})`);
    if (value === undefined) continue;
    const current = base[key];
    const isObject = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
    out[key] =
      isObject(current) && isObject(value)
        ? merge(current as Record<string, unknown>, value as Record<string, unknown>, field)
        : value;
  }
  return out;
}

const positiveInteger = (field: string, value: number) => {
  if (!Number.isInteger(value) || value < 1) throw invalidArgument(field, `must be a positive integer, got ${value}`);
};

/**
 * The preset's parameters with `overrides` applied, checked. Returns the complete object to
 * record with the run; unknown keys and bad values fail with the field named.
 */
export function resolveTrainingParams(preset: PresetName, overrides: TrainingOverrides = {}): TrainingParams {
  const base = PRESETS[preset];
  if (!base) throw invalidArgument("preset", `unknown preset ${String(preset)} (known: ${PRESET_NAMES.join(", ")})`);
  const params = merge(
    structuredClone(base) as unknown as Record<string, unknown>,
    overrides as Record<string, unknown>,
    "",
  ) as unknown as TrainingParams;
  if (!Number.isInteger(params.seed)) throw invalidArgument("seed", `must be an integer, got ${params.seed}`);
  positiveInteger("epochs", params.epochs);
  positiveInteger("batchSize", params.batchSize);
  if (!Number.isInteger(params.folds) || params.folds < 1)
    throw invalidArgument("folds", `must be a positive integer (1 = no cross-validation), got ${params.folds}`);
  assertPreprocessingSettings(params.preprocessing);
  if (params.augmentation) assertAugmentationSettings(params.augmentation);
  const { model, optimizer } = params;
  if (model.head !== "study" && model.head !== "gap")
    throw invalidArgument("model.head", `must be "study" or "gap", got ${String(model.head)}`);
  if (model.weights !== "imagenet" && model.weights !== "random")
    throw invalidArgument("model.weights", `must be "imagenet" or "random", got ${String(model.weights)}`);
  if (model.weights === "imagenet" && model.widthScale !== 1)
    throw invalidArgument("model.widthScale", "must be 1 with ImageNet weights");
  if (model.batchNormStatistics !== "moving-average" && model.batchNormStatistics !== "training-set")
    throw invalidArgument(
      "model.batchNormStatistics",
      `must be "moving-average" or "training-set", got ${String(model.batchNormStatistics)}`,
    );
  if (!(model.batchNormMomentum > 0 && model.batchNormMomentum < 1))
    throw invalidArgument("model.batchNormMomentum", `must be in (0, 1), got ${model.batchNormMomentum}`);
  if (!(model.dropoutRate >= 0 && model.dropoutRate < 1))
    throw invalidArgument("model.dropoutRate", `must be in [0, 1), got ${model.dropoutRate}`);
  positiveInteger("model.denseUnits", model.denseUnits);
  if (model.convInitializer !== "glorot_uniform" && model.convInitializer !== "he_normal")
    throw invalidArgument(
      "model.convInitializer",
      `must be "glorot_uniform" or "he_normal", got ${String(model.convInitializer)}`,
    );
  if (!(optimizer.learningRate > 0))
    throw invalidArgument("optimizer.learningRate", `must be positive, got ${optimizer.learningRate}`);
  if (optimizer.clipNorm !== null && !(optimizer.clipNorm > 0))
    throw invalidArgument("optimizer.clipNorm", `must be positive or null, got ${optimizer.clipNorm}`);
  if (params.classBalance !== "downsample-per-epoch" && params.classBalance !== "none")
    throw invalidArgument(
      "classBalance",
      `must be "downsample-per-epoch" or "none", got ${String(params.classBalance)}`,
    );
  return params;
}

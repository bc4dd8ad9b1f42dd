// The preset names and top-level parameter names of @mammo/ml-core's training presets
// (packages/ml-core/src/train/presets.ts), mirrored here because importing that module would load
// TensorFlow.js into the API process. training-presets.test.ts fails when the two drift apart.
export const TRAINING_PRESETS = ["ueda-2020", "quick"] as const;
export type TrainingPresetName = (typeof TRAINING_PRESETS)[number];

/** Keys a request may override (everything of ml-core's TrainingParams but `preset`). */
export const TRAINING_PARAMETER_KEYS: readonly string[] = [
  "seed",
  "model",
  "preprocessing",
  "optimizer",
  "loss",
  "epochs",
  "batchSize",
  "folds",
  "classBalance",
  "augmentation",
  "checkpointMetric",
  "ensemble",
];

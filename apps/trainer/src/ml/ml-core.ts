// The parts of @mammo/ml-core the trainer uses, in one place.
// TODO(ml-core index): switch these deep imports to "@mammo/ml-core" once its index exports them.
export { setupBackend, BACKEND_NAMES, type BackendName, type BackendInfo } from "@mammo/ml-core";
export { resolveTrainingParams, PRESET_NAMES, type PresetName, type TrainingParams, type TrainingOverrides } from "@mammo/ml-core/src/train/presets.ts";
export { trainFold, type TrainingProgress, type TrainFoldResult } from "@mammo/ml-core/src/train/train-fold.ts";
export { crossValidationSplits } from "@mammo/ml-core/src/train/cross-validate.ts";
export { encodeCheckpoint, decodeCheckpoint, type TrainingCheckpoint } from "@mammo/ml-core/src/train/checkpoint.ts";
export { predictEnsemble, predictClassifier } from "@mammo/ml-core/src/train/predict.ts";
export { type LabelledImage } from "@mammo/ml-core/src/train/evaluate.ts";
export { prepareGreyImage, type PreparedImage, type PreprocessingSettings } from "@mammo/ml-core/src/data/preprocess.ts";
export { type GreyImage } from "@mammo/ml-core/src/data/grey-image.ts";
export { classifierToBytes, classifierFromBytes, saveClassifierToDirectory, tarFiles, readTarFiles } from "@mammo/ml-core/src/model/model-artifact.ts";
export { type ClassifierModel, type ModelMetadata } from "@mammo/ml-core/src/model/model-metadata.ts";
export { MlCoreError } from "@mammo/ml-core/src/errors/ml-core-error.ts";
export { explainImage, type Explanation } from "@mammo/ml-core/src/explain/explain-image.ts";
export { encodeHeatmapPng, decodeHeatmapPng, HEATMAP_PNG_SIZE } from "@mammo/ml-core/src/explain/heatmap-png.ts";
export { type Heatmap } from "@mammo/ml-core/src/explain/heatmap.ts";
export { type GradCamMethod } from "@mammo/ml-core/src/explain/grad-cam.ts";
export { roiToMask, type Roi, type RegionMask } from "@mammo/ml-core/src/metrics/roi-mask.ts";
export { saliencyRegionMetrics, type SaliencyRegionMetrics } from "@mammo/ml-core/src/metrics/saliency-metrics.ts";
export { generatePhantom, type Phantom, type PhantomClass } from "@mammo/ml-core/src/phantoms/generate-phantom.ts";

export { setupBackend, BACKEND_NAMES, type BackendName, type BackendInfo } from "./backends/setup-backend.ts";

// Errors and randomness
export { MlCoreError, type MlCoreErrorCode } from "./errors/ml-core-error.ts";
export { SeededRng, type RngState } from "./random/seeded-rng.ts";

// Model, weights, artifacts
export {
  buildVgg16,
  VGG16_CONV_LAYERS,
  DEFAULT_GRADCAM_LAYER,
  type HeadKind,
  type Vgg16Options,
} from "./model/vgg16.ts";
export { createClassifier, type ClassifierOptions } from "./model/create-classifier.ts";
export { type ClassifierModel, type ModelMetadata } from "./model/model-metadata.ts";
export {
  classifierToBytes,
  classifierFromBytes,
  classifierToArtifacts,
  classifierFromArtifacts,
  saveClassifierToDirectory,
  loadClassifierFromDirectory,
  readTarFiles,
  tarFiles,
} from "./model/model-artifact.ts";
export { loadImagenetWeights, type ImagenetWeightsReport } from "./weights/imagenet-weights.ts";
export {
  readKerasH5Weights,
  vgg16ConvWeights,
  VGG16_CONV_SHAPES,
  type KerasWeightsFile,
  type NamedWeight,
} from "./weights/keras-h5.ts";
export { referenceExportFiles } from "./export/reference-files.ts";

// Data
export { type GreyImage, decodeGreyImage, encodeGreyPng } from "./data/grey-image.ts";
export {
  prepareGreyImage,
  preprocessImages,
  placementFor,
  stackPrepared,
  toModelInput,
  type PreparedImage,
  type Placement,
} from "./data/preprocess.ts";
export { prepareModelInput, toRgbValues, NORMALIZATIONS } from "./data/model-input.ts";
export {
  type PreprocessingSettings,
  type ResizeMode,
  type Resample,
  type Normalization,
  withPreprocessingDefaults,
} from "./data/preprocess-settings.ts";
export { preprocessingDocument, type PreprocessingDocument } from "./data/preprocessing-document.ts";
export { drawAugmentation, applyAugmentation, type AugmentationDraw } from "./data/augment.ts";
export { STUDY_AUGMENTATION, type AugmentationSettings } from "./data/augment-settings.ts";
export { balancedEpochIndices } from "./data/class-balance.ts";
export { stratifiedKFold, type FoldSplit } from "./data/folds.ts";

// Training and prediction
export {
  resolveTrainingParams,
  PRESET_NAMES,
  type PresetName,
  type TrainingParams,
  type TrainingOverrides,
} from "./train/presets.ts";
export { modelQualityFlags, type ModelFlag, type FlaggedMetrics } from "./train/model-flags.ts";
export { trainFold, type TrainFoldInput, type TrainFoldResult, type TrainingProgress } from "./train/train-fold.ts";
export { trainCrossValidation, crossValidationSplits, type CrossValidationInput } from "./train/cross-validate.ts";
export {
  encodeCheckpoint,
  decodeCheckpoint,
  type TrainingCheckpoint,
  type EpochSummary,
  type BestEpoch,
} from "./train/checkpoint.ts";
export { evaluatePrepared, type LabelledImage } from "./train/evaluate.ts";
export {
  predictClassifier,
  predictEnsemble,
  predictEnsemblePrepared,
  type EnsemblePrediction,
} from "./train/predict.ts";

// Explanations
export {
  gradCam,
  gradCamBatch,
  GRAD_CAM_SCORES,
  type GradCamMethod,
  type GradCamOptions,
  type GradCamScore,
} from "./explain/grad-cam.ts";
export { explainImage, explainEnsemble, type Explanation, type ExplanationSettings } from "./explain/explain-image.ts";
export { type Heatmap, resizeHeatmap, heatmapToSourceImage } from "./explain/heatmap.ts";
export { encodeHeatmapPng, decodeHeatmapPng, HEATMAP_PNG_SIZE } from "./explain/heatmap-png.ts";

// Saliency vs region
export { roiToMask, type Roi, type RegionMask } from "./metrics/roi-mask.ts";
export {
  chanceBaselines,
  peakOf,
  type ChanceBaselines,
  pointingGame,
  energyInside,
  iouAtThreshold,
  pixelAuc,
  saliencyRegionMetrics,
  type PointingResult,
  type SaliencyThreshold,
  type SaliencyRegionMetrics,
} from "./metrics/saliency-metrics.ts";

// Synthetic phantoms
export {
  generatePhantom,
  generatePhantomSet,
  PHANTOM_CLASSES,
  type Phantom,
  type PhantomClass,
  type PhantomOptions,
  type PhantomLesion,
} from "./phantoms/generate-phantom.ts";
export {
  runPhantomExperiment,
  type PhantomExperimentOptions,
  type PhantomExperimentResult,
} from "./phantoms/phantom-experiment.ts";

import type { PreprocessingSettings } from "../data/preprocess-settings.ts";
import { invalidArgument } from "../errors/ml-core-error.ts";
import { type ClassifierModel } from "./model-metadata.ts";
import { buildVgg16, type ConvInitializer, DEFAULT_GRADCAM_LAYER, type HeadKind } from "./vgg16.ts";

export type ClassifierOptions = {
  classNames: readonly string[];
  preprocessing: PreprocessingSettings;
  head: HeadKind;
  seed: number;
  denseUnits?: number;
  dropoutRate?: number;
  batchNormMomentum?: number;
  /** 1 = VGG-16; smaller only for fast tests and demos (see Vgg16Options.widthScale). */
  widthScale?: number;
  convInitializer?: ConvInitializer;
  training?: Record<string, unknown>;
};

/** A randomly initialised (seeded) VGG-16 classifier with its metadata. Input [batch, inputSize, inputSize, 3]; output [batch, classNames.length]. */
export function createClassifier(options: ClassifierOptions): ClassifierModel {
  const classNames = [...options.classNames];
  if (new Set(classNames).size !== classNames.length)
    throw invalidArgument("classNames", `must be distinct, got ${classNames.join(", ")}`);
  const model = buildVgg16({
    inputSize: options.preprocessing.inputSize,
    numClasses: classNames.length,
    head: options.head,
    seed: options.seed,
    denseUnits: options.denseUnits,
    dropoutRate: options.dropoutRate,
    batchNormMomentum: options.batchNormMomentum,
    widthScale: options.widthScale,
    convInitializer: options.convInitializer,
  });
  return {
    model,
    metadata: {
      format: "mammo-classifier",
      version: 1,
      architecture: "vgg16",
      head: options.head,
      classNames,
      preprocessing: { ...options.preprocessing },
      gradCamLayer: DEFAULT_GRADCAM_LAYER,
      ...(options.training ? { training: options.training } : {}),
    },
  };
}

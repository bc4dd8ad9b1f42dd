import type * as tf from "@tensorflow/tfjs";
import { MlCoreError } from "../errors/ml-core-error.ts";
import {
  assertPreprocessingSettings,
  type PreprocessingSettings,
  withPreprocessingDefaults,
} from "../data/preprocess-settings.ts";
import { type HeadKind } from "./vgg16.ts";

/** Travels inside every saved model (TF.js `userDefinedMetadata.mammo`), so inference uses the settings it was trained with. */
export type ModelMetadata = {
  format: "mammo-classifier";
  version: 1;
  architecture: "vgg16";
  head: HeadKind;
  /** Output index i is classNames[i]. */
  classNames: string[];
  preprocessing: PreprocessingSettings;
  /** Default layer for Grad-CAM. */
  gradCamLayer: string;
  /** The resolved training parameters and outcome (JSON), for the record. */
  training?: Record<string, unknown>;
};

/** A network together with the metadata that says how to feed it and read its output. */
export type ClassifierModel = { model: tf.LayersModel; metadata: ModelMetadata };

export const METADATA_KEY = "mammo";

export function assertModelMetadata(value: unknown, source: string): asserts value is ModelMetadata {
  const fail = (what: string) => new MlCoreError("ARTIFACT_INVALID", `${source}: ${what}`);
  if (typeof value !== "object" || value === null)
    throw fail("has no ml-core metadata (userDefinedMetadata.mammo); was it saved by ml-core?");
  const meta = value as Partial<ModelMetadata>;
  if (meta.format !== "mammo-classifier" || meta.version !== 1)
    throw fail(`metadata format ${String(meta.format)} v${String(meta.version)} is not mammo-classifier v1`);
  if (
    !Array.isArray(meta.classNames) ||
    meta.classNames.length < 2 ||
    meta.classNames.some((n) => typeof n !== "string")
  )
    throw fail("metadata.classNames must list at least two class names");
  if (!meta.preprocessing) throw fail("metadata.preprocessing is missing");
  // Models saved before the resampling filter and bit depth were recorded were fed the same way.
  meta.preprocessing = withPreprocessingDefaults(meta.preprocessing);
  try {
    assertPreprocessingSettings(meta.preprocessing);
  } catch (error) {
    throw fail(`metadata ${(error as Error).message}`);
  }
  if (typeof meta.gradCamLayer !== "string") throw fail("metadata.gradCamLayer is missing");
}

/** Checks that the network's input and output agree with its metadata. */
export function assertClassifierConsistent(classifier: ClassifierModel, source: string): void {
  const { model, metadata } = classifier;
  const inputShape = model.inputs[0]!.shape;
  const outputUnits = model.outputs[0]!.shape.at(-1);
  const size = metadata.preprocessing.inputSize;
  if (inputShape[1] !== size || inputShape[2] !== size || inputShape[3] !== 3) {
    throw new MlCoreError(
      "ARTIFACT_INVALID",
      `${source}: the network takes [${inputShape.join(", ")}] but its metadata says ${size}x${size}x3`,
    );
  }
  if (outputUnits !== metadata.classNames.length) {
    throw new MlCoreError(
      "ARTIFACT_INVALID",
      `${source}: the network has ${outputUnits} outputs but its metadata names ${metadata.classNames.length} classes`,
    );
  }
}

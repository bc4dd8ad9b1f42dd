import type { UnreadableImagePolicy } from "../config/trainer-config.ts";
import type { DatasetExample } from "../data/dataset-version.ts";
import type { ImageLoader } from "../data/image-loader.ts";
import { prepareImages, type SkippedImage } from "../data/prepare-examples.ts";
import { predictEnsemblePrepared, type ClassifierModel } from "../ml/ml-core.ts";
import { classificationMetrics, type ClassificationMetrics } from "./classification-metrics.ts";

export type EnsembleEvaluation = {
  /** The ensemble (sum of the models' softmax outputs). */
  ensemble: ClassificationMetrics;
  /** Each model alone, in the order given. */
  models: ClassificationMetrics[];
  skippedImages: SkippedImage[];
};

/**
 * Scores fold models and their ensemble on labelled images. The examples' labels must index the
 * models' class names (the caller maps them).
 */
export async function evaluateEnsemble(
  loadInput: ImageLoader,
  classifiers: readonly ClassifierModel[],
  examples: readonly DatasetExample[],
  policy: UnreadableImagePolicy,
): Promise<EnsembleEvaluation> {
  const { classNames, preprocessing } = classifiers[0]!.metadata;
  const { prepared, skipped } = await prepareImages(loadInput, examples, preprocessing, policy);
  const used = examples.filter((e) => prepared.has(e.imageId));
  const prediction = predictEnsemblePrepared(
    classifiers,
    used.map((e) => prepared.get(e.imageId)!),
  );
  const truth = used.map((e) => e.label);
  return {
    ensemble: classificationMetrics(classNames, truth, prediction.summed),
    models: prediction.perModel.map((p) => classificationMetrics(classNames, truth, p)),
    skippedImages: skipped,
  };
}

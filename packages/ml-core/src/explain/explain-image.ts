import * as tf from "@tensorflow/tfjs";
import { type GreyImage } from "../data/grey-image.ts";
import { type PreparedImage, prepareGreyImage, stackPrepared, toModelInput } from "../data/preprocess.ts";
import { invalidArgument } from "../errors/ml-core-error.ts";
import { type ClassifierModel } from "../model/model-metadata.ts";
import { argMax } from "../train/evaluate.ts";
import { applyHead, camFromFeatures, featureMaps, type GradCamMethod, type GradCamScore } from "./grad-cam.ts";
import { type Heatmap, heatmapToSourceImage } from "./heatmap.ts";

/** What a heatmap shows: recorded with every stored map. */
export type ExplanationSettings = { layerName: string; method: GradCamMethod; score: GradCamScore };

export type Explanation = ExplanationSettings & {
  /** At the source image's size (padding removed, resize undone), 0..1. */
  heatmap: Heatmap;
  classIndex: number;
  className: string;
  probabilities: number[];
};

type Options = { classIndex?: number; layerName?: string; method?: GradCamMethod; score?: GradCamScore };

/**
 * Grad-CAM (or ++) of a grey image for `classIndex` (default: the predicted class), preprocessed
 * with the classifier's own settings, at the layer from its metadata unless one is named.
 */
export function explainImage(classifier: ClassifierModel, image: GreyImage, options: Options = {}): Explanation {
  const prepared = prepareGreyImage(image, classifier.metadata.preprocessing);
  const [explanation] = explainEnsemble([classifier], [prepared], {
    ...options,
    classIndices: options.classIndex === undefined ? undefined : [options.classIndex],
  });
  return explanation!;
}

/**
 * The ensemble's probabilities (the mean of the models' softmax outputs) and heatmaps of a batch of
 * prepared images, e.g. the views of one case: one pass through the convolutions per model and
 * image, the gradient through the head only. Each image's map is for `classIndices[i]` (default:
 * the ensemble's predicted class): every model's Grad-CAM (0..1), averaged, then scaled so its
 * maximum is 1 again, like each model's own map.
 */
export function explainEnsemble(
  classifiers: readonly ClassifierModel[],
  images: readonly PreparedImage[],
  options: Omit<Options, "classIndex"> & { classIndices?: ReadonlyArray<number | null> } = {},
): Explanation[] {
  if (classifiers.length === 0) throw invalidArgument("classifiers", "is empty");
  if (images.length === 0) return [];
  const { metadata } = classifiers[0]!;
  const settings: ExplanationSettings = {
    layerName: options.layerName ?? metadata.gradCamLayer,
    method: options.method ?? "gradcam",
    score: options.score ?? "logit",
  };
  const size = images[0]!.size;
  const input = tf.tidy(() => toModelInput(stackPrepared(images), metadata.preprocessing.normalization));
  const passes = classifiers.map((c) => featureMaps(c.model, input, settings.layerName));
  try {
    const probabilities = images.map(() => metadata.classNames.map(() => 0));
    for (const { maps, head } of passes) {
      const out = tf.tidy(() => applyHead(head, maps).arraySync());
      out.forEach((row, i) => row.forEach((p, k) => (probabilities[i]![k]! += p / classifiers.length)));
    }
    const classIndices = probabilities.map((p, i) => options.classIndices?.[i] ?? argMax(p));
    const summed = tf.tidy(() =>
      tf.addN(
        passes.map(({ maps, head }) =>
          camFromFeatures(head, maps, classIndices, { ...settings, height: size, width: size }),
        ),
      ),
    );
    const data = summed.dataSync() as Float32Array;
    summed.dispose();
    return images.map((image, i) => {
      const map = data.slice(i * size * size, (i + 1) * size * size);
      const max = map.reduce((m, v) => Math.max(m, v), 0);
      if (max > 0) for (let j = 0; j < map.length; j++) map[j]! /= max;
      return {
        ...settings,
        heatmap: heatmapToSourceImage({ width: size, height: size, data: map }, image.placement),
        classIndex: classIndices[i]!,
        className: metadata.classNames[classIndices[i]!]!,
        probabilities: probabilities[i]!,
      };
    });
  } finally {
    input.dispose();
    for (const { maps } of passes) maps.dispose();
  }
}

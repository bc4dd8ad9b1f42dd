import * as tf from "@tensorflow/tfjs";
import { type GreyImage } from "../data/grey-image.ts";
import { preprocessImages } from "../data/preprocess.ts";
import { invalidArgument } from "../errors/ml-core-error.ts";
import { type ClassifierModel } from "../model/model-metadata.ts";
import { argMax } from "./evaluate.ts";

/** Softmax outputs [images][classes], each image preprocessed with the classifier's own settings. */
export function predictClassifier(
  classifier: ClassifierModel,
  images: readonly GreyImage[],
  batchSize = 8,
): number[][] {
  const out: number[][] = [];
  for (let start = 0; start < images.length; start += batchSize) {
    const input = preprocessImages(images.slice(start, start + batchSize), classifier.metadata.preprocessing);
    try {
      out.push(...tf.tidy(() => (classifier.model.predict(input) as tf.Tensor2D).arraySync()));
    } finally {
      input.dispose();
    }
  }
  return out;
}

export type EnsemblePrediction = {
  classNames: string[];
  /** Per image, the fold models' softmax outputs summed (the study's ensemble). */
  summed: number[][];
  /** Per image, argmax of `summed`. */
  predicted: number[];
  /** perModel[m][image][class]. */
  perModel: number[][][];
};

/** The cross-validation ensemble: sum of the fold models' softmax outputs, then argmax. Models must share class names and order. */
export function predictEnsemble(
  classifiers: readonly ClassifierModel[],
  images: readonly GreyImage[],
): EnsemblePrediction {
  if (classifiers.length === 0) throw invalidArgument("classifiers", "is empty");
  const classNames = classifiers[0]!.metadata.classNames;
  classifiers.forEach((c, i) => {
    if (c.metadata.classNames.join("\u0000") !== classNames.join("\u0000")) {
      throw invalidArgument(
        "classifiers",
        `model ${i} has classes ${c.metadata.classNames.join(", ")}, model 0 has ${classNames.join(", ")}`,
      );
    }
  });
  const perModel = classifiers.map((c) => predictClassifier(c, images));
  const summed = images.map((_, i) => classNames.map((__, k) => perModel.reduce((sum, p) => sum + p[i]![k]!, 0)));
  return { classNames: [...classNames], summed, predicted: summed.map(argMax), perModel };
}

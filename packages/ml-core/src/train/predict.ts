import { type GreyImage } from "../data/grey-image.ts";
import { type PreparedImage, prepareGreyImage } from "../data/preprocess.ts";
import { invalidArgument } from "../errors/ml-core-error.ts";
import { type ClassifierModel } from "../model/model-metadata.ts";
import { argMax, predictPrepared } from "./evaluate.ts";

/** Softmax outputs [images][classes], each image preprocessed with the classifier's own settings. */
export function predictClassifier(
  classifier: ClassifierModel,
  images: readonly GreyImage[],
  batchSize = 8,
): number[][] {
  const { preprocessing } = classifier.metadata;
  const prepared = images.map((image) => prepareGreyImage(image, preprocessing));
  return predictPrepared(classifier.model, prepared, preprocessing.normalization, batchSize);
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

/** The models' class names, which must agree (name and order). */
function sharedClassNames(classifiers: readonly ClassifierModel[]): string[] {
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
  return [...classNames];
}

function combine(classNames: string[], perModel: number[][][]): EnsemblePrediction {
  const summed = (perModel[0] ?? []).map((_, i) =>
    classNames.map((__, k) => perModel.reduce((sum, p) => sum + p[i]![k]!, 0)),
  );
  return { classNames, summed, predicted: summed.map(argMax), perModel };
}

/**
 * The cross-validation ensemble: sum of the fold models' softmax outputs, then argmax. Models must
 * share class names and order; each model is fed with its own preprocessing.
 */
export function predictEnsemble(
  classifiers: readonly ClassifierModel[],
  images: readonly GreyImage[],
): EnsemblePrediction {
  const classNames = sharedClassNames(classifiers);
  return combine(
    classNames,
    classifiers.map((c) => predictClassifier(c, images)),
  );
}

/** predictEnsemble on images already prepared with the models' preprocessing settings (which must then be the same). */
export function predictEnsemblePrepared(
  classifiers: readonly ClassifierModel[],
  images: readonly PreparedImage[],
): EnsemblePrediction {
  const classNames = sharedClassNames(classifiers);
  const settings = JSON.stringify(classifiers[0]!.metadata.preprocessing);
  classifiers.forEach((c, i) => {
    if (JSON.stringify(c.metadata.preprocessing) !== settings)
      throw invalidArgument("classifiers", `model ${i} is preprocessed differently from model 0`);
  });
  const { normalization } = classifiers[0]!.metadata.preprocessing;
  return combine(
    classNames,
    classifiers.map((c) => predictPrepared(c.model, images, normalization)),
  );
}

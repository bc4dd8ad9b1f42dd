import type { DatasetSplit, DatasetUnit, Db } from "@mammo/db";
import { badInput, TrainerError } from "../errors/trainer-error.ts";
import { crossValidationSplits, type TrainingParams } from "../ml/ml-core.ts";
import { storedImageSelect, type StoredImage } from "./image-loader.ts";

export type DatasetExample = {
  imageId: string;
  caseId: string;
  /** The units (findings, breasts, the image itself, or the case) this image is an item of. */
  unitIds: string[];
  patientId: string;
  subtype: string;
  /** Index into the version's classNames. */
  label: number;
  split: DatasetSplit;
  fold: number | null;
  image: StoredImage & { accessionKey: string };
};

export type LoadedDatasetVersion = {
  id: string;
  version: number;
  digest: string;
  foldCount: number;
  unit: DatasetUnit;
  classNames: string[];
  datasetName: string;
  siteId: string;
  /** One per image, sorted by image id: the same order on every machine. */
  examples: DatasetExample[];
};

/**
 * A frozen dataset version with its items and their images. The model learns per image: an image
 * that is an item of several units (a breast's image under two findings of one class, at the
 * FINDING unit) is one example; its items must agree on the label, split and fold.
 */
export async function loadDatasetVersion(db: Db, datasetVersionId: string): Promise<LoadedDatasetVersion> {
  const version = await db.datasetVersion.findUnique({
    where: { id: datasetVersionId },
    include: {
      dataset: { select: { name: true, siteId: true } },
      items: {
        include: { image: { select: { ...storedImageSelect, case: { select: { accessionKey: true } } } } },
        orderBy: [{ imageId: "asc" }, { unitId: "asc" }],
      },
    },
  });
  if (!version) throw new TrainerError("NOT_FOUND", `dataset version ${datasetVersionId} does not exist`);
  const byImage = new Map<string, DatasetExample>();
  for (const item of version.items) {
    const seen = byImage.get(item.imageId);
    if (seen) {
      if (seen.subtype !== item.subtype || seen.split !== item.split || seen.fold !== item.fold)
        throw badInput(
          `dataset version ${version.version}: image ${item.imageId} is an item of two units with different labels or splits (${seen.subtype} ${seen.split}, ${item.subtype} ${item.split}); a model cannot learn both`,
        );
      seen.unitIds.push(item.unitId);
      continue;
    }
    const label = version.classNames.indexOf(item.subtype);
    if (label < 0)
      throw badInput(
        `dataset version ${version.version}: image ${item.imageId} is labelled ${item.subtype}, which is not one of its classes (${version.classNames.join(", ")})`,
      );
    const { case: c, ...image } = item.image;
    byImage.set(item.imageId, {
      imageId: item.imageId,
      caseId: item.caseId,
      unitIds: [item.unitId],
      patientId: item.patientId,
      subtype: item.subtype,
      label,
      split: item.split,
      fold: item.fold,
      image: { ...image, accessionKey: c.accessionKey },
    });
  }
  const examples = [...byImage.values()];
  return {
    id: version.id,
    version: version.version,
    digest: version.digest,
    foldCount: version.foldCount,
    unit: version.unit,
    classNames: version.classNames,
    datasetName: version.dataset.name,
    siteId: version.dataset.siteId,
    examples,
  };
}

const countByClass = (classNames: readonly string[], examples: readonly DatasetExample[]) =>
  classNames.map((_, k) => examples.filter((e) => e.label === k).length);

/** The items a run learns from: TRAIN and VALIDATION when it cross-validates, TRAIN alone otherwise. */
export function developmentExamples(dataset: LoadedDatasetVersion, params: TrainingParams): DatasetExample[] {
  return dataset.examples.filter((e) => e.split === "TRAIN" || (params.folds > 1 && e.split === "VALIDATION"));
}

export const testExamples = (dataset: LoadedDatasetVersion) => dataset.examples.filter((e) => e.split === "TEST");

/**
 * Refuses, with a reason a person can act on, a dataset version a run cannot learn from or be
 * measured on: fewer than two classes, an empty split, a class absent from the training or test
 * data, or too few patients for the folds.
 */
export function assertTrainable(dataset: LoadedDatasetVersion, params: TrainingParams): void {
  const name = `dataset version ${dataset.version} of "${dataset.datasetName}"`;
  const { classNames } = dataset;
  const present = classNames.filter((_, k) => dataset.examples.some((e) => e.label === k));
  if (classNames.length < 2 || present.length < 2) {
    throw badInput(
      `${name} has ${present.length === 1 ? `only one class (${present[0]})` : "no labelled images"}; a classifier needs at least two classes: freeze a version that includes cases of two or more subtypes`,
    );
  }
  const development = developmentExamples(dataset, params);
  const developmentName = params.folds > 1 ? "development data (TRAIN and VALIDATION splits)" : "TRAIN split";
  if (development.length === 0)
    throw badInput(`the ${developmentName} of ${name} is empty: freeze a version with a training fraction above 0`);
  const test = testExamples(dataset);
  if (test.length === 0)
    throw badInput(
      `the TEST split of ${name} is empty; the model's metrics are measured on it: freeze a version with a test fraction above 0`,
    );
  const inTraining = countByClass(classNames, development);
  const inTest = countByClass(classNames, test);
  classNames.forEach((className, k) => {
    if (inTraining[k] === 0)
      throw badInput(
        `class ${className} has no image in the ${developmentName} of ${name}: the model could never learn it; add ${className} cases or freeze a version without that class`,
      );
    if (inTest[k] === 0)
      throw badInput(
        `class ${className} has no image in the TEST split of ${name}: its recall, F1 and AUC could not be measured; freeze a version with more ${className} cases or a larger test fraction`,
      );
  });
  if (params.folds > 1) {
    const patients = new Set(development.map((e) => e.patientId)).size;
    if (patients < params.folds)
      throw badInput(
        `${params.folds}-fold cross-validation needs at least ${params.folds} patients in the ${developmentName} of ${name}, it has ${patients}: use fewer folds`,
      );
  }
}

export type FoldPart = { fold: number; train: DatasetExample[]; validation: DatasetExample[] };

/**
 * The training and validation part of each fold. Without cross-validation: TRAIN and VALIDATION.
 * With it: the dataset version's own frozen folds (by patient) when it has as many as the run
 * asks for, otherwise ml-core's stratified folds grouped by patient. The same on every machine.
 */
export function foldParts(
  dataset: LoadedDatasetVersion,
  params: TrainingParams,
  usable: (e: DatasetExample) => boolean = () => true,
): FoldPart[] {
  if (params.folds === 1) {
    return [
      {
        fold: 0,
        train: dataset.examples.filter((e) => e.split === "TRAIN" && usable(e)),
        validation: dataset.examples.filter((e) => e.split === "VALIDATION" && usable(e)),
      },
    ];
  }
  const development = developmentExamples(dataset, params).filter(usable);
  const frozenFolds =
    dataset.foldCount === params.folds && development.every((e) => e.fold !== null && e.fold < params.folds);
  const parts: FoldPart[] = frozenFolds
    ? Array.from({ length: params.folds }, (_, fold) => ({
        fold,
        train: development.filter((e) => e.fold !== fold),
        validation: development.filter((e) => e.fold === fold),
      }))
    : crossValidationSplits(
        params,
        development.map((e) => e.label),
        development.map((e) => e.patientId),
      ).map((s) => ({
        fold: s.fold,
        train: s.trainIndices.map((i) => development[i]!),
        validation: s.validationIndices.map((i) => development[i]!),
      }));
  for (const part of parts) {
    const counts = countByClass(dataset.classNames, part.train);
    const missing = dataset.classNames.filter((_, k) => counts[k] === 0);
    if (missing.length > 0)
      throw badInput(
        `fold ${part.fold + 1} of ${params.folds} has no ${missing.join(", ")} image to train on: there are too few such patients for ${params.folds}-fold cross-validation; add cases or use fewer folds`,
      );
  }
  return parts;
}

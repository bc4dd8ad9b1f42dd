import { type FoldSplit, stratifiedKFold } from "../data/folds.ts";
import { SeededRng } from "../random/seeded-rng.ts";
import { type LabelledImage } from "./evaluate.ts";
import { type TrainingParams } from "./presets.ts";
import { trainFold, type TrainFoldInput, type TrainFoldResult } from "./train-fold.ts";

export type CrossValidationInput = Pick<TrainFoldInput, "onProgress" | "onCheckpoint" | "shouldStop"> & {
  params: TrainingParams;
  classNames: readonly string[];
  examples: readonly LabelledImage[];
  /** e.g. patient ids: a group never spans training and validation. */
  groups?: readonly string[];
};

/** The folds of a run, as trainCrossValidation draws them (so a worker can train one fold at a time). */
export function crossValidationSplits(
  params: TrainingParams,
  labels: readonly number[],
  groups?: readonly string[],
): FoldSplit[] {
  if (params.folds === 1) return [{ fold: 0, trainIndices: labels.map((_, i) => i), validationIndices: [] }];
  return stratifiedKFold(labels, params.folds, SeededRng.fromSeed(`${params.seed}/folds`), groups);
}

/**
 * Trains every fold in turn (params.folds; 1 = all examples, no validation, the last epoch kept).
 * Stops early (status "stopped") when a fold is stopped. The caller disposes the classifiers.
 */
export async function trainCrossValidation(
  input: CrossValidationInput,
): Promise<{ splits: FoldSplit[]; folds: TrainFoldResult[] }> {
  const splits = crossValidationSplits(
    input.params,
    input.examples.map((e) => e.label),
    input.groups,
  );
  const folds: TrainFoldResult[] = [];
  for (const split of splits) {
    const result = await trainFold({
      ...input,
      fold: split.fold,
      train: split.trainIndices.map((i) => input.examples[i]!),
      validation: split.validationIndices.map((i) => input.examples[i]!),
    });
    folds.push(result);
    if (result.status === "stopped") break;
  }
  return { splits, folds };
}

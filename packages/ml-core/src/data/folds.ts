import { invalidArgument } from "../errors/ml-core-error.ts";
import { type SeededRng } from "../random/seeded-rng.ts";

export type FoldSplit = { fold: number; trainIndices: number[]; validationIndices: number[] };

/**
 * Stratified k-fold split for cross-validation (the study: 4 folds of the development set).
 * `groups` (e.g. patient ids) keeps every group in one fold, so no patient is in both the training
 * and validation part; a group is stratified by its first item's label. Returns k splits whose
 * validation parts partition all indices.
 */
export function stratifiedKFold(
  labels: readonly number[],
  k: number,
  rng: SeededRng,
  groups?: readonly string[],
): FoldSplit[] {
  if (!Number.isInteger(k) || k < 2) throw invalidArgument("folds", `must be an integer of at least 2, got ${k}`);
  if (groups && groups.length !== labels.length)
    throw invalidArgument("groups", `has ${groups.length} entries for ${labels.length} labels`);
  const members = new Map<string, number[]>();
  labels.forEach((_, index) => {
    const key = groups ? groups[index]! : `#${index}`;
    members.set(key, [...(members.get(key) ?? []), index]);
  });
  if (members.size < k)
    throw invalidArgument("folds", `${k} folds need at least ${k} ${groups ? "groups" : "items"}, got ${members.size}`);

  const groupsByLabel = new Map<number, string[]>();
  for (const [key, indices] of members) {
    const label = labels[indices[0]!]!;
    groupsByLabel.set(label, [...(groupsByLabel.get(label) ?? []), key]);
  }
  const foldSizes = new Array<number>(k).fill(0);
  const foldOf = new Map<string, number>();
  for (const label of [...groupsByLabel.keys()].sort((a, b) => a - b)) {
    // Deal this class's groups round-robin, starting where the folds are smallest.
    const order = foldSizes
      .map((size, fold) => ({ size, fold }))
      .sort((a, b) => a.size - b.size || a.fold - b.fold)
      .map((f) => f.fold);
    rng.shuffle(groupsByLabel.get(label)!).forEach((key, i) => {
      const fold = order[i % k]!;
      foldOf.set(key, fold);
      foldSizes[fold]! += members.get(key)!.length;
    });
  }
  return Array.from({ length: k }, (_, fold) => {
    const validationIndices: number[] = [];
    const trainIndices: number[] = [];
    labels.forEach((_, index) => {
      const key = groups ? groups[index]! : `#${index}`;
      (foldOf.get(key) === fold ? validationIndices : trainIndices).push(index);
    });
    return { fold, trainIndices, validationIndices };
  });
}

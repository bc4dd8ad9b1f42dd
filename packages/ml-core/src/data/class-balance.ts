import { invalidArgument } from "../errors/ml-core-error.ts";
import { type SeededRng } from "../random/seeded-rng.ts";

/**
 * One epoch's sample, as the study's reference code draws it: every class down-sampled at random
 * (without replacement) to the size of the smallest class, then shuffled. A new draw each epoch,
 * so over many epochs the larger classes are all seen. Returns indices into `labels`.
 */
export function balancedEpochIndices(labels: readonly number[], rng: SeededRng): number[] {
  const byClass = new Map<number, number[]>();
  labels.forEach((label, index) => {
    if (!Number.isInteger(label) || label < 0)
      throw invalidArgument("labels", `label ${label} at ${index} is not a class index`);
    byClass.set(label, [...(byClass.get(label) ?? []), index]);
  });
  if (byClass.size === 0) throw invalidArgument("labels", "is empty");
  const smallest = Math.min(...[...byClass.values()].map((members) => members.length));
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const chosen = classes.flatMap((label) => rng.shuffle(byClass.get(label)!).slice(0, smallest));
  return rng.shuffle(chosen);
}

/** All indices, shuffled: the epoch sample when class balancing is off. */
export function shuffledEpochIndices(count: number, rng: SeededRng): number[] {
  return rng.shuffle(Array.from({ length: count }, (_, i) => i));
}

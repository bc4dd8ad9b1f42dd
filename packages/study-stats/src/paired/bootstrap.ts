import { invalidInput, requireConfidence } from "../util/errors.ts";
import { compareStrings } from "../util/math.ts";
import { randomIndex, seededRandom } from "../util/random.ts";

/** A case scored for two raters, with the stratum (the truth class) to resample within. */
export type StratifiedPairedCase = { caseId: string; stratum: string; firstCorrect: boolean; secondCorrect: boolean };

export type AccuracyDifferenceResult = {
  firstAccuracy: number;
  secondAccuracy: number;
  /** firstAccuracy − secondAccuracy. */
  difference: number;
  lower: number;
  upper: number;
  confidence: number;
  replicates: number;
  seed: number;
};

/** Linear-interpolation quantile of sorted values (R's type 7). */
function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/**
 * Difference in accuracy between two raters on the same cases with a percentile bootstrap
 * interval (Efron & Tibshirani 1993, ch. 13): cases are resampled with replacement within each
 * stratum (the truth class), keeping every class's size, so the class mix stays that of the
 * study. Deterministic for a seed: cases are put in caseId order before resampling, so the
 * result does not depend on the order they were given in.
 */
export function bootstrapAccuracyDifference(
  cases: readonly StratifiedPairedCase[],
  options: { replicates?: number; confidence?: number; seed?: number } = {},
): AccuracyDifferenceResult {
  const replicates = options.replicates ?? 2000;
  const confidence = options.confidence ?? 0.95;
  const seed = options.seed ?? 20200101;
  requireConfidence(confidence);
  if (!Number.isInteger(replicates) || replicates < 100)
    throw invalidInput(`use at least 100 bootstrap replicates, got ${replicates}`);
  if (cases.length === 0) throw invalidInput("no cases to compare");
  const sorted = [...cases].sort((x, y) => compareStrings(x.caseId, y.caseId));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.caseId === sorted[i - 1]!.caseId) throw invalidInput(`case ${sorted[i]!.caseId} appears twice`);
  }
  // Each case as its paired difference (+1, 0, -1), grouped by stratum in a fixed order: the
  // replicates below are tight loops (2000 replicates of a 1000-case study per reader and phase).
  const strata = new Map<string, number[]>();
  for (const c of sorted) {
    const d = Number(c.firstCorrect) - Number(c.secondCorrect);
    const stratum = strata.get(c.stratum);
    if (stratum) stratum.push(d);
    else strata.set(c.stratum, [d]);
  }
  const strataList = [...strata.keys()].sort(compareStrings).map((k) => Int8Array.from(strata.get(k)!));
  const n = sorted.length;
  const firstAccuracy = sorted.filter((c) => c.firstCorrect).length / n;
  const secondAccuracy = sorted.filter((c) => c.secondCorrect).length / n;
  const random = seededRandom(seed);
  const diffs = new Float64Array(replicates);
  for (let r = 0; r < replicates; r++) {
    let d = 0;
    for (const stratum of strataList)
      for (let i = 0; i < stratum.length; i++) d += stratum[randomIndex(random, stratum.length)]!;
    diffs[r] = d / n;
  }
  diffs.sort();
  const alpha = 1 - confidence;
  return {
    firstAccuracy,
    secondAccuracy,
    difference: firstAccuracy - secondAccuracy,
    lower: quantileSorted(diffs, alpha / 2),
    upper: quantileSorted(diffs, 1 - alpha / 2),
    confidence,
    replicates,
    seed,
  };
}

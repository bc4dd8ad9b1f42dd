import { normalQuantile, twoSidedNormalP } from "../distributions/distributions.ts";
import { invalidInput, requireConfidence } from "../util/errors.ts";
import { sampleCovariance } from "../util/math.ts";

/**
 * Structural components of the empirical (Mann-Whitney) AUC for one score set (DeLong, DeLong &
 * Clarke-Pearson, Biometrics 1988;44:837-845): V10[i] is, for positive case i, the fraction of
 * negatives it outranks (ties count one half); V01[j] is, for negative case j, the fraction of
 * positives that outrank it. AUC = mean(V10) = mean(V01).
 */
export type StructuralComponents = { auc: number; v10: number[]; v01: number[] };

export type BinaryTruth = readonly boolean[];

function assertScores(scores: readonly number[], truth: BinaryTruth): { positives: number[]; negatives: number[] } {
  if (scores.length !== truth.length) throw invalidInput(`got ${scores.length} scores for ${truth.length} cases`);
  const positives: number[] = [];
  const negatives: number[] = [];
  scores.forEach((s, i) => {
    if (!Number.isFinite(s)) throw invalidInput(`case ${i}: score must be a finite number, got ${s}`);
    (truth[i] ? positives : negatives).push(s);
  });
  if (positives.length === 0 || negatives.length === 0) {
    throw invalidInput(
      `an AUC needs positive and negative cases, got ${positives.length} positive and ${negatives.length} negative`,
    );
  }
  return { positives, negatives };
}

/** Number of values in sorted `xs` strictly below v and equal to v (binary search). */
function countBelowAndEqual(sorted: readonly number[], v: number): [number, number] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  const below = lo;
  hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= v) lo = mid + 1;
    else hi = mid;
  }
  return [below, lo - below];
}

/** O(N log N) structural components; higher score = more likely positive. */
export function structuralComponents(scores: readonly number[], truth: BinaryTruth): StructuralComponents {
  const { positives, negatives } = assertScores(scores, truth);
  const sortedNeg = [...negatives].sort((a, b) => a - b);
  const sortedPos = [...positives].sort((a, b) => a - b);
  const m = positives.length;
  const n = negatives.length;
  const v10 = positives.map((x) => {
    const [below, equal] = countBelowAndEqual(sortedNeg, x);
    return (below + equal / 2) / n;
  });
  const v01 = negatives.map((y) => {
    const [below, equal] = countBelowAndEqual(sortedPos, y);
    return (m - below - equal + equal / 2) / m;
  });
  const auc = v10.reduce((a, b) => a + b, 0) / m;
  return { auc, v10, v01 };
}

/** Empirical AUC (the Mann-Whitney U statistic divided by m·n). */
export function empiricalAuc(scores: readonly number[], truth: BinaryTruth): number {
  return structuralComponents(scores, truth).auc;
}

/**
 * DeLong covariance matrix of the AUCs of several score sets on the same cases:
 * S = S10/m + S01/n, S10 and S01 the sample covariance matrices (divisor m−1, n−1) of the
 * structural components. Shapes: scoreSets [sets][cases], truth [cases].
 */
export function delongCovariance(
  scoreSets: readonly (readonly number[])[],
  truth: BinaryTruth,
): { aucs: number[]; covariance: number[][] } {
  const comps = scoreSets.map((s) => structuralComponents(s, truth));
  const m = comps[0]!.v10.length;
  const n = comps[0]!.v01.length;
  if (m < 2 || n < 2) throw invalidInput("DeLong variance needs at least 2 positive and 2 negative cases");
  const covariance = comps.map((a) =>
    comps.map((b) => sampleCovariance(a.v10, b.v10) / m + sampleCovariance(a.v01, b.v01) / n),
  );
  return { aucs: comps.map((c) => c.auc), covariance };
}

export type AucEstimate = {
  auc: number;
  variance: number;
  standardError: number;
  lower: number;
  upper: number;
  confidence: number;
  positives: number;
  negatives: number;
};

/** Empirical AUC with the DeLong variance and a normal interval clipped to [0, 1] (as pROC::ci.auc). */
export function aucWithDelong(
  scores: readonly number[],
  truth: BinaryTruth,
  options: { confidence?: number } = {},
): AucEstimate {
  const confidence = options.confidence ?? 0.95;
  requireConfidence(confidence);
  const { aucs, covariance } = delongCovariance([scores], truth);
  const auc = aucs[0]!;
  const variance = covariance[0]![0]!;
  const se = Math.sqrt(variance);
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const positives = truth.filter(Boolean).length;
  return {
    auc,
    variance,
    standardError: se,
    lower: Math.max(0, auc - z * se),
    upper: Math.min(1, auc + z * se),
    confidence,
    positives,
    negatives: truth.length - positives,
  };
}

export type PairedDelongResult = {
  aucFirst: number;
  aucSecond: number;
  /** aucFirst − aucSecond. */
  difference: number;
  variance: number;
  standardError: number;
  z: number;
  pValue: number;
  lower: number;
  upper: number;
  confidence: number;
};

/**
 * DeLong's test of two correlated AUCs (two score sets on the same cases), two-sided, with the
 * normal interval of the difference; as pROC::roc.test(method = "delong", paired = TRUE).
 */
export function delongPairedTest(
  first: readonly number[],
  second: readonly number[],
  truth: BinaryTruth,
  options: { confidence?: number } = {},
): PairedDelongResult {
  const confidence = options.confidence ?? 0.95;
  requireConfidence(confidence);
  if (first.length !== second.length) throw invalidInput("the two score sets must score the same cases");
  const { aucs, covariance } = delongCovariance([first, second], truth);
  const difference = aucs[0]! - aucs[1]!;
  const variance = Math.max(0, covariance[0]![0]! + covariance[1]![1]! - 2 * covariance[0]![1]!);
  const se = Math.sqrt(variance);
  const z = se > 0 ? difference / se : 0;
  const crit = normalQuantile(1 - (1 - confidence) / 2);
  return {
    aucFirst: aucs[0]!,
    aucSecond: aucs[1]!,
    difference,
    variance,
    standardError: se,
    z,
    pValue: se > 0 ? twoSidedNormalP(z) : 1,
    lower: difference - crit * se,
    upper: difference + crit * se,
    confidence,
  };
}

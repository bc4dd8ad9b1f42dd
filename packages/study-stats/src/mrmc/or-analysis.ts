import {
  chiSquareCdf,
  fCdf,
  normalQuantile,
  tQuantile,
  twoSidedNormalP,
  twoSidedTP,
} from "../distributions/distributions.ts";
import { requireConfidence, StudyStatsError } from "../util/errors.ts";
import { mean } from "../util/math.ts";
import { type CovarianceMethod, fomCovariance, type MrmcDataset } from "./mrmc-dataset.ts";

/**
 * Obuchowski-Rockette variance components (Obuchowski & Rockette 1995; Hillis et al., Stat Med
 * 2005;24:1579-1607): Var, Cov1 (same reader, different arms), Cov2 (different readers, same
 * arm), Cov3 (different readers and arms), the mean squares of the arm × reader ANOVA of the
 * AUCs, and the reader and arm × reader variances derived from them.
 */
export type OrVarianceComponents = {
  varError: number;
  cov1: number;
  cov2: number;
  cov3: number;
  varR: number;
  varTR: number;
  msT: number;
  msR: number;
  msTR: number;
  /** Cases in the study the covariances were estimated on (needed to rescale for sample size). */
  cases: number;
};

/** A pairwise difference of reader-averaged AUCs between two arms. */
export type ArmDifference = {
  first: string;
  second: string;
  /** mean AUC(first) − mean AUC(second). */
  difference: number;
  standardError: number;
  /** Degrees of freedom of the t statistic; null where a z statistic is used (normal reference). */
  df: number | null;
  statistic: number;
  pValue: number;
  lower: number;
  upper: number;
};

/** The reader-averaged AUC of one arm with its interval. */
export type ArmEstimate = {
  modality: string;
  estimate: number;
  standardError: number;
  df: number | null;
  lower: number;
  upper: number;
};

export type OrTest = {
  /** F statistic (chi-square / (I−1) for fixed readers), numerator and denominator df (null = ∞). */
  f: number;
  ndf: number;
  ddf: number | null;
  pValue: number;
  differences: ArmDifference[];
  arms: ArmEstimate[];
};

export type OrAnalysisResult = {
  modalities: string[];
  readers: string[];
  covarianceMethod: CovarianceMethod;
  confidence: number;
  /** AUC per arm and reader, [I][J]. */
  foms: number[][];
  armMeans: number[];
  varianceComponents: OrVarianceComponents;
  /** Random readers and random cases, Hillis' ddf (Hillis 2007). */
  randomReadersRandomCases: OrTest;
  /** Fixed readers, random cases: chi-square test (reported as F = X²/(I−1), ddf = Infinity). */
  fixedReadersRandomCases: OrTest & {
    chiSquare: number;
    /** Per-reader arm differences, [reader][pair]. */
    readerDifferences: { reader: string; differences: ArmDifference[] }[];
  };
  /** Random readers, fixed cases: the arm × reader ANOVA of the AUCs. */
  randomReadersFixedCases: OrTest;
};

function pairs(I: number): [number, number][] {
  const out: [number, number][] = [];
  for (let a = 0; a < I; a++) for (let b = a + 1; b < I; b++) out.push([a, b]);
  return out;
}

/** num/den where a zero denominator (no variability left) gives 0 for a zero numerator, else ∞. */
function ratio(num: number, den: number): number {
  if (den > 0) return num / den;
  return num === 0 ? 0 : Infinity;
}

/** Hillis-type df (den² / (ms² / df0)); ∞ when the mean square is 0. */
function satterthwaite(den: number, ms: number, df0: number): number {
  return ms > 0 ? (den * den) / ((ms * ms) / df0) : Infinity;
}

/** Infinite df are reported as null (normal / chi-square reference), which JSON can carry. */
function dfOut(df: number): number | null {
  return Number.isFinite(df) ? df : null;
}

/** Mean of covariance entries over (i, j), (i', j') pairs selected by `keep`. */
function meanCov(
  cov: number[][],
  I: number,
  J: number,
  keep: (i: number, j: number, i2: number, j2: number) => boolean,
): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < I; i++)
    for (let j = 0; j < J; j++)
      for (let i2 = 0; i2 < I; i2++)
        for (let j2 = 0; j2 < J; j2++) {
          if (!keep(i, j, i2, j2)) continue;
          sum += cov[i * J + j]![i2 * J + j2]!;
          count++;
        }
  return count ? sum / count : 0;
}

/** OR components from AUCs [I][J] and their covariance matrix (index i·J + j). */
export function orVarianceComponents(foms: number[][], covariance: number[][], cases: number): OrVarianceComponents {
  const I = foms.length;
  const J = foms[0]!.length;
  const varError = meanCov(covariance, I, J, (i, j, i2, j2) => i === i2 && j === j2);
  const cov1 = meanCov(covariance, I, J, (i, j, i2, j2) => i !== i2 && j === j2);
  const cov2 = meanCov(covariance, I, J, (i, j, i2, j2) => i === i2 && j !== j2);
  const cov3 = meanCov(covariance, I, J, (i, j, i2, j2) => i !== i2 && j !== j2);
  const grand = mean(foms.flat());
  const armMeans = foms.map((row) => mean(row));
  const readerMeans = foms[0]!.map((_v, j) => mean(foms.map((row) => row[j]!)));
  const msT = I > 1 ? (J * armMeans.reduce((s, m) => s + (m - grand) ** 2, 0)) / (I - 1) : Number.NaN;
  const msR = J > 1 ? (I * readerMeans.reduce((s, m) => s + (m - grand) ** 2, 0)) / (J - 1) : Number.NaN;
  let ssTR = 0;
  for (let i = 0; i < I; i++)
    for (let j = 0; j < J; j++) ssTR += (foms[i]![j]! - armMeans[i]! - readerMeans[j]! + grand) ** 2;
  const msTR = I > 1 && J > 1 ? ssTR / ((I - 1) * (J - 1)) : Number.NaN;
  // From E[MS(TR)] = σ²_TR + Var − Cov1 − Cov2 + Cov3 and
  // E[MS(R)] = I·σ²_R + σ²_TR + Var + (I−1)Cov1 − Cov2 − (I−1)Cov3 (Hillis et al. 2005).
  const varTR = msTR - varError + cov1 + cov2 - cov3;
  return {
    varError,
    cov1,
    cov2,
    cov3,
    varR: (msR - varTR - varError - (I - 1) * cov1 + cov2 + (I - 1) * cov3) / I,
    varTR,
    msT,
    msR,
    msTR,
    cases,
  };
}

/** Single-arm components: reader mean square, mean variance and mean Cov2 within arm i. */
function armComponents(foms: number[][], covariance: number[][], i: number) {
  const J = foms[0]!.length;
  const row = foms[i]!;
  const m = mean(row);
  const msR = row.reduce((s, v) => s + (v - m) ** 2, 0) / (J - 1);
  const I = foms.length;
  const varError = meanCov(covariance, I, J, (a, j, a2, j2) => a === i && a2 === i && j === j2);
  const cov2 = meanCov(covariance, I, J, (a, j, a2, j2) => a === i && a2 === i && j !== j2);
  return { mean: m, msR, varError, cov2 };
}

/**
 * Obuchowski-Rockette analysis of the empirical AUC with Hillis' improvements, for two or more
 * arms: random readers/random cases (F with Hillis' ddf), fixed readers/random cases (chi-square)
 * and random readers/fixed cases (ANOVA of AUCs), with intervals for every pairwise arm difference
 * and each arm's reader-averaged AUC. Matches the formulas of OR-DBM MRMC 2.5 (Iowa) and
 * RJafroc::StSignificanceTesting(method = "OR"); reference values in the package README.
 */
export function obuchowskiRockette(
  dataset: MrmcDataset,
  options: { covariance?: CovarianceMethod; confidence?: number } = {},
): OrAnalysisResult {
  const covarianceMethod = options.covariance ?? "jackknife";
  const confidence = options.confidence ?? 0.95;
  requireConfidence(confidence);
  const I = dataset.modalities.length;
  const J = dataset.readers.length;
  if (I < 2) throw new StudyStatsError("INSUFFICIENT_DATA", "comparing arms needs at least 2 modalities");
  if (J < 2) throw new StudyStatsError("INSUFFICIENT_DATA", "random-reader analysis needs at least 2 readers");
  const { foms, covariance } = fomCovariance(dataset, covarianceMethod);
  const vc = orVarianceComponents(foms, covariance, dataset.caseIds.length);
  const armMeans = foms.map((row) => mean(row));
  const alpha = 1 - confidence;
  const zCrit = normalQuantile(1 - alpha / 2);
  const armPairs = pairs(I);
  const diffOf = ([a, b]: [number, number]) => armMeans[a]! - armMeans[b]!;
  const namesOf = ([a, b]: [number, number]) => ({ first: dataset.modalities[a]!, second: dataset.modalities[b]! });
  const tDifference = (p: [number, number], se: number, df: number): ArmDifference => {
    const d = diffOf(p);
    const t = se > 0 ? d / se : d === 0 ? 0 : Math.sign(d) * Infinity;
    const crit = tQuantile(1 - alpha / 2, df);
    return {
      ...namesOf(p),
      difference: d,
      standardError: se,
      df: dfOut(df),
      statistic: t,
      pValue: twoSidedTP(t, df),
      lower: d - crit * se,
      upper: d + crit * se,
    };
  };
  const zDifference = (names: { first: string; second: string }, d: number, se: number): ArmDifference => {
    const z = se > 0 ? d / se : d === 0 ? 0 : Math.sign(d) * Infinity;
    return {
      ...names,
      difference: d,
      standardError: se,
      df: null,
      statistic: z,
      pValue: twoSidedNormalP(z),
      lower: d - zCrit * se,
      upper: d + zCrit * se,
    };
  };
  const arm = (i: number, se: number, df: number): ArmEstimate => {
    const crit = tQuantile(1 - alpha / 2, df);
    return {
      modality: dataset.modalities[i]!,
      estimate: armMeans[i]!,
      standardError: se,
      df: dfOut(df),
      lower: armMeans[i]! - crit * se,
      upper: armMeans[i]! + crit * se,
    };
  };
  const perArm = dataset.modalities.map((_m, i) => armComponents(foms, covariance, i));

  // Random readers, random cases (Hillis 2007, ddf_H).
  const rrrcDen = vc.msTR + J * Math.max(vc.cov2 - vc.cov3, 0);
  const rrrcDdf = satterthwaite(rrrcDen, vc.msTR, (I - 1) * (J - 1));
  const rrrcF = ratio(vc.msT, rrrcDen);
  const randomReadersRandomCases: OrTest = {
    f: rrrcF,
    ndf: I - 1,
    ddf: dfOut(rrrcDdf),
    pValue: 1 - fCdf(rrrcF, I - 1, rrrcDdf),
    differences: armPairs.map((p) => tDifference(p, Math.sqrt((2 / J) * rrrcDen), rrrcDdf)),
    arms: perArm.map((a, i) => {
      const den = a.msR + J * Math.max(a.cov2, 0);
      return arm(i, Math.sqrt(den / J), satterthwaite(den, a.msR, J - 1));
    }),
  };

  // Fixed readers, random cases.
  const frrcDen = vc.varError - vc.cov1 + (J - 1) * Math.max(vc.cov2 - vc.cov3, 0);
  const chiSquare = ratio((I - 1) * vc.msT, frrcDen);
  const readerDifferences = dataset.readers.map((reader, j) => ({
    reader,
    differences: armPairs.map(([a, b]) => {
      const va = covariance[a * J + j]![a * J + j]!;
      const vb = covariance[b * J + j]![b * J + j]!;
      const cab = covariance[a * J + j]![b * J + j]!;
      return zDifference(namesOf([a, b]), foms[a]![j]! - foms[b]![j]!, Math.sqrt(Math.max(0, va + vb - 2 * cab)));
    }),
  }));
  const fixedReadersRandomCases = {
    f: chiSquare / (I - 1),
    ndf: I - 1,
    ddf: null,
    chiSquare,
    pValue: 1 - chiSquareCdf(chiSquare, I - 1),
    differences: armPairs.map((p) => zDifference(namesOf(p), diffOf(p), Math.sqrt((2 / J) * frrcDen))),
    arms: perArm.map((a, i) => arm(i, Math.sqrt((a.varError + (J - 1) * Math.max(a.cov2, 0)) / J), Infinity)),
    readerDifferences,
  };

  // Random readers, fixed cases.
  const rrfcDdf = (I - 1) * (J - 1);
  const rrfcF = ratio(vc.msT, vc.msTR);
  const randomReadersFixedCases: OrTest = {
    f: rrfcF,
    ndf: I - 1,
    ddf: rrfcDdf,
    pValue: 1 - fCdf(rrfcF, I - 1, rrfcDdf),
    differences: armPairs.map((p) => tDifference(p, Math.sqrt((2 / J) * vc.msTR), rrfcDdf)),
    arms: perArm.map((a, i) => arm(i, Math.sqrt(a.msR / J), J - 1)),
  };

  return {
    modalities: [...dataset.modalities],
    readers: [...dataset.readers],
    covarianceMethod,
    confidence,
    foms,
    armMeans,
    varianceComponents: vc,
    randomReadersRandomCases,
    fixedReadersRandomCases,
    randomReadersFixedCases,
  };
}

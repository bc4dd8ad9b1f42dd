import { fCdf, tQuantile, twoSidedTP } from "../distributions/distributions.ts";
import { invalidInput, requireConfidence, StudyStatsError } from "../util/errors.ts";
import { mean } from "../util/math.ts";
import { type CovarianceMethod, fomCovariance, type MrmcDataset } from "./mrmc-dataset.ts";

export type AiVsReadersResult = {
  method: "1T-RRRC" | "1T-RRFC";
  covarianceMethod: CovarianceMethod;
  confidence: number;
  aiAuc: number;
  readerAucs: { reader: string; auc: number }[];
  meanReaderAuc: number;
  /** Interval of the readers' mean AUC (single-arm Hillis analysis; t with J−1 df for RRFC). */
  meanReaderLower: number;
  meanReaderUpper: number;
  /** Mean over readers of (reader AUC − AI AUC); positive = readers better. */
  meanDifference: number;
  lower: number;
  upper: number;
  standardError: number;
  t: number;
  /** F = t², numerator df 1; df null when infinite (no reader variability left). */
  f: number;
  df: number | null;
  pValue: number;
  /** Reader variance of the difference AUCs and, for RRRC, their error variance and Cov2. */
  varR: number;
  varError: number;
  cov2: number;
};

/**
 * Standalone AI against a panel of readers on the same cases (Chakraborty & Hillis's single-
 * treatment method, RJafroc::StSignificanceTestingCadVsRad, "1T-RRRC" and "1T-RRFC"): the
 * figure of merit of reader j is ψ_j = AUC_j − AUC_AI, and Hillis' single-treatment OR analysis
 * tests mean ψ = 0. RRRC: t = ψ̄ / √((MS(R) + J·max(Cov2, 0))/J), df = (MS(R) + J·max(Cov2, 0))² /
 * (MS(R)²/(J−1)), Cov2 the mean covariance of different readers' ψ over case sampling. RRFC
 * ignores case sampling: a t test of the ψ_j with J − 1 df.
 *
 * `dataset` holds the radiologists' reads; with several modalities, `modality` names the one to
 * compare (e.g. "unaided"). `aiScores` [cases] are the AI's scores in the dataset's case order.
 */
export function aiVsReaders(
  dataset: MrmcDataset,
  aiScores: readonly number[],
  options: {
    method?: "1T-RRRC" | "1T-RRFC";
    covariance?: CovarianceMethod;
    confidence?: number;
    modality?: string;
  } = {},
): AiVsReadersResult {
  const method = options.method ?? "1T-RRRC";
  const covarianceMethod = options.covariance ?? "jackknife";
  const confidence = options.confidence ?? 0.95;
  requireConfidence(confidence);
  if (options.modality !== undefined) {
    const i = dataset.modalities.indexOf(options.modality);
    if (i < 0) throw invalidInput(`modality "${options.modality}" is not among ${dataset.modalities.join(", ")}`);
    dataset = { ...dataset, modalities: [options.modality], ratings: [dataset.ratings[i]!] };
  }
  if (dataset.modalities.length !== 1)
    throw invalidInput("AI vs readers needs one modality: pass `modality` to pick one of a multi-arm dataset");
  if (aiScores.length !== dataset.caseIds.length)
    throw invalidInput(`got ${aiScores.length} AI scores for ${dataset.caseIds.length} cases`);
  const J = dataset.readers.length;
  if (J < 2)
    throw new StudyStatsError("INSUFFICIENT_DATA", "comparing AI with a reader panel needs at least 2 readers");
  // The AI joins as reader 0 so that one covariance matrix holds it and every reader.
  const joint: MrmcDataset = {
    ...dataset,
    readers: ["AI", ...dataset.readers],
    ratings: [[[...aiScores], ...dataset.ratings[0]!]],
  };
  const { foms, covariance } = fomCovariance(joint, covarianceMethod);
  const aucs = foms[0]!;
  const aiAuc = aucs[0]!;
  const readerAucs = aucs.slice(1);
  const psi = readerAucs.map((a) => a - aiAuc);
  const psiMean = mean(psi);
  const msR = psi.reduce((s, v) => s + (v - psiMean) ** 2, 0) / (J - 1);
  // Covariance of ψ_a and ψ_b = c(a,b) − c(a,0) − c(0,b) + c(0,0), readers at index 1..J.
  const psiCov = (a: number, b: number) =>
    covariance[a]![b]! - covariance[a]![0]! - covariance[0]![b]! + covariance[0]![0]!;
  let varSum = 0;
  let covSum = 0;
  for (let a = 1; a <= J; a++) {
    for (let b = 1; b <= J; b++) {
      if (a === b) varSum += psiCov(a, b);
      else covSum += psiCov(a, b);
    }
  }
  const varError = varSum / J;
  const cov2 = covSum / (J * (J - 1));
  const alpha = 1 - confidence;
  const isRandomCases = method === "1T-RRRC";
  const den = isRandomCases ? msR + J * Math.max(cov2, 0) : msR;
  const df = isRandomCases ? (msR > 0 ? (den * den) / ((msR * msR) / (J - 1)) : Infinity) : J - 1;
  const se = Math.sqrt(den / J);
  const t = se > 0 ? psiMean / se : psiMean === 0 ? 0 : Math.sign(psiMean) * Infinity;
  const crit = tQuantile(1 - alpha / 2, df);

  // Readers' own mean AUC: the same single-arm analysis on the AUCs themselves.
  const readerMean = mean(readerAucs);
  const msRReaders = readerAucs.reduce((s, v) => s + (v - readerMean) ** 2, 0) / (J - 1);
  let readerCovSum = 0;
  for (let a = 1; a <= J; a++) for (let b = 1; b <= J; b++) if (a !== b) readerCovSum += covariance[a]![b]!;
  const readerCov2 = readerCovSum / (J * (J - 1));
  const readerDen = isRandomCases ? msRReaders + J * Math.max(readerCov2, 0) : msRReaders;
  const readerDf = isRandomCases
    ? msRReaders > 0
      ? (readerDen * readerDen) / ((msRReaders * msRReaders) / (J - 1))
      : Infinity
    : J - 1;
  const readerHalf = tQuantile(1 - alpha / 2, readerDf) * Math.sqrt(readerDen / J);

  return {
    method,
    covarianceMethod,
    confidence,
    aiAuc,
    readerAucs: dataset.readers.map((reader, j) => ({ reader, auc: readerAucs[j]! })),
    meanReaderAuc: readerMean,
    meanReaderLower: readerMean - readerHalf,
    meanReaderUpper: readerMean + readerHalf,
    meanDifference: psiMean,
    lower: psiMean - crit * se,
    upper: psiMean + crit * se,
    standardError: se,
    t,
    f: t * t,
    df: Number.isFinite(df) ? df : null,
    pValue: isRandomCases ? 1 - fCdf(t * t, 1, df) : twoSidedTP(t, df),
    varR: msR,
    varError: isRandomCases ? varError : 0,
    cov2: isRandomCases ? cov2 : 0,
  };
}

import { structuralComponents } from "../roc/delong.ts";
import { invalidInput, StudyStatsError } from "../util/errors.ts";
import { compareStrings, sampleCovariance } from "../util/math.ts";

/**
 * A fully crossed MRMC ROC dataset: every reader rates every case in every modality (arm).
 * Shapes: truth [K]; ratings [I modalities][J readers][K cases]; higher = more likely positive.
 */
export type MrmcDataset = {
  modalities: string[];
  readers: string[];
  caseIds: string[];
  truth: boolean[];
  ratings: number[][][];
};

/** One rating: reader `readerId` in arm `modality` gave `score` to case `caseId`. */
export type MrmcRecord = { caseId: string; truth: boolean; readerId: string; modality: string; score: number };

/**
 * Builds the crossed dataset from flat records. Readers, modalities and cases are in sorted
 * order unless `modalities` fixes the arm order (e.g. ["unaided", "aided"]). Every reader must
 * rate every case in every arm, once; a case's truth must be the same in every record.
 */
export function buildMrmcDataset(
  records: readonly MrmcRecord[],
  options: { modalities?: readonly string[] } = {},
): MrmcDataset {
  if (records.length === 0) throw invalidInput("no ratings");
  const modalities = options.modalities
    ? [...options.modalities]
    : [...new Set(records.map((r) => r.modality))].sort(compareStrings);
  const readers = [...new Set(records.map((r) => r.readerId))].sort(compareStrings);
  const caseIds = [...new Set(records.map((r) => r.caseId))].sort(compareStrings);
  const mIndex = new Map(modalities.map((m, i) => [m, i]));
  const rIndex = new Map(readers.map((r, i) => [r, i]));
  const cIndex = new Map(caseIds.map((c, i) => [c, i]));
  const truthById = new Map<string, boolean>();
  const ratings = modalities.map(() => readers.map(() => caseIds.map(() => Number.NaN)));
  for (const r of records) {
    if (!Number.isFinite(r.score))
      throw invalidInput(`reader ${r.readerId}, case ${r.caseId}: score must be a finite number`);
    const known = truthById.get(r.caseId);
    if (known !== undefined && known !== r.truth)
      throw invalidInput(`case ${r.caseId} has conflicting truth across records`);
    truthById.set(r.caseId, r.truth);
    const i = mIndex.get(r.modality);
    if (i === undefined) throw invalidInput(`modality "${r.modality}" is not among ${modalities.join(", ")}`);
    const row = ratings[i]![rIndex.get(r.readerId)!]!;
    const k = cIndex.get(r.caseId)!;
    if (!Number.isNaN(row[k]!))
      throw invalidInput(`reader ${r.readerId} rated case ${r.caseId} twice in modality ${r.modality}`);
    row[k] = r.score;
  }
  ratings.forEach((byReader, i) =>
    byReader.forEach((row, j) => {
      const missing = row.findIndex((v) => Number.isNaN(v));
      if (missing >= 0) {
        throw new StudyStatsError(
          "UNBALANCED_DESIGN",
          `reader ${readers[j]} has no rating for case ${caseIds[missing]} in modality ${modalities[i]}; the analysis needs every reader to rate every case in every arm`,
        );
      }
    }),
  );
  return { modalities, readers, caseIds, truth: caseIds.map((c) => truthById.get(c)!), ratings };
}

export type CovarianceMethod = "jackknife" | "delong";

/**
 * Empirical AUC of every (modality, reader) and the covariance matrix of those AUCs over case
 * sampling, indexed by i·J + j. Jackknife: leave one case out, cov = (K−1)/K Σ (θ₍₋ₖ₎ − θ̄)(…);
 * the leave-one-out AUCs come from the structural components without refitting. DeLong: S10/m +
 * S01/n of the structural components (DeLong et al. 1988).
 */
export function fomCovariance(
  dataset: MrmcDataset,
  method: CovarianceMethod,
): { foms: number[][]; covariance: number[][] } {
  const { ratings, truth } = dataset;
  const comps = ratings.flatMap((byReader) => byReader.map((scores) => structuralComponents(scores, truth)));
  const J = dataset.readers.length;
  const foms = ratings.map((byReader, i) => byReader.map((_s, j) => comps[i * J + j]!.auc));
  const m = comps[0]!.v10.length;
  const n = comps[0]!.v01.length;
  if (m < 2 || n < 2)
    throw new StudyStatsError("INSUFFICIENT_DATA", "MRMC analysis needs at least 2 positive and 2 negative cases");
  if (method === "delong") {
    return {
      foms,
      covariance: comps.map((a) =>
        comps.map((b) => sampleCovariance(a.v10, b.v10) / m + sampleCovariance(a.v01, b.v01) / n),
      ),
    };
  }
  // Leave-one-out AUCs in case order: positives and negatives interleave as in `truth`.
  const pseudo = comps.map((c) => {
    let p = 0;
    let q = 0;
    return truth.map((isPositive) =>
      isPositive ? (m * c.auc - c.v10[p++]!) / (m - 1) : (n * c.auc - c.v01[q++]!) / (n - 1),
    );
  });
  const K = truth.length;
  const factor = ((K - 1) * (K - 1)) / K;
  return { foms, covariance: pseudo.map((a) => pseudo.map((b) => factor * sampleCovariance(a, b))) };
}

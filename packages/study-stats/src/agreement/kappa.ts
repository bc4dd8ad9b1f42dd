import { normalQuantile, twoSidedNormalP } from "../distributions/distributions.ts";
import { invalidInput, requireConfidence } from "../util/errors.ts";
import { sortedUnique } from "../util/math.ts";

export type KappaWeighting = "unweighted" | "linear" | "quadratic";

export type CohenKappaResult = {
  kappa: number;
  observedAgreement: number;
  expectedAgreement: number;
  /** Large-sample standard error (Fleiss, Cohen & Everitt 1969), used for the interval. */
  standardError: number;
  lower: number;
  upper: number;
  confidence: number;
  /** Standard error under H0: κ = 0, used for the z test. */
  standardErrorNull: number;
  z: number;
  pValue: number;
  n: number;
  weighting: KappaWeighting;
  categories: string[];
  /** Rows rater A, columns rater B, counts. */
  table: number[][];
};

/**
 * Agreement weights w_ij in [0, 1] between ordered categories i and j of k:
 * unweighted 1 on the diagonal, linear 1 − |i−j|/(k−1) (Cicchetti-Allison, SAS's default),
 * quadratic 1 − (i−j)²/(k−1)² (Fleiss-Cohen).
 */
export function kappaWeights(k: number, weighting: KappaWeighting): number[][] {
  return Array.from({ length: k }, (_r, i) =>
    Array.from({ length: k }, (_c, j) => {
      if (weighting === "unweighted" || k === 1) return i === j ? 1 : 0;
      const d = Math.abs(i - j) / (k - 1);
      return weighting === "linear" ? 1 - d : 1 - d * d;
    }),
  );
}

/**
 * Cohen's kappa (weighted or not) from a k×k table of counts (rows rater A, columns rater B),
 * with the large-sample variance of Fleiss, Cohen & Everitt (Psychol Bull 1969;72:323-327) for
 * the interval and its null-hypothesis form for the z test, as SAS PROC FREQ and R irr::kappa2.
 */
export function cohenKappaFromTable(
  table: readonly (readonly number[])[],
  options: { weighting?: KappaWeighting; confidence?: number; categories?: readonly string[] } = {},
): CohenKappaResult {
  const weighting = options.weighting ?? "unweighted";
  const confidence = options.confidence ?? 0.95;
  requireConfidence(confidence);
  const k = table.length;
  if (k < 2 || table.some((row) => row.length !== k))
    throw invalidInput("a kappa table must be square with at least 2 categories");
  if (table.some((row) => row.some((v) => !(v >= 0) || !Number.isFinite(v))))
    throw invalidInput("kappa table counts must be non-negative numbers");
  const n = table.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  if (n === 0) throw invalidInput("a kappa table needs at least one rated subject");
  const w = kappaWeights(k, weighting);
  const p = table.map((row) => row.map((v) => v / n));
  const rowMargin = p.map((row) => row.reduce((a, b) => a + b, 0));
  const colMargin = Array.from({ length: k }, (_c, j) => p.reduce((s, row) => s + row[j]!, 0));
  let po = 0;
  let pe = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      po += w[i]![j]! * p[i]![j]!;
      pe += w[i]![j]! * rowMargin[i]! * colMargin[j]!;
    }
  }
  if (pe >= 1) throw invalidInput("kappa is undefined when both raters use a single category only");
  const kappa = (po - pe) / (1 - pe);
  // Weighted margins w̄_i. = Σ_j w_ij p_.j and w̄_.j = Σ_i w_ij p_i.
  const wRow = Array.from({ length: k }, (_r, i) => w[i]!.reduce((s, wij, j) => s + wij * colMargin[j]!, 0));
  const wCol = Array.from({ length: k }, (_c, j) => w.reduce((s, row, i) => s + row[j]! * rowMargin[i]!, 0));
  let a = 0;
  let a0 = 0;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const wij = w[i]![j]!;
      a += p[i]![j]! * (wij - (wRow[i]! + wCol[j]!) * (1 - kappa)) ** 2;
      a0 += rowMargin[i]! * colMargin[j]! * (wij - (wRow[i]! + wCol[j]!)) ** 2;
    }
  }
  const variance = Math.max(0, a - (kappa - pe * (1 - kappa)) ** 2) / (n * (1 - pe) ** 2);
  const varianceNull = Math.max(0, a0 - pe * pe) / (n * (1 - pe) ** 2);
  const standardError = Math.sqrt(variance);
  const standardErrorNull = Math.sqrt(varianceNull);
  const zCrit = normalQuantile(1 - (1 - confidence) / 2);
  const z = standardErrorNull > 0 ? kappa / standardErrorNull : 0;
  return {
    kappa,
    observedAgreement: po,
    expectedAgreement: pe,
    standardError,
    lower: kappa - zCrit * standardError,
    upper: kappa + zCrit * standardError,
    confidence,
    standardErrorNull,
    z,
    pValue: standardErrorNull > 0 ? twoSidedNormalP(z) : 1,
    n,
    weighting,
    categories: options.categories ? [...options.categories] : Array.from({ length: k }, (_c, i) => String(i)),
    table: table.map((row) => [...row]),
  };
}

/** Two raters' labels for the same subjects, paired by position. */
export type PairedRatings<T extends string | number> = { a: readonly T[]; b: readonly T[] };

/**
 * Cohen's kappa of two raters over the same subjects. Categories default to the sorted union
 * of the observed labels (as irr::kappa2, which drops unused levels); for weighted kappa their
 * order is the ordinal scale, so pass `categories` explicitly for non-numeric ordinal labels.
 */
export function cohenKappa<T extends string | number>(
  ratings: PairedRatings<T>,
  options: { weighting?: KappaWeighting; confidence?: number; categories?: readonly T[] } = {},
): CohenKappaResult {
  const { a, b } = ratings;
  if (a.length !== b.length)
    throw invalidInput(`the two raters rated different numbers of subjects (${a.length} and ${b.length})`);
  if (a.length === 0) throw invalidInput("no rated subjects");
  const categories = options.categories ? [...options.categories] : sortedUnique([...a, ...b]);
  const index = new Map<T, number>(categories.map((c, i) => [c, i]));
  const table = categories.map(() => categories.map(() => 0));
  a.forEach((ra, s) => {
    const i = index.get(ra);
    const j = index.get(b[s]!);
    if (i === undefined || j === undefined)
      throw invalidInput(`subject ${s}: label not among the categories ${categories.join(", ")}`);
    table[i]![j]! += 1;
  });
  return cohenKappaFromTable(table, { ...options, categories: categories.map(String) });
}

export type FleissKappaResult = {
  kappa: number;
  /** Mean observed agreement P̄ and chance agreement P̄e. */
  observedAgreement: number;
  expectedAgreement: number;
  /** Standard error under H0: κ = 0 (Fleiss, Nee & Landis 1979), as irr::kappam.fleiss. */
  standardErrorNull: number;
  z: number;
  pValue: number;
  subjects: number;
  raters: number;
  categories: string[];
  /** Kappa of each category against all others (Fleiss 1971); null for a category never or always used. */
  perCategory: { category: string; kappa: number | null }[];
};

/**
 * Fleiss' kappa for m raters who each rate every subject (Fleiss, Psychol Bull 1971;76:378-382).
 * `ratings[s][r]` is rater r's label for subject s; every subject needs the same number of raters.
 */
export function fleissKappa<T extends string | number>(
  ratings: readonly (readonly T[])[],
  options: { categories?: readonly T[] } = {},
): FleissKappaResult {
  const subjects = ratings.length;
  if (subjects < 2) throw invalidInput("Fleiss' kappa needs at least 2 subjects");
  const m = ratings[0]!.length;
  if (m < 2) throw invalidInput("Fleiss' kappa needs at least 2 raters per subject");
  if (ratings.some((row) => row.length !== m))
    throw invalidInput("every subject must be rated by the same number of raters");
  const categories = options.categories ? [...options.categories] : sortedUnique(ratings.flat());
  const index = new Map<T, number>(categories.map((c, i) => [c, i]));
  const counts = ratings.map((row, s) => {
    const c = categories.map(() => 0);
    for (const label of row) {
      const i = index.get(label);
      if (i === undefined) throw invalidInput(`subject ${s}: label ${String(label)} is not among the categories`);
      c[i]! += 1;
    }
    return c;
  });
  const k = categories.length;
  const pj = Array.from({ length: k }, (_c, j) => counts.reduce((s, row) => s + row[j]!, 0) / (subjects * m));
  const pBar = counts.reduce((s, row) => s + (row.reduce((a, v) => a + v * v, 0) - m) / (m * (m - 1)), 0) / subjects;
  const peBar = pj.reduce((s, p) => s + p * p, 0);
  if (peBar >= 1) throw invalidInput("Fleiss' kappa is undefined when every rating is the same category");
  const kappa = (pBar - peBar) / (1 - peBar);
  const pq = pj.reduce((s, p) => s + p * (1 - p), 0);
  const pqqp = pj.reduce((s, p) => s + p * (1 - p) * (1 - 2 * p), 0);
  const varianceNull = (2 / (pq * pq * subjects * m * (m - 1))) * (pq * pq - pqqp);
  const standardErrorNull = Math.sqrt(varianceNull);
  const z = kappa / standardErrorNull;
  const perCategory = categories.map((category, j) => {
    const p = pj[j]!;
    const disagreement = counts.reduce((s, row) => s + row[j]! * (m - row[j]!), 0);
    return {
      category: String(category),
      kappa: p > 0 && p < 1 ? 1 - disagreement / (subjects * m * (m - 1) * p * (1 - p)) : null,
    };
  });
  return {
    kappa,
    observedAgreement: pBar,
    expectedAgreement: peBar,
    standardErrorNull,
    z,
    pValue: twoSidedNormalP(z),
    subjects,
    raters: m,
    categories: categories.map(String),
    perCategory,
  };
}

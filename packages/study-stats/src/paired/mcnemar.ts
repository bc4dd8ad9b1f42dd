import { binomialCdf } from "../distributions/distributions.ts";
import { invalidInput } from "../util/errors.ts";

export type McNemarResult = {
  /** Pairs where the first rater is right and the second wrong. */
  onlyFirstCorrect: number;
  /** Pairs where the second rater is right and the first wrong. */
  onlySecondCorrect: number;
  bothCorrect: number;
  bothWrong: number;
  /** Exact conditional (binomial) two-sided p-value. */
  pValue: number;
  /** Mid-p version (Fagerland, Lydersen & Laake, BMC Med Res Methodol 2013;13:91). */
  midP: number;
};

/**
 * Exact McNemar test from the discordant counts b and c: under H0 b ~ Bin(b + c, 1/2), and the
 * two-sided p-value is min(1, 2·P(X ≤ min(b, c))), as R exact2x2::mcnemar.exact and
 * binom.test(b, b + c).
 */
export function mcnemarExact(b: number, c: number): { pValue: number; midP: number } {
  if (![b, c].every((v) => Number.isInteger(v) && v >= 0))
    throw invalidInput(`McNemar counts must be non-negative integers, got ${b} and ${c}`);
  const n = b + c;
  if (n === 0) return { pValue: 1, midP: 1 };
  const low = Math.min(b, c);
  const tail = binomialCdf(low, n, 0.5);
  const pointMass = tail - binomialCdf(low - 1, n, 0.5);
  return { pValue: Math.min(1, 2 * tail), midP: Math.min(1, 2 * (tail - pointMass / 2)) };
}

/** One case scored for two raters (e.g. a reader and the AI) against the same truth. */
export type PairedCorrectness = { caseId: string; firstCorrect: boolean; secondCorrect: boolean };

/** Exact McNemar test of paired correctness (first vs second rater) over the same cases. */
export function mcnemarPaired(cases: readonly PairedCorrectness[]): McNemarResult {
  const seen = new Set<string>();
  let onlyFirstCorrect = 0;
  let onlySecondCorrect = 0;
  let bothCorrect = 0;
  let bothWrong = 0;
  for (const c of cases) {
    if (seen.has(c.caseId)) throw invalidInput(`case ${c.caseId} appears twice in a paired comparison`);
    seen.add(c.caseId);
    if (c.firstCorrect && c.secondCorrect) bothCorrect++;
    else if (c.firstCorrect) onlyFirstCorrect++;
    else if (c.secondCorrect) onlySecondCorrect++;
    else bothWrong++;
  }
  return {
    onlyFirstCorrect,
    onlySecondCorrect,
    bothCorrect,
    bothWrong,
    ...mcnemarExact(onlyFirstCorrect, onlySecondCorrect),
  };
}

/**
 * Probability distributions used by the tests in this package. The central and standard
 * distributions come from stdlib (@stdlib/stats-base-dists-*, maintained, pure JavaScript);
 * only the noncentral F, which stdlib lacks, is computed here (Poisson mixture of incomplete
 * beta functions, Johnson, Kotz & Balakrishnan, Continuous Univariate Distributions vol. 2,
 * ch. 30), with stdlib's regularised incomplete beta and log-gamma.
 */
import betainc from "@stdlib/math-base-special-betainc";
import binomialCdfImpl from "@stdlib/stats-base-dists-binomial-cdf";
import chiSquareCdfImpl from "@stdlib/stats-base-dists-chisquare-cdf";
import fCdfImpl from "@stdlib/stats-base-dists-f-cdf";
import fQuantileImpl from "@stdlib/stats-base-dists-f-quantile";
import normalCdfImpl from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantileImpl from "@stdlib/stats-base-dists-normal-quantile";
import tCdfImpl from "@stdlib/stats-base-dists-t-cdf";
import tQuantileImpl from "@stdlib/stats-base-dists-t-quantile";
import gammaln from "@stdlib/math-base-special-gammaln";

/** Standard normal CDF Φ(x). */
export function normalCdf(x: number): number {
  return normalCdfImpl(x, 0, 1);
}

/** Standard normal quantile Φ⁻¹(p). */
export function normalQuantile(p: number): number {
  return normalQuantileImpl(p, 0, 1);
}

/** Two-sided p-value of a standard normal statistic. */
export function twoSidedNormalP(z: number): number {
  return Math.min(1, 2 * normalCdf(-Math.abs(z)));
}

/** Student t CDF; an infinite df gives the normal. */
export function tCdf(x: number, df: number): number {
  return df === Infinity ? normalCdf(x) : tCdfImpl(x, df);
}

/** Student t quantile; an infinite df gives the normal. */
export function tQuantile(p: number, df: number): number {
  return df === Infinity ? normalQuantile(p) : tQuantileImpl(p, df);
}

/** Two-sided p-value of a t statistic. */
export function twoSidedTP(t: number, df: number): number {
  return Math.min(1, 2 * tCdf(-Math.abs(t), df));
}

/** Chi-square CDF. */
export function chiSquareCdf(x: number, df: number): number {
  return chiSquareCdfImpl(x, df);
}

/** F CDF; an infinite denominator df gives chi-square(df1)/df1. */
export function fCdf(x: number, df1: number, df2: number): number {
  return df2 === Infinity ? chiSquareCdf(x * df1, df1) : fCdfImpl(x, df1, df2);
}

/** F quantile. */
export function fQuantile(p: number, df1: number, df2: number): number {
  return fQuantileImpl(p, df1, df2);
}

/** Binomial CDF P(X ≤ k), X ~ Bin(n, p). */
export function binomialCdf(k: number, n: number, p: number): number {
  if (k < 0) return 0;
  return binomialCdfImpl(k, n, p);
}

/**
 * Noncentral F CDF P(F ≤ x) for F ~ F(df1, df2, ncp) (ncp = λ, as R's `pf(x, df1, df2, ncp)`):
 * Σ_j Pois(j; λ/2) · I_y(df1/2 + j, df2/2) with y = df1·x / (df1·x + df2). The sum starts at the
 * Poisson mode and walks both ways until the remaining weight is below 1e-15.
 */
export function noncentralFCdf(x: number, df1: number, df2: number, ncp: number): number {
  if (!(df1 > 0) || !(df2 > 0) || !(ncp >= 0)) throw new RangeError("noncentralFCdf needs df1 > 0, df2 > 0, ncp ≥ 0");
  if (x <= 0) return 0;
  if (ncp === 0) return fCdf(x, df1, df2);
  if (df2 === Infinity) throw new RangeError("noncentralFCdf needs a finite df2");
  const y = (df1 * x) / (df1 * x + df2);
  const half = ncp / 2;
  const mode = Math.floor(half);
  const logWeight = (j: number) => -half + j * Math.log(half) - gammaln(j + 1);
  const term = (j: number) => Math.exp(logWeight(j)) * betainc(y, df1 / 2 + j, df2 / 2, true, false);
  let sum = 0;
  let weightSeen = 0;
  for (let j = mode; j >= 0; j--) {
    const w = Math.exp(logWeight(j));
    sum += term(j);
    weightSeen += w;
    if (w < 1e-17 && j < mode) break;
  }
  for (let j = mode + 1; 1 - weightSeen > 1e-15 && j < mode + 100_000; j++) {
    const w = Math.exp(logWeight(j));
    sum += term(j);
    weightSeen += w;
    if (w < 1e-17) break;
  }
  return Math.min(1, Math.max(0, sum));
}

import { fQuantile, noncentralFCdf } from "../distributions/distributions.ts";
import { invalidInput, StudyStatsError } from "../util/errors.ts";
import type { OrVarianceComponents } from "./or-analysis.ts";

export type PowerAnalysis = "RRRC" | "FRRC" | "RRFC";

/** Pilot OR components used for planning (any OrVarianceComponents will do). */
export type PilotComponents = Pick<OrVarianceComponents, "varTR" | "varError" | "cov1" | "cov2" | "cov3" | "cases">;

export type PowerResult = {
  analysis: PowerAnalysis;
  readers: number;
  cases: number;
  effectSize: number;
  alpha: number;
  power: number;
  /** Noncentrality parameter, numerator and denominator df of the F test. */
  ncp: number;
  ndf: number;
  ddf: number;
  fCritical: number;
};

/**
 * Power of the two-arm OR test for a planned study of `readers` readers and `cases` cases, from
 * pilot variance components (Hillis, Obuchowski & Berbaum, Acad Radiol 2011;18:129-142, as
 * RJafroc::SsPowerGivenJK): the pilot's case-sampling covariances scale by K₀/K (K₀ the pilot cases),
 * λ = J·d² / (2·D) with D = σ²_TR + (K₀/K)(Var − Cov1 + (J−1)·max(Cov2 − Cov3, 0)) for RRRC,
 * D = (K₀/K)(Var − Cov1 + (J−1)·max(Cov2 − Cov3, 0)) for FRRC (ddf = K − 1, as RJafroc),
 * D = σ²_TR + (K₀/K)(Var − Cov1 − (Cov2 − Cov3)) for RRFC (ddf = J − 1); RRRC's ddf is Hillis'
 * D² / [(σ²_TR + (K₀/K)(Var − Cov1 − (Cov2 − Cov3)))² / (J − 1)]. A negative pilot σ²_TR counts as 0.
 */
export function mrmcPower(
  pilot: PilotComponents,
  plan: { readers: number; cases: number; effectSize: number; alpha?: number; analysis?: PowerAnalysis },
): PowerResult {
  const analysis = plan.analysis ?? "RRRC";
  const alpha = plan.alpha ?? 0.05;
  const J = plan.readers;
  const K = plan.cases;
  if (!Number.isInteger(J) || J < 2) throw invalidInput(`a planned study needs at least 2 readers, got ${J}`);
  if (!Number.isInteger(K) || K < 2) throw invalidInput(`a planned study needs at least 2 cases, got ${K}`);
  if (!(alpha > 0 && alpha < 1)) throw invalidInput(`alpha must be between 0 and 1, got ${alpha}`);
  if (!Number.isFinite(plan.effectSize)) throw invalidInput("effect size must be a finite AUC difference");
  const scale = pilot.cases / K;
  const varTR = Math.max(pilot.varTR, 0);
  const between = Math.max(pilot.cov2 - pilot.cov3, 0);
  const withinReader = pilot.varError - pilot.cov1;
  let den: number;
  let ddf: number;
  if (analysis === "RRRC") {
    den = varTR + scale * (withinReader + (J - 1) * between);
    const ddfDen = varTR + scale * (withinReader - (pilot.cov2 - pilot.cov3));
    ddf = (den * den) / ((ddfDen * ddfDen) / (J - 1));
  } else if (analysis === "FRRC") {
    den = scale * (withinReader + (J - 1) * between);
    ddf = K - 1;
  } else {
    den = varTR + scale * (withinReader - (pilot.cov2 - pilot.cov3));
    ddf = J - 1;
  }
  if (!(den > 0))
    throw new StudyStatsError(
      "INSUFFICIENT_DATA",
      "the pilot variance components give no positive error variance; power cannot be estimated",
    );
  const ncp = (J * plan.effectSize * plan.effectSize) / (2 * den);
  const fCritical = fQuantile(1 - alpha, 1, ddf);
  return {
    analysis,
    readers: J,
    cases: K,
    effectSize: plan.effectSize,
    alpha,
    power: 1 - noncentralFCdf(fCritical, 1, ddf, ncp),
    ncp,
    ndf: 1,
    ddf,
    fCritical,
  };
}

/**
 * Smallest number of cases giving at least `power` for `readers` readers (as
 * RJafroc::SsSampleSizeKGivenJ), searching K = 2 … maxCases; null when even maxCases falls short.
 */
export function casesForPower(
  pilot: PilotComponents,
  plan: {
    readers: number;
    effectSize: number;
    power?: number;
    alpha?: number;
    analysis?: PowerAnalysis;
    maxCases?: number;
  },
): PowerResult | null {
  const target = plan.power ?? 0.8;
  const maxCases = plan.maxCases ?? 2000;
  if (!(target > 0 && target < 1)) throw invalidInput(`desired power must be between 0 and 1, got ${target}`);
  const at = (cases: number) => mrmcPower(pilot, { ...plan, cases });
  if (at(maxCases).power < target) return null;
  // Power rises with K, so bisect for the first K that reaches the target.
  let lo = 2;
  let hi = maxCases;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at(mid).power >= target) hi = mid;
    else lo = mid + 1;
  }
  return at(lo);
}

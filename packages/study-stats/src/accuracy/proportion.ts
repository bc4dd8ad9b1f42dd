import { normalQuantile } from "../distributions/distributions.ts";
import { invalidInput, requireConfidence } from "../util/errors.ts";

/** A proportion with its Wilson score interval. */
export type Proportion = {
  successes: number;
  total: number;
  estimate: number;
  lower: number;
  upper: number;
  confidence: number;
};

/**
 * Wilson score interval for a binomial proportion (Wilson 1927; method 3 of Newcombe,
 * Stat Med 1998;17:857-872), without continuity correction.
 */
export function wilsonInterval(successes: number, total: number, confidence = 0.95): Proportion {
  requireConfidence(confidence);
  if (!Number.isInteger(successes) || !Number.isInteger(total) || total <= 0 || successes < 0 || successes > total) {
    throw invalidInput(`a proportion needs integers 0 ≤ successes ≤ total and total > 0, got ${successes}/${total}`);
  }
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const z2 = z * z;
  const p = successes / total;
  const centre = (successes + z2 / 2) / (total + z2);
  const half = (z / (total + z2)) * Math.sqrt((successes * (total - successes)) / total + z2 / 4);
  return {
    successes,
    total,
    estimate: p,
    // Clamp rounding noise: at 0/n and n/n the interval touches 0 or 1 exactly.
    lower: successes === 0 ? 0 : Math.max(0, centre - half),
    upper: successes === total ? 1 : Math.min(1, centre + half),
    confidence,
  };
}

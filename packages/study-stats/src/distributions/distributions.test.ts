import { describe, expect, it } from "vitest";
import { expectPrinted } from "../../test/expect-printed.ts";
import {
  binomialCdf,
  chiSquareCdf,
  fCdf,
  fQuantile,
  noncentralFCdf,
  normalCdf,
  normalQuantile,
  tCdf,
  tQuantile,
} from "./distributions.ts";

describe("distributions (stdlib wrappers and the noncentral F written here)", () => {
  it("reproduces textbook quantiles", () => {
    // Abramowitz & Stegun 26.2 / any normal table: z(0.975) = 1.959964.
    expectPrinted(normalQuantile(0.975), "1.959964");
    expectPrinted(normalCdf(1.959964), "0.975000");
    // Student t table, two-sided 5% with 10 df: 2.228139 (A&S table 26.10).
    expectPrinted(tQuantile(0.975, 10), "2.228139");
    expectPrinted(tCdf(2.228139, 10), "0.975000");
    // F table, upper 5% point for (1, 4) df: 7.7086 (A&S table 26.9).
    expectPrinted(fQuantile(0.95, 1, 4), "7.7086");
    expectPrinted(fCdf(7.7086, 1, 4), "0.95000");
    // Chi-square table, upper 5% point with 1 df: 3.841459.
    expectPrinted(chiSquareCdf(3.841459, 1), "0.950000");
    // Exact binomial: P(X ≤ 1), X ~ Bin(8, 1/2) = 9/256.
    expect(binomialCdf(1, 8, 0.5)).toBeCloseTo(9 / 256, 14);
  });

  it("noncentral F matches scipy.stats.ncf (SciPy 1.17.1) to 12 digits", () => {
    // Values from scipy.stats.ncf.cdf(x, dfn, dfd, nc), printed with repr().
    expect(noncentralFCdf(2.5, 1, 23.1, 4.8)).toBeCloseTo(0.27053409283320035, 12);
    expect(noncentralFCdf(3, 2, 10, 50)).toBeCloseTo(1.7452163498771144e-5, 12);
    expect(noncentralFCdf(1.5, 3, 7.5, 0.5)).toBeCloseTo(0.6514945653799351, 12);
  });

  it("reduces to the central F when the noncentrality is 0 and rejects bad parameters", () => {
    expect(noncentralFCdf(2, 3, 10, 0)).toBe(fCdf(2, 3, 10));
    expect(() => noncentralFCdf(1, 0, 10, 1)).toThrow(RangeError);
  });
});

import { describe, expect, it } from "vitest";
import { expectPrinted } from "../../test/expect-printed.ts";
import { wilsonInterval } from "./proportion.ts";

describe("wilsonInterval", () => {
  // Newcombe RG, Two-sided confidence intervals for the single proportion: comparison of seven
  // methods, Stat Med 1998;17:857-872, Table II, method 3 (score interval without correction).
  it.each([
    [81, 263, "0.2553", "0.3662"],
    [15, 148, "0.0624", "0.1605"],
    [0, 20, "0.0000", "0.1611"],
    [1, 29, "0.0061", "0.1718"],
  ])("%i/%i gives Newcombe's (%s, %s)", (x, n, lo, hi) => {
    const p = wilsonInterval(x, n);
    expectPrinted(p.lower, lo);
    expectPrinted(p.upper, hi);
    expect(p.estimate).toBe(x / n);
  });

  it("names the problem for impossible counts", () => {
    expect(() => wilsonInterval(5, 4)).toThrow(/0 ≤ successes ≤ total/);
    expect(() => wilsonInterval(1, 10, 1.5)).toThrow(/confidence/);
  });
});

import { describe, expect, it } from "vitest";
import { bootstrapAccuracyDifference, type StratifiedPairedCase } from "./bootstrap.ts";

const cases: StratifiedPairedCase[] = Array.from({ length: 60 }, (_v, i) => ({
  caseId: `case-${String(i).padStart(2, "0")}`,
  stratum: ["tubule", "solid", "scirrhous"][i % 3]!,
  firstCorrect: i % 4 !== 0,
  secondCorrect: i % 5 > 1,
}));

describe("bootstrapAccuracyDifference", () => {
  it("gives the observed difference and the same interval for the same seed", () => {
    const a = bootstrapAccuracyDifference(cases, { seed: 7 });
    const b = bootstrapAccuracyDifference(cases, { seed: 7 });
    expect(a.difference).toBeCloseTo(45 / 60 - 36 / 60, 12);
    expect(b).toEqual(a);
    expect(a.lower).toBeLessThan(a.difference);
    expect(a.upper).toBeGreaterThan(a.difference);
  });

  it("does not depend on the order the cases are given in", () => {
    const shuffled = [...cases].reverse();
    expect(bootstrapAccuracyDifference(shuffled, { seed: 3 })).toEqual(bootstrapAccuracyDifference(cases, { seed: 3 }));
  });

  it("draws different resamples for different seeds", () => {
    const bounds = new Set(
      [1, 2, 3, 4, 5].map((seed) => {
        const r = bootstrapAccuracyDifference(cases, { seed, replicates: 200 });
        return `${r.lower}/${r.upper}`;
      }),
    );
    expect(bounds.size).toBeGreaterThan(1);
  });

  it("gives a zero-width interval when both raters agree on every case", () => {
    const same = cases.map((c) => ({ ...c, secondCorrect: c.firstCorrect }));
    const r = bootstrapAccuracyDifference(same, { seed: 1 });
    expect([r.difference, r.lower, r.upper]).toEqual([0, 0, 0]);
  });
});

import { describe, expect, it } from "vitest";
import { SeededRng } from "../random/seeded-rng.ts";
import { stratifiedKFold } from "./folds.ts";

describe("stratifiedKFold", () => {
  const labels = [...Array(12).fill(0), ...Array(8).fill(1), ...Array(4).fill(2)] as number[];

  it("partitions the items into k validation parts, each with every class in proportion", () => {
    const folds = stratifiedKFold(labels, 4, SeededRng.fromSeed(1));
    const allValidation = folds.flatMap((f) => f.validationIndices).sort((a, b) => a - b);
    expect(allValidation).toEqual(labels.map((_, i) => i));
    for (const f of folds) {
      expect(f.trainIndices.length + f.validationIndices.length).toBe(labels.length);
      expect(f.trainIndices.some((i) => f.validationIndices.includes(i))).toBe(false);
      expect([0, 1, 2].map((c) => f.validationIndices.filter((i) => labels[i] === c).length)).toEqual([3, 2, 1]);
    }
  });

  it("keeps each patient's images in one fold", () => {
    const groups = labels.map((_, i) => `patient-${Math.floor(i / 2)}`);
    const folds = stratifiedKFold(labels, 3, SeededRng.fromSeed(4), groups);
    for (const f of folds) {
      const trainPatients = new Set(f.trainIndices.map((i) => groups[i]));
      expect(f.validationIndices.some((i) => trainPatients.has(groups[i]))).toBe(false);
    }
  });

  it("refuses more folds than items", () => {
    expect(() => stratifiedKFold([0, 1, 0], 4, SeededRng.fromSeed(1))).toThrow(/4 folds need at least 4 items, got 3/);
  });
});

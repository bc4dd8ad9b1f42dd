import { describe, expect, it } from "vitest";
import { classificationMetrics } from "./classification-metrics.ts";

describe("classificationMetrics", () => {
  it("computes accuracy, per-class precision/recall/F1, the confusion matrix and one-vs-rest AUC", () => {
    // Truth A A A B B C; predictions (argmax) A A B B C C.
    const scores = [
      [0.8, 0.1, 0.1],
      [0.6, 0.3, 0.1],
      [0.3, 0.6, 0.1],
      [0.35, 0.55, 0.1],
      [0.1, 0.3, 0.6],
      [0.1, 0.2, 0.7],
    ];
    const m = classificationMetrics(["A", "B", "C"], [0, 0, 0, 1, 1, 2], scores);
    expect(m.n).toBe(6);
    expect(m.accuracy).toBeCloseTo(4 / 6);
    expect(m.confusion.counts).toEqual([
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    const [a, b, c] = m.perClass;
    expect(a).toMatchObject({ className: "A", support: 3, precision: 1, recall: 2 / 3 });
    expect(a!.f1).toBeCloseTo(0.8);
    expect(b).toMatchObject({ precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(c).toMatchObject({ precision: 0.5, recall: 1 });
    // A's scores: positives 0.8 0.6 0.3, negatives 0.35 0.1 0.1: 8 of 9 pairs ordered right.
    expect(a!.auc).toBeCloseTo(8 / 9);
    expect(c!.auc).toBe(1);
    expect(m.macro.recall).toBeCloseTo((2 / 3 + 0.5 + 1) / 3);
  });

  it("leaves undefined figures null: a class never predicted, a class absent from the truth", () => {
    const m = classificationMetrics(
      ["A", "B"],
      [0, 0],
      [
        [0.9, 0.1],
        [0.8, 0.2],
      ],
    );
    expect(m.perClass[1]).toMatchObject({ support: 0, precision: null, recall: null, f1: null, auc: null });
    expect(m.perClass[0]!.auc).toBeNull(); // no negatives
  });
});

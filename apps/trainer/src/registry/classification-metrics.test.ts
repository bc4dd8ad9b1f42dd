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

/*
 * scikit-learn's definitions (sklearn.metrics.precision_recall_fscore_support, scikit-learn 1.3+
 * user guide "Precision, recall and F-measures"): precision = TP / (TP + FP), recall = TP / (TP + FN),
 * F1 = 2 TP / (2 TP + FP + FN); average="macro" is the unweighted mean over `labels`, which by
 * default are all labels in y_true and y_pred; zero_division="warn" (the default) "acts as 0".
 * The expected figures below are worked by hand from the confusion matrices in the comments.
 */
describe("macro averages as scikit-learn defines them", () => {
  const onehot = (k: number, classes: number) => Array.from({ length: classes }, (_, j) => (j === k ? 0.9 : 0.05));

  it("a fold that predicts every image as one class: the never-predicted classes count as precision 0", () => {
    // truth: 5 A, 3 B, 2 C; prediction: A for all ten.
    //          pred A  B  C
    //   true A      5  0  0     precision A = 5/10 = 0.5, B and C undefined (0/0) -> 0
    //   true B      3  0  0     recall    A = 5/5 = 1,    B = 0/3 = 0, C = 0/2 = 0
    //   true C      2  0  0     F1        A = 10/(10+5+0) = 2/3, B = 0/(0+0+3) = 0, C = 0
    const truth = [0, 0, 0, 0, 0, 1, 1, 1, 2, 2];
    const m = classificationMetrics(
      ["A", "B", "C"],
      truth,
      truth.map(() => onehot(0, 3)),
    );
    expect(m.perClass.map((c) => c.precision)).toEqual([0.5, null, null]); // undefined stays visible per class
    expect(m.perClass.map((c) => c.f1)).toEqual([2 / 3, 0, 0]);
    expect(m.macro.classes).toBe(3);
    expect(m.macro.precision).toBeCloseTo((0.5 + 0 + 0) / 3, 12); // 0.1667, not 0.5
    expect(m.macro.recall).toBeCloseTo((1 + 0 + 0) / 3, 12);
    expect(m.macro.f1).toBeCloseTo((2 / 3 + 0 + 0) / 3, 12); // 0.2222, not 0.667
  });

  it("a class predicted but never true counts; a class neither true nor predicted does not", () => {
    // classes A B C D; truth A A B B; prediction A B B C. Labels in y_true or y_pred: A, B, C.
    //          pred A  B  C  D
    //   true A      1  1  0  0   precision A = 1/1, B = 1/2, C = 0/1 = 0
    //   true B      0  1  1  0   recall    A = 1/2, B = 1/2, C undefined (0/0) -> 0
    //   (C, D have no images)    F1        A = 2/(2+0+1) = 2/3, B = 2/(2+1+1) = 1/2, C = 0/(0+1+0) = 0
    const m = classificationMetrics(
      ["A", "B", "C", "D"],
      [0, 0, 1, 1],
      [onehot(0, 4), onehot(1, 4), onehot(1, 4), onehot(2, 4)],
    );
    expect(m.perClass.map((c) => c.recall)).toEqual([0.5, 0.5, null, null]);
    expect(m.perClass[3]).toMatchObject({ support: 0, precision: null, recall: null, f1: null });
    expect(m.macro.classes).toBe(3);
    expect(m.macro.precision).toBeCloseTo((1 + 0.5 + 0) / 3, 12);
    expect(m.macro.recall).toBeCloseTo((0.5 + 0.5 + 0) / 3, 12);
    expect(m.macro.f1).toBeCloseTo((2 / 3 + 1 / 2 + 0) / 3, 12);
  });
});

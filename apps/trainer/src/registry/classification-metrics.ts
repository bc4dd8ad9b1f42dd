import { classificationSummary, empiricalAuc } from "@mammo/study-stats";

export type ClassMetrics = {
  className: string;
  /** Images whose truth is this class. */
  support: number;
  /** null when the class was never predicted. */
  precision: number | null;
  /** null when no image has this truth. */
  recall: number | null;
  f1: number | null;
  /** One-vs-rest AUC of the class's score (the summed softmax for an ensemble); null without positives or negatives. */
  auc: number | null;
};

export type ClassificationMetrics = {
  n: number;
  accuracy: number;
  /** Wilson 95% interval of the accuracy. */
  accuracyCi: [number, number];
  perClass: ClassMetrics[];
  /** Unweighted means over the classes where each is defined. */
  macro: { precision: number | null; recall: number | null; f1: number | null; auc: number | null };
  /** Rows are the truth, columns the prediction, in classNames order. */
  confusion: { classes: string[]; counts: number[][] };
};

const mean = (values: Array<number | null>) => {
  const defined = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return defined.length > 0 ? defined.reduce((a, b) => a + b, 0) / defined.length : null;
};

/**
 * Accuracy, per-class precision / recall / F1, the confusion matrix (@mammo/study-stats) and
 * one-vs-rest AUC per class. truth[i] and scores[i] belong to image i; scores[i][k] is class k's score.
 */
export function classificationMetrics(
  classNames: readonly string[],
  truth: readonly number[],
  scores: readonly (readonly number[])[],
): ClassificationMetrics {
  const predicted = scores.map((s) => s.indexOf(Math.max(...s)));
  const summary = classificationSummary(
    truth.map((t, i) => ({ caseId: String(i), truth: classNames[t]!, answer: classNames[predicted[i]!]! })),
    { classes: classNames },
  );
  const perClass = classNames.map((className, k): ClassMetrics => {
    const m = summary.perClass[k]!;
    const precision = m.ppv?.estimate ?? null;
    const recall = m.sensitivity?.estimate ?? null;
    const f1 =
      precision === null || recall === null
        ? null
        : precision + recall === 0
          ? 0
          : (2 * precision * recall) / (precision + recall);
    const isPositive = truth.map((t) => t === k);
    const hasBoth = isPositive.some(Boolean) && isPositive.some((p) => !p);
    return {
      className,
      support: m.support,
      precision,
      recall,
      f1,
      auc: hasBoth
        ? empiricalAuc(
            scores.map((s) => s[k]!),
            isPositive,
          )
        : null,
    };
  });
  return {
    n: summary.n,
    accuracy: summary.accuracy.estimate,
    accuracyCi: [summary.accuracy.lower, summary.accuracy.upper],
    perClass,
    macro: {
      precision: mean(perClass.map((c) => c.precision)),
      recall: mean(perClass.map((c) => c.recall)),
      f1: mean(perClass.map((c) => c.f1)),
      auc: mean(perClass.map((c) => c.auc)),
    },
    confusion: summary.confusion,
  };
}

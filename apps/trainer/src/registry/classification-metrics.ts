import { classificationSummary, empiricalAuc } from "@mammo/study-stats";

export type ClassMetrics = {
  className: string;
  /** Images whose truth is this class. */
  support: number;
  /** Undefined (null) when the class was never predicted: shown as such, counted as 0 in the macro mean. */
  precision: number | null;
  /** Undefined (null) when no image has this truth: counted as 0 in the macro mean. */
  recall: number | null;
  /** 2 TP / (2 TP + FP + FN); null only when the class is neither true nor predicted for any image. */
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
  /**
   * Unweighted means over the classes that occur in the truth or the predictions, an undefined
   * precision or recall counting as 0 (scikit-learn's macro average with zero_division=0, its
   * default "warn" behaviour). AUC: over the classes where it is defined (both positives and negatives).
   */
  macro: { precision: number | null; recall: number | null; f1: number | null; auc: number | null; classes: number };
  /** Rows are the truth, columns the prediction, in classNames order. */
  confusion: { classes: string[]; counts: number[][] };
};

const mean = (values: Array<number | null>) => {
  const defined = values.filter((v): v is number => v !== null && Number.isFinite(v));
  return defined.length > 0 ? defined.reduce((a, b) => a + b, 0) / defined.length : null;
};

/** scikit-learn's macro mean: every class present counts, an undefined value as 0. */
const macroMean = (values: Array<number | null>) =>
  values.length > 0 ? values.reduce((sum: number, v) => sum + (v ?? 0), 0) / values.length : null;

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
    const tp = summary.confusion.counts[k]![k]!;
    const predictedCount = summary.confusion.counts.reduce((sum, row) => sum + row[k]!, 0);
    // 2TP / (2TP + FP + FN) = 2TP / (predicted + support); undefined only for an absent class.
    const f1 = predictedCount + m.support > 0 ? (2 * tp) / (predictedCount + m.support) : null;
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
  // scikit-learn's default labels: those in the truth or the predictions.
  const present = perClass.filter((c, k) => c.support > 0 || predicted.includes(k));
  return {
    n: summary.n,
    accuracy: summary.accuracy.estimate,
    accuracyCi: [summary.accuracy.lower, summary.accuracy.upper],
    perClass,
    macro: {
      precision: macroMean(present.map((c) => c.precision)),
      recall: macroMean(present.map((c) => c.recall)),
      f1: macroMean(present.map((c) => c.f1)),
      auc: mean(perClass.map((c) => c.auc)),
      classes: present.length,
    },
    confusion: summary.confusion,
  };
}

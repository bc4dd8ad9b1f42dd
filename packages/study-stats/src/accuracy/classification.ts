import { invalidInput, requireConfidence } from "../util/errors.ts";
import { sortedUnique } from "../util/math.ts";
import { type Proportion, wilsonInterval } from "./proportion.ts";

/** One answer to score against the truth: a reader's or the AI's class for a case. */
export type LabelledAnswer = { caseId: string; truth: string; answer: string };

/** Rows are the truth, columns the answer, both in `classes` order. */
export type ConfusionMatrix = { classes: string[]; counts: number[][] };

export type ClassMetrics = {
  className: string;
  /** Cases whose truth is this class. */
  support: number;
  /** One-vs-rest sensitivity (recall); null when no case has this truth. */
  sensitivity: Proportion | null;
  /** One-vs-rest specificity; null when every case has this truth. */
  specificity: Proportion | null;
  /** Positive predictive value; null when the class was never answered. */
  ppv: Proportion | null;
};

export type ClassificationSummary = {
  n: number;
  accuracy: Proportion;
  perClass: ClassMetrics[];
  /** Unweighted means over the classes where the metric is defined. */
  macroSensitivity: number;
  macroSpecificity: number;
  confusion: ConfusionMatrix;
};

function assertUniqueCases(answers: readonly LabelledAnswer[]): void {
  const seen = new Set<string>();
  for (const a of answers) {
    if (seen.has(a.caseId)) throw invalidInput(`case ${a.caseId} appears twice; give one answer per case`);
    seen.add(a.caseId);
  }
}

/**
 * Confusion matrix of answers against truth. `classes` fixes the order (and lets classes that
 * never occur still show); by default it is the sorted union of truths and answers.
 */
export function confusionMatrix(answers: readonly LabelledAnswer[], classes?: readonly string[]): ConfusionMatrix {
  const order = classes ? [...classes] : sortedUnique(answers.flatMap((a) => [a.truth, a.answer]));
  const index = new Map(order.map((c, i) => [c, i]));
  const counts = order.map(() => order.map(() => 0));
  for (const a of answers) {
    const t = index.get(a.truth);
    const p = index.get(a.answer);
    if (t === undefined)
      throw invalidInput(`case ${a.caseId}: truth "${a.truth}" is not one of the classes ${order.join(", ")}`);
    if (p === undefined)
      throw invalidInput(`case ${a.caseId}: answer "${a.answer}" is not one of the classes ${order.join(", ")}`);
    counts[t]![p]! += 1;
  }
  return { classes: order, counts };
}

/**
 * Accuracy with its Wilson interval, one-vs-rest sensitivity, specificity and PPV per class
 * with Wilson intervals, macro averages and the confusion matrix.
 */
export function classificationSummary(
  answers: readonly LabelledAnswer[],
  options: { classes?: readonly string[]; confidence?: number } = {},
): ClassificationSummary {
  const confidence = options.confidence ?? 0.95;
  requireConfidence(confidence);
  if (answers.length === 0) throw invalidInput("no answers to score");
  assertUniqueCases(answers);
  const confusion = confusionMatrix(answers, options.classes);
  const { classes, counts } = confusion;
  const n = answers.length;
  const correct = classes.reduce((s, _c, i) => s + counts[i]![i]!, 0);
  const perClass = classes.map((className, c): ClassMetrics => {
    const tp = counts[c]![c]!;
    const support = counts[c]!.reduce((s, v) => s + v, 0);
    const answered = counts.reduce((s, row) => s + row[c]!, 0);
    const fp = answered - tp;
    const negatives = n - support;
    const tn = negatives - fp;
    return {
      className,
      support,
      sensitivity: support > 0 ? wilsonInterval(tp, support, confidence) : null,
      specificity: negatives > 0 ? wilsonInterval(tn, negatives, confidence) : null,
      ppv: answered > 0 ? wilsonInterval(tp, answered, confidence) : null,
    };
  });
  const macro = (pick: (m: ClassMetrics) => Proportion | null) => {
    const defined = perClass.map(pick).filter((p): p is Proportion => p !== null);
    return defined.length ? defined.reduce((s, p) => s + p.estimate, 0) / defined.length : Number.NaN;
  };
  return {
    n,
    accuracy: wilsonInterval(correct, n, confidence),
    perClass,
    macroSensitivity: macro((m) => m.sensitivity),
    macroSpecificity: macro((m) => m.specificity),
    confusion,
  };
}

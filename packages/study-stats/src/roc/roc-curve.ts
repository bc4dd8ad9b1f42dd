import { invalidInput } from "../util/errors.ts";
import { compareStrings, sortedUnique } from "../util/math.ts";
import {
  type AucEstimate,
  aucWithDelong,
  type BinaryTruth,
  delongPairedTest,
  type PairedDelongResult,
} from "./delong.ts";

/** One operating point: cases with score ≥ threshold are called positive. */
export type RocPoint = { threshold: number; fpr: number; tpr: number };

/**
 * Empirical ROC curve from (0, 0) to (1, 1): one point per distinct score, highest first; the
 * first point has threshold +Infinity (nothing called positive).
 */
export function rocCurve(scores: readonly number[], truth: BinaryTruth): RocPoint[] {
  if (scores.length !== truth.length) throw invalidInput(`got ${scores.length} scores for ${truth.length} cases`);
  const positives = truth.filter(Boolean).length;
  const negatives = truth.length - positives;
  if (positives === 0 || negatives === 0) throw invalidInput("an ROC curve needs positive and negative cases");
  const order = scores.map((s, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const points: RocPoint[] = [{ threshold: Infinity, fpr: 0, tpr: 0 }];
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (truth[i]) tp++;
    else fp++;
    const next = order[k + 1];
    if (next === undefined || scores[next]! !== scores[i]!)
      points.push({ threshold: scores[i]!, fpr: fp / negatives, tpr: tp / positives });
  }
  return points;
}

/** A case scored for every class (e.g. the AI's softmax, or a reader's per-class confidence). */
export type ClassScoredCase = { caseId: string; truth: string; scores: Readonly<Record<string, number>> };

/** `estimate` is null (and `curve` empty when a side is missing) for a class with fewer than 2 positive or 2 negative cases. */
export type OneVsRestRoc = { className: string; positives: number; curve: RocPoint[]; estimate: AucEstimate | null };

function countsOf(truth: readonly boolean[]): { positives: number; negatives: number } {
  const positives = truth.filter(Boolean).length;
  return { positives, negatives: truth.length - positives };
}

function classesOf(cases: readonly ClassScoredCase[], classes?: readonly string[]): string[] {
  return classes ? [...classes] : sortedUnique(cases.map((c) => c.truth));
}

function scoreOf(c: ClassScoredCase, className: string): number {
  const s = c.scores[className];
  if (s === undefined) throw invalidInput(`case ${c.caseId} has no score for class "${className}"`);
  return s;
}

/** One-vs-rest ROC curve and DeLong AUC per class (positives: truth = class; score: that class's score). */
export function oneVsRestRoc(
  cases: readonly ClassScoredCase[],
  options: { classes?: readonly string[]; confidence?: number } = {},
): OneVsRestRoc[] {
  const sorted = [...cases].sort((a, b) => compareStrings(a.caseId, b.caseId));
  return classesOf(sorted, options.classes).map((className) => {
    const truth = sorted.map((c) => c.truth === className);
    const scores = sorted.map((c) => scoreOf(c, className));
    const { positives, negatives } = countsOf(truth);
    return {
      className,
      positives,
      curve: positives > 0 && negatives > 0 ? rocCurve(scores, truth) : [],
      estimate: positives >= 2 && negatives >= 2 ? aucWithDelong(scores, truth, options) : null,
    };
  });
}

/**
 * Paired DeLong test per class between two raters (null for a class with fewer than 2 positive
 * or 2 negative cases) (e.g. the AI and a reader) who scored the same
 * cases; cases are matched by caseId and both sides must cover the same cases.
 */
export function oneVsRestPairedDelong(
  first: readonly ClassScoredCase[],
  second: readonly ClassScoredCase[],
  options: { classes?: readonly string[]; confidence?: number } = {},
): { className: string; test: PairedDelongResult | null }[] {
  const byId = new Map(second.map((c) => [c.caseId, c]));
  if (byId.size !== first.length || first.some((c) => !byId.has(c.caseId))) {
    throw invalidInput("a paired DeLong test needs both raters to score exactly the same cases");
  }
  const sorted = [...first].sort((a, b) => compareStrings(a.caseId, b.caseId));
  return classesOf(sorted, options.classes).map((className) => {
    const truth = sorted.map((c) => c.truth === className);
    const a = sorted.map((c) => scoreOf(c, className));
    const b = sorted.map((c) => scoreOf(byId.get(c.caseId)!, className));
    const { positives, negatives } = countsOf(truth);
    return { className, test: positives >= 2 && negatives >= 2 ? delongPairedTest(a, b, truth, options) : null };
  });
}

/**
 * Per-class scores from a single answer and a 0-100 confidence in it, for readers who name one
 * class. For class c the score is 100 + confidence when the reader named c, and
 * 100 − confidence otherwise: every case called c outranks every case not called c, a confident
 * c outranks a hesitant one, and a hesitant other answer outranks a confident one. A convention
 * of this platform (not a published method); the empirical AUC only uses the ordering.
 */
export function scoresFromAnswer(
  answer: string,
  confidence: number,
  classes: readonly string[],
): Record<string, number> {
  if (!classes.includes(answer)) throw invalidInput(`answer "${answer}" is not one of ${classes.join(", ")}`);
  if (!(confidence >= 0 && confidence <= 100))
    throw invalidInput(`confidence must be within 0..100, got ${confidence}`);
  return Object.fromEntries(classes.map((c) => [c, c === answer ? 100 + confidence : 100 - confidence]));
}

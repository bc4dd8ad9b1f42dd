// Warnings a published model carries on its page and model card. Free of TensorFlow.js: the API
// computes them from the stored metrics (entry @mammo/ml-core/model-flags).

export type ModelFlag = { code: "ACCURACY_AT_CHANCE" | "BEST_EPOCH_FIRST"; message: string };

/** The part of a model version's stored metrics the flags read. */
export type FlaggedMetrics = {
  ensemble?: {
    n: number;
    accuracy: number;
    accuracyCi?: [number, number];
    confusion?: { classes: string[]; counts: number[][] };
  };
  folds?: Array<{ fold: number; bestEpoch: number | null; epochsCompleted?: number }>;
};

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

/**
 * A model whose test accuracy could be chance, or whose training never improved on its first
 * epoch, is flagged. Chance is the better of guessing (1 / classes) and always answering the
 * test set's most frequent class (the no-information rate); the flag is raised when the accuracy's
 * 95% interval reaches down to it. A fold whose best epoch (by validation loss) is the first, out
 * of more than one, did not learn anything validation could see.
 */
export function modelQualityFlags(metrics: FlaggedMetrics | null | undefined): ModelFlag[] {
  const flags: ModelFlag[] = [];
  const ensemble = metrics?.ensemble;
  if (ensemble?.accuracyCi && ensemble.confusion && ensemble.n > 0) {
    const { classes, counts } = ensemble.confusion;
    const largest = Math.max(...counts.map((row) => row.reduce((a, b) => a + b, 0)));
    const chance = Math.max(1 / classes.length, largest / ensemble.n);
    if (ensemble.accuracyCi[0] <= chance)
      flags.push({
        code: "ACCURACY_AT_CHANCE",
        message: `test accuracy ${pct(ensemble.accuracy)} (95% CI ${pct(ensemble.accuracyCi[0])}-${pct(ensemble.accuracyCi[1])}) on ${ensemble.n} images does not exclude chance (${pct(chance)}: ${largest / ensemble.n > 1 / classes.length ? "always answering the most frequent class" : `guessing among ${classes.length} classes`})`,
      });
  }
  const first = (metrics?.folds ?? []).filter((f) => f.bestEpoch === 1 && (f.epochsCompleted ?? 2) > 1);
  if (first.length > 0)
    flags.push({
      code: "BEST_EPOCH_FIRST",
      message: `the best epoch of fold${first.length > 1 ? "s" : ""} ${first.map((f) => f.fold + 1).join(", ")} is the first: validation loss never improved after epoch 1`,
    });
  return flags;
}

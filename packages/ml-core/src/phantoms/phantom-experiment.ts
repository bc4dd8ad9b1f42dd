import { type GreyImage } from "../data/grey-image.ts";
import { prepareGreyImage } from "../data/preprocess.ts";
import { explainImage } from "../explain/explain-image.ts";
import { type GradCamMethod, type GradCamScore } from "../explain/grad-cam.ts";
import { energyInside, pointingGame } from "../metrics/saliency-metrics.ts";
import { type ClassifierModel } from "../model/model-metadata.ts";
import { SeededRng } from "../random/seeded-rng.ts";
import { argMax, type LabelledImage } from "../train/evaluate.ts";
import { predictClassifier } from "../train/predict.ts";
import { type TrainingParams } from "../train/presets.ts";
import { trainFold, type TrainingProgress } from "../train/train-fold.ts";
import { generatePhantomSet, type Phantom, type PhantomClass } from "./generate-phantom.ts";

export type PhantomExperimentOptions = {
  params: TrainingParams;
  count: number;
  classes: readonly PhantomClass[];
  /** Shares of the phantoms held out for validation (best epoch) and test. */
  validationFraction: number;
  testFraction: number;
  phantomSeed: string;
  widthPx?: number;
  heightPx?: number;
  lesionScale?: number;
  /** Pointing-game tolerance in source-image pixels. */
  tolerancePx: number;
  /** Also report the pointing game at these layers and methods (e.g. block4_conv3, Grad-CAM++). */
  alsoExplain?: ReadonlyArray<{ layerName: string; method: GradCamMethod; score?: GradCamScore }>;
  onProgress?: (progress: TrainingProgress) => void;
};

export type PhantomExperimentResult = {
  params: TrainingParams;
  counts: { train: number; validation: number; test: number };
  testAccuracy: number;
  confusion: number[][];
  /** Among correctly classified test phantoms with a lesion: how often Grad-CAM's peak is on the lesion (within the tolerance). */
  pointingHitRate: number | null;
  pointingCases: number;
  meanEnergyInside: number | null;
  /** Hit rates for `alsoExplain`, keyed "layer/method" (and "/score" when not the logit). */
  otherPointingHitRates: Record<string, number>;
  /**
   * Grad-CAM's pointing game per class: hits on the lesion mask, and peaks in the lesion's
   * surroundings (within 2 lesion radii of its centre: where the generator puts the
   * tubule-forming type's evidence), with the median peak distance from the mask.
   */
  pointingByClass: Record<
    string,
    { hits: number; inSurroundings: number; cases: number; medianDistancePx: number | null }
  >;
  bestEpoch: number | null;
  history: Array<{
    epoch: number;
    loss: number;
    accuracy: number;
    valLoss: number | null;
    valAccuracy: number | null;
    seconds: number;
  }>;
  trainSeconds: number;
  classifier: ClassifierModel;
};

const toGrey = (p: Phantom): GreyImage => ({ width: p.width, height: p.height, data: p.image8 });

/** Splits phantoms per class into train / validation / test, so every part has every class. */
function split(
  phantoms: Phantom[],
  classes: readonly PhantomClass[],
  validationFraction: number,
  testFraction: number,
  rng: SeededRng,
) {
  const parts = { train: [] as Phantom[], validation: [] as Phantom[], test: [] as Phantom[] };
  for (const cls of classes) {
    const members = rng.shuffle(phantoms.filter((p) => p.subtype === cls));
    const nTest = Math.round(members.length * testFraction);
    const nVal = Math.round(members.length * validationFraction);
    parts.test.push(...members.slice(0, nTest));
    parts.validation.push(...members.slice(nTest, nTest + nVal));
    parts.train.push(...members.slice(nTest + nVal));
  }
  return parts;
}

/**
 * Trains a VGG-16 on synthetic phantoms and measures what the platform promises: held-out
 * accuracy and whether Grad-CAM (the model's default layer, block5_conv3) points at the lesion.
 * The caller disposes result.classifier.
 */
export async function runPhantomExperiment(options: PhantomExperimentOptions): Promise<PhantomExperimentResult> {
  const { params, classes } = options;
  const phantoms = generatePhantomSet({
    count: options.count,
    seed: options.phantomSeed,
    classes,
    widthPx: options.widthPx,
    heightPx: options.heightPx,
    lesionScale: options.lesionScale,
  });
  const parts = split(
    phantoms,
    classes,
    options.validationFraction,
    options.testFraction,
    SeededRng.fromSeed(`${options.phantomSeed}/split`),
  );
  const labelled = (list: Phantom[]): LabelledImage[] =>
    list.map((p) => ({ image: prepareGreyImage(toGrey(p), params.preprocessing), label: classes.indexOf(p.subtype) }));

  const started = performance.now();
  const result = await trainFold({
    params,
    classNames: classes,
    train: labelled(parts.train),
    validation: labelled(parts.validation),
    onProgress: options.onProgress,
  });
  const trainSeconds = (performance.now() - started) / 1000;
  const classifier = result.classifier!;

  const probabilities = predictClassifier(classifier, parts.test.map(toGrey));
  const confusion = classes.map(() => classes.map(() => 0));
  let correct = 0;
  let energy = 0;
  const otherHits: Record<string, number> = {};
  const byClass: Record<string, { hits: number; inSurroundings: number; cases: number; distances: number[] }> = {};
  parts.test.forEach((phantom, i) => {
    const truth = classes.indexOf(phantom.subtype);
    const predicted = argMax(probabilities[i]!);
    confusion[truth]![predicted]!++;
    if (predicted !== truth) return;
    correct++;
    if (!phantom.lesion) return;
    const { heatmap } = explainImage(classifier, toGrey(phantom), { classIndex: predicted });
    const region = { width: phantom.width, height: phantom.height, data: phantom.lesionMask };
    const { hit, peak, distancePx } = pointingGame(heatmap, region, options.tolerancePx);
    const tally = (byClass[phantom.subtype] ??= { hits: 0, inSurroundings: 0, cases: 0, distances: [] });
    tally.cases++;
    if (hit) tally.hits++;
    const { centre, radiusPx } = phantom.lesion;
    if (peak && Math.hypot(peak.x - centre.x, peak.y - centre.y) <= 2 * radiusPx) tally.inSurroundings++;
    if (distancePx !== null) tally.distances.push(distancePx);
    energy += energyInside(heatmap, region);
    for (const { layerName, method, score } of options.alsoExplain ?? []) {
      const other = explainImage(classifier, toGrey(phantom), {
        classIndex: predicted,
        layerName,
        method,
        score,
      }).heatmap;
      const key = [layerName, method, ...(score && score !== "logit" ? [score] : [])].join("/");
      otherHits[key] = (otherHits[key] ?? 0) + (pointingGame(other, region, options.tolerancePx).hit ? 1 : 0);
    }
  });
  const tallies = Object.values(byClass);
  const cases = tallies.reduce((n, t) => n + t.cases, 0);
  const hits = tallies.reduce((n, t) => n + t.hits, 0);
  return {
    params,
    counts: { train: parts.train.length, validation: parts.validation.length, test: parts.test.length },
    testAccuracy: correct / parts.test.length,
    confusion,
    pointingHitRate: cases > 0 ? hits / cases : null,
    pointingCases: cases,
    meanEnergyInside: cases > 0 ? energy / cases : null,
    otherPointingHitRates: Object.fromEntries(Object.entries(otherHits).map(([key, n]) => [key, n / cases])),
    pointingByClass: Object.fromEntries(
      Object.entries(byClass).map(([subtype, { distances, ...tally }]) => {
        const sorted = distances.sort((x, y) => x - y);
        return [
          subtype,
          { ...tally, medianDistancePx: sorted.length ? +sorted[Math.floor(sorted.length / 2)]!.toFixed(1) : null },
        ];
      }),
    ),
    bestEpoch: result.best?.epoch ?? null,
    history: result.history,
    trainSeconds,
    classifier,
  };
}

/**
 * Must-show benchmark: VGG-16 (full width, random init) trained on synthetic phantoms with the
 * best available CPU backend; held-out accuracy and Grad-CAM pointing game on the lesion mask.
 *   npm run bench:phantoms -- [--seeds 1,2,3] [--count 300] [--input 96] [--classes TUBULE_FORMING,SOLID,SCIRRHOUS[,NORMAL]]
 *     [--epochs 40] [--lr 1e-4] [--bn-statistics training-set|moving-average] [--backend native] [--head study|gap]
 *     [--also layer/method[/score],...] [--save-model DIR] ...
 * Each seed draws its own phantoms, split and initial weights. Prints a line per seed and the mean
 * and range over the seeds (accuracy, pointing game per method, and how much the validation
 * accuracy swings from epoch to epoch), and writes bench/results/phantoms.json.
 */
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type BackendName, setupBackend } from "../src/backends/setup-backend.ts";
import { GRAD_CAM_SCORES, type GradCamMethod, type GradCamScore } from "../src/explain/grad-cam.ts";
import { PHANTOM_CLASSES, type PhantomClass } from "../src/phantoms/generate-phantom.ts";
import { saveClassifierToDirectory } from "../src/model/model-artifact.ts";
import { type PhantomExperimentResult, runPhantomExperiment } from "../src/phantoms/phantom-experiment.ts";
import { resolveTrainingParams } from "../src/train/presets.ts";

const { values: args } = parseArgs({
  options: {
    count: { type: "string", default: "300" },
    input: { type: "string", default: "96" },
    epochs: { type: "string", default: "40" },
    batch: { type: "string", default: "8" },
    lr: { type: "string", default: "1e-4" },
    "lesion-scale": { type: "string", default: "1.8" },
    tolerance: { type: "string", default: "15" },
    seeds: { type: "string", default: "1,2,3" },
    "bn-statistics": { type: "string", default: "training-set" },
    "width-scale": { type: "string", default: "1" },
    backend: { type: "string" },
    head: { type: "string", default: "study" },
    // The study's task by default (the three subtypes); add NORMAL for the generator's four classes.
    classes: { type: "string", default: "TUBULE_FORMING,SOLID,SCIRRHOUS" },
    // Keep the trained model (TF.js layers format) for a closer look at its heatmaps.
    "save-model": { type: "string" },
    // Further layer/method[/score] whose pointing game is reported next to block5_conv3 Grad-CAM's.
    also: { type: "string", default: "block5_conv3/gradcam/log-odds,block5_conv3/gradcam++,block4_conv3/gradcam" },
    out: { type: "string", default: join(dirname(fileURLToPath(import.meta.url)), "results", "phantoms.json") },
  },
});

const classes = args.classes.split(",") as PhantomClass[];
const unknown = classes.filter((c) => !PHANTOM_CLASSES.includes(c));
if (unknown.length > 0 || classes.length < 2)
  throw new Error(`--classes: give two or more of ${PHANTOM_CLASSES.join(", ")} (got ${args.classes})`);
const backend = await setupBackend(args.backend as BackendName | undefined);
const alsoExplain = args.also
  .split(",")
  .filter(Boolean)
  .map((pair) => {
    const [layerName, method, score = "logit"] = pair.split("/");
    if (
      !layerName ||
      (method !== "gradcam" && method !== "gradcam++") ||
      !GRAD_CAM_SCORES.includes(score as GradCamScore)
    ) {
      throw new Error(
        `--also: "${pair}" is not layer/gradcam or layer/gradcam++, optionally followed by /${GRAD_CAM_SCORES.join(" or /")}`,
      );
    }
    return { layerName, method: method as GradCamMethod, score: score as GradCamScore };
  });
const seeds = args.seeds.split(",").map(Number);
const loadAtStart = os.loadavg()[0]!;
const started = performance.now();
const pct = (v: number | null) => (v === null ? "n/a" : `${(100 * v).toFixed(0)}%`);

/** How much validation accuracy moves between consecutive epochs after the first quarter, and how often it sits at chance. */
function validationSwing(history: Array<{ valAccuracy: number | null }>, classCount: number) {
  const later = history.slice(Math.floor(history.length / 4)).map((h) => h.valAccuracy ?? 0);
  const steps = later.slice(1).map((v, i) => Math.abs(v - later[i]!));
  return {
    meanAbsChange: steps.reduce((a, b) => a + b, 0) / Math.max(1, steps.length),
    maxAbsChange: Math.max(0, ...steps),
    epochsAtChance: later.filter((v) => v <= 1 / classCount + 0.05).length,
  };
}

type Run = Omit<PhantomExperimentResult, "classifier"> & {
  seed: number;
  pointingRates: Record<string, number | null>;
  validationSwing: ReturnType<typeof validationSwing>;
};
const runs: Run[] = [];
for (const seed of seeds) {
  const params = resolveTrainingParams("quick", {
    seed,
    epochs: Number(args.epochs),
    batchSize: Number(args.batch),
    preprocessing: { inputSize: Number(args.input) },
    model: {
      widthScale: Number(args["width-scale"]),
      head: args.head as "study" | "gap",
      batchNormStatistics: args["bn-statistics"] as "training-set" | "moving-average",
    },
    optimizer: { learningRate: Number(args.lr) },
  });
  const result = await runPhantomExperiment({
    params,
    count: Number(args.count),
    classes,
    validationFraction: 0.15,
    testFraction: 0.2,
    phantomSeed: `bench-${seed}`,
    lesionScale: Number(args["lesion-scale"]),
    tolerancePx: Number(args.tolerance),
    alsoExplain,
    onProgress: (p) => {
      if (p.kind === "epoch")
        console.log(
          `seed ${seed} epoch ${p.epoch}/${p.epochs}: loss ${p.loss.toFixed(3)} acc ${p.accuracy.toFixed(2)}, val loss ${p.valLoss?.toFixed(3)} acc ${p.valAccuracy?.toFixed(2)} (${p.seconds.toFixed(0)} s)`,
        );
    },
  });
  if (args["save-model"]) await saveClassifierToDirectory(result.classifier, join(args["save-model"], `seed-${seed}`));
  result.classifier.model.dispose();
  const { classifier: _, ...figures } = result;
  const run: Run = {
    seed,
    ...figures,
    pointingRates: { "block5_conv3/gradcam": result.pointingHitRate, ...result.otherPointingHitRates },
    validationSwing: validationSwing(result.history, classes.length),
  };
  runs.push(run);
  console.log(
    `seed ${seed}: test accuracy ${result.testAccuracy.toFixed(3)} on ${result.counts.test}, pointing ${Object.entries(
      run.pointingRates,
    )
      .map(([key, rate]) => `${key} ${pct(rate)}`)
      .join(", ")} (of ${result.pointingCases} correct), best epoch ${result.bestEpoch}/${args.epochs}, ` +
      `validation accuracy swing ${run.validationSwing.meanAbsChange.toFixed(3)} mean / ${run.validationSwing.maxAbsChange.toFixed(2)} max per epoch, ${run.validationSwing.epochsAtChance} epochs at chance, training ${Math.round(result.trainSeconds)} s`,
  );
}

const summary = (values: Array<number | null>) => {
  const defined = values.filter((v): v is number => v !== null);
  return {
    mean: defined.reduce((a, b) => a + b, 0) / Math.max(1, defined.length),
    min: Math.min(...defined),
    max: Math.max(...defined),
  };
};
const methods = Object.keys(runs[0]!.pointingRates);
const aggregate = {
  testAccuracy: summary(runs.map((r) => r.testAccuracy)),
  pointing: Object.fromEntries(methods.map((m) => [m, summary(runs.map((r) => r.pointingRates[m] ?? null))])),
  validationSwingMeanAbsChange: summary(runs.map((r) => r.validationSwing.meanAbsChange)),
  epochsAtChance: summary(runs.map((r) => r.validationSwing.epochsAtChance)),
  bestEpoch: summary(runs.map((r) => r.bestEpoch)),
  trainSeconds: summary(runs.map((r) => r.trainSeconds)),
};
const totalSeconds = (performance.now() - started) / 1000;
const figures = {
  date: new Date().toISOString(),
  machine: {
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    loadAverageAtStart: +loadAtStart.toFixed(1),
    loadAverageAtEnd: +os.loadavg()[0]!.toFixed(1),
    node: process.version,
  },
  backend: `${backend.name} (${backend.detail})`,
  phantoms: { count: Number(args.count), classes, lesionScale: Number(args["lesion-scale"]), sizePx: [256, 320] },
  input: Number(args.input),
  batchNormStatistics: args["bn-statistics"],
  tolerancePx: Number(args.tolerance),
  seeds,
  aggregate,
  runs,
  totalSeconds: Math.round(totalSeconds),
};
await mkdir(dirname(args.out), { recursive: true });
await writeFile(args.out, `${JSON.stringify(figures, null, 2)}\n`);
const range = (s: { mean: number; min: number; max: number }, f = pct) => `${f(s.mean)} (${f(s.min)}-${f(s.max)})`;
console.log(
  `phantoms ${backend.name} input ${args.input}, ${args.head} head, BatchNorm statistics ${args["bn-statistics"]}, seeds ${seeds.join(", ")}: ` +
    `test accuracy ${range(aggregate.testAccuracy, (v) => (v === null ? "n/a" : v.toFixed(3)))}, pointing game (mean, range) ${methods
      .map((m) => `${m} ${range(aggregate.pointing[m]!)}`)
      .join(
        ", ",
      )}; validation accuracy swing ${range(aggregate.validationSwingMeanAbsChange, (v) => (v ?? 0).toFixed(3))} per epoch, ` +
    `epochs at chance ${range(aggregate.epochsAtChance, (v) => String(v))}; ${Math.round(totalSeconds)} s`,
);
console.log(`figures written to ${args.out}`);

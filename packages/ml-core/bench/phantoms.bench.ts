/**
 * Must-show benchmark: VGG-16 (full width, random init) trained on synthetic phantoms with the
 * best available CPU backend; held-out accuracy and Grad-CAM pointing game on the lesion mask.
 *   npm run bench:phantoms -- [--count 300] [--input 96] [--classes TUBULE_FORMING,SOLID,SCIRRHOUS[,NORMAL]] [--epochs 40] [--lr 1e-4]
 *     [--backend native] [--head study|gap] [--also layer/method[/score],...] [--save-model DIR] ...
 * Writes bench/results/phantoms.json and prints the line for BENCHMARKS.md.
 */
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { type BackendName, setupBackend } from "../src/backends/setup-backend.ts";
import { GRAD_CAM_SCORES, type GradCamScore } from "../src/explain/grad-cam.ts";
import { PHANTOM_CLASSES, type PhantomClass } from "../src/phantoms/generate-phantom.ts";
import { saveClassifierToDirectory } from "../src/model/model-artifact.ts";
import { runPhantomExperiment } from "../src/phantoms/phantom-experiment.ts";
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
    seed: { type: "string", default: "1" },
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
const params = resolveTrainingParams("quick", {
  seed: Number(args.seed),
  epochs: Number(args.epochs),
  batchSize: Number(args.batch),
  preprocessing: { inputSize: Number(args.input) },
  model: { widthScale: Number(args["width-scale"]), head: args.head as "study" | "gap" },
  optimizer: { learningRate: Number(args.lr) },
});
const loadAtStart = os.loadavg()[0]!;
const started = performance.now();
const result = await runPhantomExperiment({
  params,
  count: Number(args.count),
  classes,
  validationFraction: 0.15,
  testFraction: 0.2,
  phantomSeed: `bench-${args.seed}`,
  lesionScale: Number(args["lesion-scale"]),
  tolerancePx: Number(args.tolerance),
  alsoExplain: args.also
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
      return { layerName, method, score: score as GradCamScore };
    }),
  onProgress: (p) => {
    if (p.kind === "epoch")
      console.log(
        `epoch ${p.epoch}/${p.epochs}: loss ${p.loss.toFixed(3)} acc ${p.accuracy.toFixed(2)}, val loss ${p.valLoss?.toFixed(3)} acc ${p.valAccuracy?.toFixed(2)} (${p.seconds.toFixed(0)} s)`,
      );
  },
});
if (args["save-model"]) await saveClassifierToDirectory(result.classifier, args["save-model"]);
result.classifier.model.dispose();
const totalSeconds = (performance.now() - started) / 1000;

const figures = {
  date: new Date().toISOString(),
  machine: {
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    loadAverageAtStart: +loadAtStart.toFixed(1),
    node: process.version,
  },
  backend: `${backend.name} (${backend.detail})`,
  phantoms: { count: Number(args.count), classes, lesionScale: Number(args["lesion-scale"]), sizePx: [256, 320] },
  counts: result.counts,
  testAccuracy: result.testAccuracy,
  confusion: result.confusion,
  pointing: {
    layer: "block5_conv3",
    method: "gradcam",
    tolerancePx: Number(args.tolerance),
    hitRate: result.pointingHitRate,
    cases: result.pointingCases,
  },
  otherPointingHitRates: result.otherPointingHitRates,
  pointingByClass: result.pointingByClass,
  meanEnergyInside: result.meanEnergyInside,
  bestEpoch: result.bestEpoch,
  trainSeconds: Math.round(result.trainSeconds),
  totalSeconds: Math.round(totalSeconds),
  params: result.params,
  history: result.history,
};
await mkdir(dirname(args.out), { recursive: true });
await writeFile(args.out, `${JSON.stringify(figures, null, 2)}\n`);
const pct = (v: number | null) => (v === null ? "n/a" : `${(100 * v).toFixed(0)}%`);
console.log(
  `phantoms ${backend.name} input ${args.input}, ${args.head} head: VGG-16 on ${result.counts.train} phantoms (${result.counts.validation} validation), ` +
    `test accuracy ${result.testAccuracy.toFixed(3)} on ${result.counts.test}, Grad-CAM block5_conv3 pointing game ${pct(result.pointingHitRate)} ` +
    `of ${result.pointingCases} correct, ${Object.entries(result.otherPointingHitRates)
      .map(([key, rate]) => `${key} ${pct(rate)}`)
      .join(
        ", ",
      )} (tolerance ${args.tolerance} px of 256x320), best epoch ${result.bestEpoch}/${args.epochs}, training ${Math.round(result.trainSeconds)} s`,
);
console.log(`figures written to ${args.out}`);

/**
 * VGG-16 training-step throughput per TensorFlow.js backend: `npm run bench:train`.
 *
 *   --backends native,wasm,cpu   which to run (default: every backend in BACKEND_NAMES; those
 *                                that cannot start are reported, not run)
 *   --size 224 --batch 4         input side and batch (the study's settings)
 *   --steps N                    timed steps per backend (default 3; 1 for cpu, about 4 minutes each)
 *   --profile                    also print the fastest backend's time per kernel for one step
 *
 * A step is what `fit` does per batch: forward, backward and the ueda-2020 optimizer update
 * (Adam, clipnorm 1e-3) on the study's model (VGG-16, Flatten-Dense-BN-Dropout-Dense head).
 * FLOPs: the convolutions' and dense layers' multiply-adds (2 FLOPs each) from the layer shapes;
 * a training step counts as 3 forward passes. The sgemm ceiling is measured in the same run.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { loadNativeKernels } from "@mammo/native-kernels";
import { BACKEND_NAMES, setupBackend, type BackendName } from "../src/backends/setup-backend.ts";
import { buildVgg16 } from "../src/model/vgg16.ts";
import { ClippedAdamOptimizer } from "../src/train/clipped-adam.ts";
import { resolveTrainingParams } from "../src/train/presets.ts";
import { nativeSgemmCeiling, numpySgemmCeilings, type SgemmCeiling } from "./train-ceiling.ts";
import { TRAINING_STEP_FORWARD_MULTIPLE, forwardFlopsPerImage } from "./train-flops.ts";

type Result = {
  backend: BackendName;
  detail: string;
  stepSeconds: number[];
  imagesPerSecond: number;
  gflops: number;
  flopsPerImage: number;
  /** CPU time over wall time: below the core count when other work took the cores (or threads idled). */
  coresUsed: number;
  /** FLOPs per second of CPU time: the rate per busy core, less sensitive to a shared machine. */
  gflopsPerCpuSecond: number;
};

const { values: options } = parseArgs({
  options: {
    backends: { type: "string" },
    size: { type: "string", default: "224" },
    batch: { type: "string", default: "4" },
    steps: { type: "string" },
    profile: { type: "boolean", default: false },
  },
});
const size = Number(options.size);
const batch = Number(options.batch);
const backends = (options.backends?.split(",") ?? BACKEND_NAMES) as BackendName[];
for (const name of backends)
  if (!BACKEND_NAMES.includes(name))
    throw new Error(`unknown backend "${name}" (expected some of ${BACKEND_NAMES.join(", ")})`);

const cpus = os.cpus();
console.log(
  `machine: ${cpus.length} x ${cpus[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average at start ${os.loadavg()[0].toFixed(1)}`,
);
console.log(`VGG-16 training step, ${size}x${size}, batch ${batch}\n`);

const ceilings = measureCeilings();
const ceiling = Math.max(...ceilings.map((c) => c.gflops));
const ceilingPerCpuSecond = Math.max(...ceilings.map((c) => c.gflopsPerCpuSecond));
const describeCeiling = (c: SgemmCeiling) =>
  `sgemm ceiling: ${c.label}: ${c.gflops.toFixed(0)} GFLOP/s (${c.gflopsPerCpuSecond.toFixed(0)} per CPU-second)`;
for (const c of ceilings) console.log(describeCeiling(c));
console.log("");

const results: Result[] = [];
for (const name of backends) {
  const result = await measureBackend(name);
  if (result) results.push(result);
}

const date = new Date().toISOString().slice(0, 10);
console.log(`\n## Results (${date}; ${cpus.length} cores, load average now ${os.loadavg()[0].toFixed(1)})`);
for (const c of ceilings) console.log(describeCeiling(c));
if (results[0]) {
  const step = results[0].flopsPerImage;
  console.log(
    `FLOPs per image: ${(step / TRAINING_STEP_FORWARD_MULTIPLE / 1e9).toFixed(2)} G forward (convolutions and dense layers, multiply-add = 2), ${(step / 1e9).toFixed(2)} G per training step (3 x forward)`,
  );
}
for (const r of results) {
  const spread =
    r.stepSeconds.length > 1
      ? ` (steps ${r.stepSeconds.map((s) => s.toFixed(2)).join(", ")} s)`
      : ` (1 step, ${r.stepSeconds[0].toFixed(1)} s)`;
  console.log(
    `train ${r.backend} ${size} b${batch}: ${r.imagesPerSecond.toFixed(r.imagesPerSecond < 0.1 ? 3 : 2)} img/s, ${r.gflops.toFixed(1)} GFLOP/s (${((100 * r.gflops) / ceiling).toFixed(1)}% of ceiling)${spread}; ${r.coresUsed.toFixed(2)} cores busy, ${r.gflopsPerCpuSecond.toFixed(1)} GFLOP per CPU-second (${((100 * r.gflopsPerCpuSecond) / ceilingPerCpuSecond).toFixed(0)}% of sgemm's); ${r.detail}`,
  );
}
const cpu = results.find((r) => r.backend === "cpu");
const fastest = results.reduce<Result | undefined>(
  (best, r) => (!best || r.imagesPerSecond > best.imagesPerSecond ? r : best),
  undefined,
);
if (cpu && fastest && fastest !== cpu)
  console.log(
    `fastest (${fastest.backend}) / pure-JS cpu: ${(fastest.imagesPerSecond / cpu.imagesPerSecond).toFixed(1)}x`,
  );
if (options.profile && fastest) await profileStep(fastest.backend);

function measureCeilings(): SgemmCeiling[] {
  const measured = numpySgemmCeilings();
  const native = loadNativeKernels();
  if (native.isLoaded) measured.push(nativeSgemmCeiling(native.kernels, native.info.blasCore));
  if (measured.length === 0)
    throw new Error("no sgemm ceiling could be measured (needs python3 with numpy, or the native kernels)");
  return measured;
}

async function measureBackend(name: BackendName): Promise<Result | undefined> {
  let detail: string;
  try {
    detail = (await setupBackend(name, () => {})).detail;
  } catch (error) {
    console.log(`${name}: not available (${(error as Error).message})`);
    return undefined;
  }
  const isSlow = name === "cpu";
  const timedSteps = Number(options.steps ?? (isSlow ? 1 : 3));
  const warmupSteps = isSlow ? 0 : 1;
  const { model, x, y } = makeStep();
  const flopsPerImage = TRAINING_STEP_FORWARD_MULTIPLE * forwardFlopsPerImage(model);
  const stepSeconds: number[] = [];
  let cpuSeconds = 0;
  for (let step = 0; step < warmupSteps + timedSteps; step++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    await model.trainOnBatch(x, y);
    const seconds = (performance.now() - start) / 1000;
    const cpu = process.cpuUsage(cpuStart);
    if (step >= warmupSteps) {
      stepSeconds.push(seconds);
      cpuSeconds += (cpu.user + cpu.system) / 1e6;
    }
    console.log(`${name}: ${step < warmupSteps ? "warm-up" : "step"} ${seconds.toFixed(2)} s`);
  }
  tf.dispose([x, y]);
  model.dispose();
  const median = [...stepSeconds].sort((a, b) => a - b)[Math.floor(stepSeconds.length / 2)];
  const imagesPerSecond = batch / median;
  const coresUsed = cpuSeconds / stepSeconds.reduce((a, b) => a + b, 0);
  const gflopsPerCpuSecond = (stepSeconds.length * batch * flopsPerImage) / cpuSeconds / 1e9;
  return {
    backend: name,
    detail,
    stepSeconds,
    imagesPerSecond,
    gflops: (imagesPerSecond * flopsPerImage) / 1e9,
    flopsPerImage,
    coresUsed,
    gflopsPerCpuSecond,
  };
}

function makeStep(): { model: tf.LayersModel; x: tf.Tensor4D; y: tf.Tensor2D } {
  const params = resolveTrainingParams("ueda-2020");
  const model = buildVgg16({ inputSize: size, numClasses: 3, head: "study", seed: 1 });
  model.compile({ optimizer: new ClippedAdamOptimizer(params.optimizer), loss: "categoricalCrossentropy" });
  const x = tf.randomUniform([batch, size, size, 3], 0, 1, "float32", 1) as tf.Tensor4D;
  const y = tf
    .oneHot(
      Array.from({ length: batch }, (_, i) => i % 3),
      3,
    )
    .toFloat() as tf.Tensor2D;
  return { model, x, y };
}

async function profileStep(name: BackendName): Promise<void> {
  await setupBackend(name, () => {});
  const { model, x, y } = makeStep();
  await model.trainOnBatch(x, y);
  const start = performance.now();
  const profile = await tf.profile(async () => {
    await model.trainOnBatch(x, y);
  });
  const wallMs = performance.now() - start;
  const byKernel = new Map<string, number>();
  for (const kernel of profile.kernels)
    byKernel.set(kernel.name, (byKernel.get(kernel.name) ?? 0) + Number(kernel.kernelTimeMs));
  const kernelMs = [...byKernel.values()].reduce((a, b) => a + b, 0);
  console.log(`\nprofile (${name}, one step): ${wallMs.toFixed(0)} ms wall, ${kernelMs.toFixed(0)} ms in kernels`);
  for (const [kernel, ms] of [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 15))
    console.log(`  ${kernel.padEnd(24)} ${ms.toFixed(0).padStart(6)} ms`);
  tf.dispose([x, y]);
  model.dispose();
}

/**
 * Grad-CAM cost next to the passes it is made of: `npm run bench:explain`.
 *
 *   --size 224 --reps 3 --backend native
 *
 * In one run, on the study's model (VGG-16, Flatten head, random weights: the cost does not depend
 * on them): one forward pass of one image, one forward+backward pass (the gradient of the loss with
 * respect to every weight, as a training step without the update), Grad-CAM of one image
 * (block5_conv3, logit), and a four-view case: the probabilities and the four heatmaps batched
 * (one pass through the convolutions). Medians of `reps` after one warm-up; ratios within the run,
 * so a busy machine moves the seconds more than the ratios.
 */
import os from "node:os";
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { setupBackend, type BackendName } from "../src/backends/setup-backend.ts";
import { gradCamBatch } from "../src/explain/grad-cam.ts";
import { buildVgg16 } from "../src/model/vgg16.ts";

const { values: options } = parseArgs({
  options: {
    size: { type: "string", default: "224" },
    reps: { type: "string", default: "3" },
    backend: { type: "string", default: "native" },
  },
});
const size = Number(options.size);
const reps = Number(options.reps);

async function median(what: string, run: () => tf.Tensor | tf.Tensor[]): Promise<number> {
  const once = async () => {
    const start = performance.now();
    const out = run();
    await Promise.all((Array.isArray(out) ? out : [out]).map((t) => t.data()));
    tf.dispose(out);
    return (performance.now() - start) / 1000;
  };
  await once(); // warm-up: kernels, scratch buffers
  const seconds: number[] = [];
  for (let i = 0; i < reps; i++) seconds.push(await once());
  seconds.sort((a, b) => a - b);
  const m = seconds[Math.floor(seconds.length / 2)]!;
  console.log(`  ${what.padEnd(44)} ${m.toFixed(3)} s (runs ${seconds.map((s) => s.toFixed(3)).join(", ")})`);
  return m;
}

const info = await setupBackend(options.backend as BackendName, () => {});
const cpus = os.cpus();
console.log(
  `machine: ${cpus.length} x ${cpus[0]?.model.trim()}, Node ${process.version}, backend ${info.name}; load average at start ${os.loadavg()[0].toFixed(1)}`,
);
console.log(`VGG-16 (study head), ${size}x${size}, median of ${reps} after a warm-up\n`);
const model = buildVgg16({ inputSize: size, numClasses: 3, head: "study", seed: 1 });
const one = tf.randomUniform([1, size, size, 3], 0, 1, "float32", 1) as tf.Tensor4D;
const four = tf.randomUniform([4, size, size, 3], 0, 1, "float32", 2) as tf.Tensor4D;
const label = tf.oneHot([0], 3).toFloat();
const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);

const forward = await median("forward, 1 image", () => model.predict(one) as tf.Tensor);
const forwardBackward = await median("forward + backward (all weights), 1 image", () => {
  const { value, grads } = tf.variableGrads(
    () => tf.losses.softmaxCrossEntropy(label, model.apply(one, { training: false }) as tf.Tensor) as tf.Scalar,
    weights,
  );
  return [value, ...Object.values(grads)];
});
const cam = await median("Grad-CAM block5_conv3, 1 image", () =>
  gradCamBatch(model, one, { layerName: "block5_conv3", method: "gradcam", score: "logit", classIndices: [0] }),
);
const caseSeconds = await median("4-view case: probabilities + 4 heatmaps", () => [
  model.predict(four) as tf.Tensor,
  gradCamBatch(model, four, {
    layerName: "block5_conv3",
    method: "gradcam",
    score: "logit",
    classIndices: [0, 1, 2, 0],
  }),
]);
console.log(
  `\nexplain ${info.name} ${size}: Grad-CAM ${cam.toFixed(3)} s/image = ${(cam / forward).toFixed(2)}x one forward, ${(cam / forwardBackward).toFixed(2)}x one forward+backward; a 4-view case (inference + Grad-CAM) ${caseSeconds.toFixed(2)} s (${(caseSeconds / 4).toFixed(3)} s/image); load average at end ${os.loadavg()[0].toFixed(1)}`,
);

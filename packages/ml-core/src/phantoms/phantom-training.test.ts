import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { useTrainingTestBackend } from "../testing/test-backend.ts";
import { resolveTrainingParams } from "../train/presets.ts";
import { runPhantomExperiment } from "./phantom-experiment.ts";

// The bars below were measured on wasm, and a training run is reproducible only on the backend
// it was measured on (float sums in another order train another model): so wasm or a clear failure.
beforeAll(async () => {
  await useTrainingTestBackend({ required: "wasm" });
});

/*
 * The short version of `npm run bench:phantoms` (the must-show: full VGG-16, 300 phantoms): a
 * quarter-width VGG-16 (same 16 layers and names) on 90 small phantoms of the three subtypes,
 * about a minute on wasm on a quiet 2-core machine (3.5 min at load average 14). Seeded, so the
 * same figures on every run: 17/18 correct, Grad-CAM (the study's method) at block3_conv3 on the
 * lesion in 14 of 17 (since the one preprocessing, Precise BatchNorm and plateau ties of issue 16).
 */
describe("training on phantoms", () => {
  it("learns the subtypes well above chance and Grad-CAM points at the lesion", { timeout: 600_000 }, async () => {
    const before = tf.memory().numTensors;
    const params = resolveTrainingParams("quick", {
      epochs: 18,
      batchSize: 8,
      preprocessing: { inputSize: 64 },
      model: { widthScale: 0.25, dropoutRate: 0.2 },
      optimizer: { learningRate: 3e-4 },
    });
    const result = await runPhantomExperiment({
      params,
      count: 90,
      classes: ["TUBULE_FORMING", "SOLID", "SCIRRHOUS"],
      validationFraction: 0.1,
      testFraction: 0.2,
      phantomSeed: "unit",
      widthPx: 128,
      heightPx: 160,
      lesionScale: 2.2,
      tolerancePx: 8,
      alsoExplain: [{ layerName: "block3_conv3", method: "gradcam" }],
    });
    result.classifier.model.dispose();

    const gradCam = result.otherPointingHitRates["block3_conv3/gradcam"]!;
    console.log(
      `[phantom-training] accuracy ${result.testAccuracy * 18}/18 (bar 15), ` +
        `Grad-CAM block3_conv3 on the lesion ${Math.round(gradCam * result.pointingCases)}/${result.pointingCases} (bar 2/3)`,
    );
    expect(result.counts).toEqual({ train: 63, validation: 9, test: 18 });
    expect(result.history.at(-1)!.loss).toBeLessThan(result.history[0]!.loss);
    // Chance is 1/3; measured 17/18: 2 cases above the bar of 15.
    expect(result.testAccuracy).toBeGreaterThanOrEqual(0.8);
    expect(result.pointingCases).toBeGreaterThanOrEqual(9);
    // block3_conv3 is a 16x16 grid at 64 px (block4_conv3's 8x8 and block5_conv3's 4x4 grids leave
    // a map few places to peak: block4_conv3 gave Grad-CAM 12/17 and Grad-CAM++ 10/17 on this
    // model). Measured 14/17: 2 cases above the bar of 2/3 (12/17); a peak at random lands within
    // 8 px of the lesion about 1 time in 6.
    expect(gradCam).toBeGreaterThanOrEqual(2 / 3);
    expect(tf.memory().numTensors).toBe(before);
  });
});

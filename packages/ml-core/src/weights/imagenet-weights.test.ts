import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildVgg16, VGG16_CONV_LAYERS } from "../model/vgg16.ts";
import { useTrainingTestBackend } from "../testing/test-backend.ts";
import { h5pyValues, type KerasH5FixtureOptions, writeKerasVgg16H5 } from "../testing/keras-h5-fixture.ts";
import { leftRightExamples } from "../testing/synthetic-examples.ts";
import { resolveTrainingParams } from "../train/presets.ts";
import { trainFold } from "../train/train-fold.ts";
import { loadImagenetWeights } from "./imagenet-weights.ts";
import { readKerasH5Weights } from "./keras-h5.ts";

// The weights files here are written by h5py (Debian's python3-h5py, an HDF5 writer independent of
// the reader under test) in the layout of Keras' vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5,
// with random values, at 1/32 of VGG-16's width so that a training step is quick.
const SCALE = 1 / 32;
let dir: string;

const writeH5 = async (name: string, options: KerasH5FixtureOptions = {}) =>
  writeKerasVgg16H5(path.join(dir, name), { scale: SCALE, seed: 3, ...options });

const narrow = (seed: number) =>
  buildVgg16({ inputSize: 32, numClasses: 2, head: "study", seed, widthScale: SCALE, denseUnits: 8 });
const values = (model: tf.LayersModel, layer: string, index: number) =>
  Array.from(model.getLayer(layer).getWeights()[index]!.dataSync());

beforeAll(async () => {
  await useTrainingTestBackend();
  dir = await mkdtemp(path.join(tmpdir(), "ml-core-h5-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("Keras .h5 ImageNet weights", () => {
  it("loads an h5py-written Keras-layout .h5 into the 13 convolutions and trains one step from it", async () => {
    const file = await writeH5("vgg16-notop.h5");
    const weights = await readKerasH5Weights(await readFile(file), "vgg16-notop.h5");
    expect(weights.layerNames).toEqual([
      "input_1",
      ...["block1", "block2", "block3", "block4", "block5"].flatMap((b) => [
        ...VGG16_CONV_LAYERS.filter((l) => l.startsWith(b)),
        `${b}_pool`,
      ]),
    ]);
    expect([weights.kerasVersion, weights.backend]).toEqual(["2.0.8", "tensorflow"]);

    const model = narrow(1);
    const report = loadImagenetWeights(model, weights, "vgg16-notop.h5");
    expect(report.loadedLayers).toEqual(VGG16_CONV_LAYERS);
    for (const layer of ["block1_conv1", "block3_conv2", "block5_conv3"]) {
      const kernel = h5pyValues(file, `${layer}/${layer}/kernel:0`);
      const bias = h5pyValues(file, `${layer}/${layer}/bias:0`);
      values(model, layer, 0).forEach((v, i) => expect(v).toBeCloseTo(kernel[i]!, 6));
      values(model, layer, 1).forEach((v, i) => expect(v).toBeCloseTo(bias[i]!, 6));
    }
    model.dispose();

    // One training step from those weights: the trained kernels are the file's, moved by one Adam step.
    const params = {
      ...resolveTrainingParams("quick", {
        epochs: 1,
        batchSize: 4,
        preprocessing: { inputSize: 32 },
        model: { widthScale: SCALE, denseUnits: 8 },
        optimizer: { learningRate: 1e-4 },
        augmentation: null,
        classBalance: "none",
      }),
    };
    params.model = { ...params.model, weights: "imagenet", imagenetWeightsId: "test" };
    const result = await trainFold({
      params,
      classNames: ["left", "right"],
      train: leftRightExamples(4, 32, 1),
      validation: [],
      imagenetWeights: { file: weights, source: "vgg16-notop.h5" },
    });
    expect(result.history).toHaveLength(1);
    const fileKernel = h5pyValues(file, "block2_conv1/block2_conv1/kernel:0");
    const trained = values(result.classifier!.model, "block2_conv1", 0);
    const maxStep = Math.max(...trained.map((v, i) => Math.abs(v - fileKernel[i]!)));
    expect(maxStep).toBeGreaterThan(0); // it trained
    expect(maxStep).toBeLessThan(2e-4); // one step of at most ~learning rate from the file's values
    result.classifier!.model.dispose();
  });

  it("reads Keras 1 weight names (<layer>_W_1:0, <layer>_b_1:0) too", async () => {
    const file = await writeH5("keras1.h5", { names: "keras1" });
    const model = narrow(2);
    loadImagenetWeights(model, await readKerasH5Weights(await readFile(file), "keras1.h5"), "keras1.h5");
    const bias = h5pyValues(file, "block4_conv2/block4_conv2_b_1:0");
    values(model, "block4_conv2", 1).forEach((v, i) => expect(v).toBeCloseTo(bias[i]!, 6));
    model.dispose();
  });

  it("a malformed .h5 fails naming the layer and the shapes, and leaves the model as it was", async () => {
    const model = narrow(3);
    const before = values(model, "block1_conv1", 0);
    const load = async (name: string, options: KerasH5FixtureOptions) =>
      loadImagenetWeights(model, await readKerasH5Weights(await readFile(await writeH5(name, options)), name), name);
    await expect(load("wrong-shape.h5", { breakWeight: "block3_conv2:kernel:3,3,8,4" })).rejects.toThrow(
      "wrong-shape.h5: layer block3_conv2 kernel (block3_conv2/kernel:0) has shape [3, 3, 8, 4] but the model needs [3, 3, 8, 8]",
    );
    await expect(load("wrong-bias.h5", { breakWeight: "block5_conv1:bias:7" })).rejects.toThrow(
      "wrong-bias.h5: layer block5_conv1 bias (block5_conv1/bias:0) has shape [7] but the model needs [16]",
    );
    await expect(load("missing.h5", { dropLayer: "block4_conv1" })).rejects.toThrow(
      /missing.h5: has no layer block4_conv1 \(its layers: input_1, block1_conv1, .*\)/,
    );
    expect(values(model, "block1_conv1", 0)).toEqual(before);
    await expect(readKerasH5Weights(new TextEncoder().encode('{"weightsManifest": []}'), "x.json")).rejects.toThrow(
      "x.json: is not an HDF5 file",
    );
    model.dispose();
  });
});

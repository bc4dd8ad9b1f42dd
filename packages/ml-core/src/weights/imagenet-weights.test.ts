import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { setupBackend } from "../backends/setup-backend.ts";
import { createClassifier } from "../model/create-classifier.ts";
import { saveClassifierToDirectory } from "../model/model-artifact.ts";
import { buildVgg16, VGG16_CONV_LAYERS } from "../model/vgg16.ts";
import { loadImagenetWeights } from "./imagenet-weights.ts";

beforeAll(async () => {
  await setupBackend("cpu", () => {});
});

const narrow = (seed: number, widthScale = 1 / 16) =>
  buildVgg16({ inputSize: 32, numClasses: 3, head: "study", seed, widthScale });
const convWeights = (model: tf.LayersModel) =>
  VGG16_CONV_LAYERS.flatMap((name) =>
    model
      .getLayer(name)
      .getWeights()
      .map((w) => Array.from(w.dataSync())),
  );

/** Writes `model`'s conv weights the way tensorflowjs_converter does (bare manifest + one shard), names under `prefix`. */
async function writeConvertedWeights(
  model: tf.LayersModel,
  prefix = "vgg16/",
  edit: (names: string[]) => string[] = (n) => n,
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "ml-core-imagenet-"));
  const named = VGG16_CONV_LAYERS.flatMap((layer) => {
    const [kernel, bias] = model.getLayer(layer).getWeights();
    return [
      { name: `${prefix}${layer}/kernel`, tensor: kernel! },
      { name: `${prefix}${layer}/bias`, tensor: bias! },
    ];
  });
  const names = edit(named.map((n) => n.name));
  const { data, specs } = await tf.io.encodeWeights(named.map((n, i) => ({ name: names[i]!, tensor: n.tensor })));
  await writeFile(join(dir, "group1-shard1of1.bin"), new Uint8Array(data as ArrayBuffer));
  await writeFile(
    join(dir, "weights_manifest.json"),
    JSON.stringify([{ paths: ["group1-shard1of1.bin"], weights: specs }]),
  );
  return join(dir, "weights_manifest.json");
}

describe("loadImagenetWeights", () => {
  it("loads converted Keras weights into the 13 convolutions by layer name", async () => {
    const source = narrow(1);
    const target = narrow(2);
    expect(convWeights(target)).not.toEqual(convWeights(source));
    const report = await loadImagenetWeights(target, await writeConvertedWeights(source));
    expect(report.loadedLayers).toEqual(VGG16_CONV_LAYERS);
    expect(convWeights(target)).toEqual(convWeights(source));
  });

  it("loads from a TF.js layers model directory, ignoring weights that are not VGG-16 convolutions", async () => {
    const saved = createClassifier({
      classNames: ["a", "b", "c"],
      preprocessing: { inputSize: 32, resize: "square", normalization: "unit" },
      head: "study",
      seed: 7,
      widthScale: 1 / 16,
    });
    const dir = await mkdtemp(join(tmpdir(), "ml-core-imagenet-"));
    await saveClassifierToDirectory(saved, dir);
    const target = narrow(8);
    const report = await loadImagenetWeights(target, dir);
    expect(convWeights(target)).toEqual(convWeights(saved.model));
    expect(report.ignoredWeights).toContain("fc1/kernel");
  });

  it("fails on wrong shapes naming the layer and both shapes, and leaves the model untouched", async () => {
    const target = narrow(3, 1 / 8);
    const before = convWeights(target);
    const path = await writeConvertedWeights(narrow(1));
    await expect(loadImagenetWeights(target, path)).rejects.toThrow(
      /layer block1_conv1 kernel has shape \[3, 3, 3, 4\] in .* but the model expects \[3, 3, 3, 8\]/,
    );
    expect(convWeights(target)).toEqual(before);
  });

  it("fails on wrong layer names, naming the missing layer and what the file has", async () => {
    const renamed = await writeConvertedWeights(narrow(1), "", (names) =>
      names.map((n) => n.replace("block5_conv3", "conv13")),
    );
    await expect(loadImagenetWeights(narrow(2), renamed)).rejects.toMatchObject({
      code: "WEIGHTS_MISMATCH",
      message: expect.stringMatching(
        /layer block5_conv3 has no kernel in .* \(it has block1_conv1\/kernel, block1_conv1\/bias/,
      ),
    });
  });

  it("fails clearly on a missing file, a missing shard or a truncated shard", async () => {
    await expect(loadImagenetWeights(narrow(2), "/nonexistent/vgg16/model.json")).rejects.toMatchObject({
      code: "WEIGHTS_NOT_FOUND",
      message: expect.stringContaining("/nonexistent/vgg16/model.json cannot be read (ENOENT)"),
    });
    const path = await writeConvertedWeights(narrow(1));
    const shard = join(path, "..", "group1-shard1of1.bin");
    const bytes = await readFile(shard);
    await writeFile(shard, bytes.subarray(0, 100));
    await expect(loadImagenetWeights(narrow(2), path)).rejects.toThrow(
      /hold 100 bytes but their manifest describes \d+/,
    );
    await rm(shard);
    await expect(loadImagenetWeights(narrow(2), path)).rejects.toThrow(
      /shard .*group1-shard1of1.bin cannot be read \(ENOENT\)/,
    );
  });
});

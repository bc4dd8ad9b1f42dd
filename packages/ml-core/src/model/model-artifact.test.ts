import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { setupBackend } from "../backends/setup-backend.ts";
import { createClassifier } from "./create-classifier.ts";
import {
  classifierFromBytes,
  classifierToBytes,
  loadClassifierFromDirectory,
  saveClassifierToDirectory,
} from "./model-artifact.ts";
import { type ClassifierModel } from "./model-metadata.ts";

beforeAll(async () => {
  await setupBackend("cpu", () => {});
});

const make = (seed = 3) =>
  createClassifier({
    classNames: ["TUBULE_FORMING", "SOLID", "SCIRRHOUS"],
    preprocessing: { inputSize: 32, resize: "pad", resample: "box-bilinear", bitDepth: 8, normalization: "unit" },
    head: "study",
    seed,
    widthScale: 1 / 16,
    training: { preset: "quick", epochs: 2 },
  });

const predict = (c: ClassifierModel) =>
  tf.tidy(() => Array.from((c.model.predict(tf.ones([1, 32, 32, 3]).mul(0.5)) as tf.Tensor).dataSync()));

describe("model artifacts", () => {
  it("round-trips through a directory in TF.js layers format with its metadata", async () => {
    const original = make();
    const dir = await mkdtemp(join(tmpdir(), "ml-core-model-"));
    await saveClassifierToDirectory(original, dir);
    const modelJson = JSON.parse(await readFile(join(dir, "model.json"), "utf8"));
    expect(modelJson.format).toBe("layers-model");
    expect(modelJson.weightsManifest[0].paths).toEqual(["weights.bin"]);
    expect(modelJson.weightsManifest[0].weights[0].name).toBe("block1_conv1/kernel");

    const loaded = await loadClassifierFromDirectory(dir);
    expect(loaded.metadata).toEqual(original.metadata);
    expect(predict(loaded)).toEqual(predict(original));
  });

  it("round-trips through bytes, and the same model always gives the same bytes", async () => {
    const original = make();
    const bytes = await classifierToBytes(original);
    expect(await classifierToBytes(make())).toEqual(bytes);
    expect(await classifierToBytes(make(4))).not.toEqual(bytes);
    const loaded = await classifierFromBytes(bytes);
    expect(loaded.metadata.classNames).toEqual(["TUBULE_FORMING", "SOLID", "SCIRRHOUS"]);
    expect(loaded.metadata.preprocessing).toEqual({
      inputSize: 32,
      resize: "pad",
      resample: "box-bilinear",
      bitDepth: 8,
      normalization: "unit",
    });
    expect(predict(loaded)).toEqual(predict(original));
  });

  it("refuses bytes that are not a model archive, and a model without its metadata", async () => {
    await expect(classifierFromBytes(new TextEncoder().encode("not a tar"), "blob abc")).rejects.toThrow(/blob abc: /);
    const dir = await mkdtemp(join(tmpdir(), "ml-core-model-"));
    await saveClassifierToDirectory(make(), dir);
    const json = JSON.parse(await readFile(join(dir, "model.json"), "utf8"));
    delete json.userDefinedMetadata;
    await writeFile(join(dir, "model.json"), JSON.stringify(json));
    await expect(loadClassifierFromDirectory(dir)).rejects.toThrow(/has no ml-core metadata/);
  });

  it("refuses metadata that disagrees with the network", async () => {
    const wrong = make();
    wrong.metadata.classNames = ["A", "B"];
    await expect(classifierToBytes(wrong)).rejects.toThrow(/has 3 outputs but its metadata names 2 classes/);
  });
});

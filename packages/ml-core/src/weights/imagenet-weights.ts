import { readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { MlCoreError } from "../errors/ml-core-error.ts";
import { VGG16_CONV_LAYERS } from "../model/vgg16.ts";

/*
 * The converted-weights format: TF.js' weights manifest, as `tensorflowjs_converter` writes it.
 * `path` names either
 *  - a `model.json` of a TF.js layers model (its `weightsManifest` is used, the topology ignored),
 *    e.g. from `tensorflowjs.converters.save_keras_model(VGG16(include_top=False), dir)`, or
 *  - a bare manifest JSON: `[{ "paths": ["group1-shard1of1.bin"], "weights": [{ "name":
 *    "block1_conv1/kernel", "shape": [3, 3, 3, 64], "dtype": "float32" }, ...] }]`, or
 *  - a directory holding a `model.json`.
 * Shard paths are relative to the JSON file. Weights map by name: `<layer>/kernel` and
 * `<layer>/bias` for the 13 layers block1_conv1 ... block5_conv3 (a scope prefix such as
 * `vgg16/` and Keras' `:0` suffix are accepted). Kernels are [3, 3, in, out] (Keras' layout).
 * Other weights (Keras' top fc1/fc2/predictions, a trained head) are ignored and reported: the
 * head is ours.
 */

const CONV_WEIGHT = /(?:^|\/)(block\d_conv\d)\/(kernel|bias)(?::0)?$/;
const BYTES_PER_VALUE: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8 };

export type ImagenetWeightsReport = { path: string; loadedLayers: string[]; ignoredWeights: string[] };

const mismatch = (message: string) => new MlCoreError("WEIGHTS_MISMATCH", `imagenet weights: ${message}`);

async function readOrFail(path: string, what: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new MlCoreError(
      "WEIGHTS_NOT_FOUND",
      `imagenet weights: ${what} ${path} cannot be read (${code ?? (error as Error).message})`,
      { cause: error },
    );
  }
}

async function readManifest(path: string): Promise<{ manifest: tf.io.WeightsManifestConfig; jsonPath: string }> {
  const isDirectory = await stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
  const jsonPath = isDirectory ? join(path, "model.json") : path;
  const text = (await readOrFail(jsonPath, "file")).toString("utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw mismatch(`${jsonPath} is not JSON (expected a TF.js model.json or weights manifest)`);
  }
  const manifest = Array.isArray(json) ? json : (json as { weightsManifest?: unknown }).weightsManifest;
  type Group = tf.io.WeightsManifestConfig[number];
  const isGroup = (g: unknown) =>
    typeof g === "object" && g !== null && Array.isArray((g as Group).paths) && Array.isArray((g as Group).weights);
  if (!Array.isArray(manifest) || !manifest.every(isGroup))
    throw mismatch(`${jsonPath} has no weights manifest (a list of {paths, weights} groups)`);
  return { manifest: manifest as tf.io.WeightsManifestConfig, jsonPath };
}

/** Reads every tensor a manifest lists. The caller disposes them. */
async function readWeights(manifest: tf.io.WeightsManifestConfig, jsonPath: string): Promise<tf.NamedTensorMap> {
  const tensors: tf.NamedTensorMap = {};
  for (const group of manifest) {
    const shards = await Promise.all(group.paths.map((p) => readOrFail(join(dirname(jsonPath), p), "shard")));
    const buffer = tf.io.CompositeArrayBuffer.join(shards.map((b) => new Uint8Array(b).buffer));
    const isPlain = group.weights.every((w) => !w.quantization && BYTES_PER_VALUE[w.dtype]);
    const expectedBytes = group.weights.reduce(
      (sum, w) => sum + w.shape.reduce((a, b) => a * b, 1) * (BYTES_PER_VALUE[w.dtype] ?? 0),
      0,
    );
    if (isPlain && buffer.byteLength !== expectedBytes) {
      throw mismatch(
        `shards ${group.paths.join(", ")} hold ${buffer.byteLength} bytes but their manifest describes ${expectedBytes}`,
      );
    }
    Object.assign(tensors, tf.io.decodeWeights(buffer, group.weights));
  }
  return tensors;
}

/**
 * Loads ImageNet weights converted from Keras' VGG16(include_top=False) into the 13 convolution
 * layers of `model`, by layer name (format above). Checks everything before changing anything:
 * a missing file, a missing or unknown layer, or a shape that differs fails with an error naming
 * the layer and both shapes, and leaves the model as it was.
 */
export async function loadImagenetWeights(model: tf.LayersModel, path: string): Promise<ImagenetWeightsReport> {
  const { manifest, jsonPath } = await readManifest(path);
  const tensors = await readWeights(manifest, jsonPath);
  try {
    const byLayer = new Map<string, { kernel?: tf.Tensor; bias?: tf.Tensor }>();
    const ignoredWeights: string[] = [];
    for (const [name, tensor] of Object.entries(tensors)) {
      const match = CONV_WEIGHT.exec(name);
      if (match && VGG16_CONV_LAYERS.includes(match[1]!)) {
        const entry = byLayer.get(match[1]!) ?? {};
        entry[match[2] as "kernel" | "bias"] = tensor;
        byLayer.set(match[1]!, entry);
      } else {
        ignoredWeights.push(name);
      }
    }
    const found = Object.keys(tensors);
    const sample = `${found.slice(0, 4).join(", ")}${found.length > 4 ? ", ..." : ""}`;
    const assignments: Array<[tf.layers.Layer, tf.Tensor[]]> = [];
    for (const layerName of VGG16_CONV_LAYERS) {
      const entry = byLayer.get(layerName);
      if (!entry?.kernel || !entry.bias) {
        throw mismatch(
          `layer ${layerName} has no ${entry?.kernel ? "bias" : "kernel"} in ${jsonPath} (it has ${sample || "no weights"}); expected names like block1_conv1/kernel`,
        );
      }
      const layer = model.layers.find((l) => l.name === layerName);
      if (!layer) throw new MlCoreError("MODEL_UNSUPPORTED", `imagenet weights: the model has no layer ${layerName}`);
      const [kernel, bias] = layer.getWeights();
      for (const [kind, fromFile, expected] of [
        ["kernel", entry.kernel, kernel!],
        ["bias", entry.bias, bias!],
      ] as const) {
        if (!tf.util.arraysEqual(fromFile.shape, expected.shape)) {
          throw mismatch(
            `layer ${layerName} ${kind} has shape [${fromFile.shape.join(", ")}] in ${jsonPath} but the model expects [${expected.shape.join(", ")}]`,
          );
        }
      }
      assignments.push([layer, [entry.kernel, entry.bias]]);
    }
    for (const [layer, weights] of assignments) layer.setWeights(weights);
    return { path: jsonPath, loadedLayers: [...VGG16_CONV_LAYERS], ignoredWeights };
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

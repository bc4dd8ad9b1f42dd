// Keras' HDF5 weights files (what `model.save_weights("x.h5")` writes and what Keras Applications
// download, e.g. vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5), read with h5wasm. Free of
// TensorFlow.js: the API checks an uploaded file with it, the trainer loads the values.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import h5wasm, { type Attribute, type Dataset, type Group } from "h5wasm/node";
import { MlCoreError } from "../errors/ml-core-error.ts";

export type NamedWeight = { name: string; shape: number[]; values: Float32Array };

export type KerasWeightsFile = {
  /** The model's layers in order (the root attribute layer_names). */
  layerNames: string[];
  kerasVersion: string | null;
  backend: string | null;
  /** Each layer's weights in the order of its weight_names attribute (layers without weights have none). */
  layers: Map<string, NamedWeight[]>;
};

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

const mismatch = (source: string, message: string) =>
  new MlCoreError("WEIGHTS_MISMATCH", `${source}: ${message}`, { field: "weights" });

function strings(attribute: Attribute | undefined): string[] | null {
  if (!attribute) return null;
  const value = attribute.value as unknown;
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.map(String);
  if (ArrayBuffer.isView(value) && (value as unknown as ArrayLike<unknown>).length === 0) return []; // Keras' empty list
  return null;
}

/**
 * Keras splits attributes over HDF5's 64 kB header limit into name0, name1, ... (Keras'
 * save_attributes_to_hdf5_group); this joins them back.
 */
function chunkedStrings(group: Group, name: string): string[] | null {
  const whole = strings(group.attrs[name]);
  if (whole) return whole;
  const parts: string[] = [];
  for (let i = 0; group.attrs[`${name}${i}`]; i++) parts.push(...(strings(group.attrs[`${name}${i}`]) ?? []));
  return parts.length > 0 ? parts : null;
}

function readGroup(root: Group, source: string): KerasWeightsFile {
  // A whole-model file (model.save) keeps the weights in its model_weights group.
  const nested = root.attrs["layer_names"] ? null : root.get("model_weights");
  const weightsRoot = (nested ?? root) as Group;
  const layerNames = chunkedStrings(weightsRoot, "layer_names");
  if (!layerNames)
    throw mismatch(
      source,
      "has no layer_names attribute: not a Keras 2 weights file (model.save_weights('x.h5') or Keras Applications' .h5)",
    );
  const layers = new Map<string, NamedWeight[]>();
  for (const layer of layerNames) {
    const group = weightsRoot.get(layer) as Group | null;
    if (!group || group.type !== "Group") throw mismatch(source, `layer ${layer} is listed but has no group`);
    const names = chunkedStrings(group, "weight_names") ?? [];
    layers.set(
      layer,
      names.map((name) => {
        const dataset = group.get(name) as Dataset | null;
        if (!dataset || dataset.type !== "Dataset")
          throw mismatch(source, `layer ${layer} names weight ${name} but has no such dataset`);
        const shape = [...(dataset.shape ?? [])];
        const raw = dataset.value as unknown;
        if (!ArrayBuffer.isView(raw) || raw instanceof DataView || typeof (raw as Float32Array)[0] === "bigint")
          throw mismatch(source, `layer ${layer} weight ${name} is not numeric (${String(dataset.dtype)})`);
        return { name, shape, values: Float32Array.from(raw as Float32Array) };
      }),
    );
  }
  const text = (name: string) => strings(weightsRoot.attrs[name] ?? root.attrs[name])?.[0] ?? null;
  return { layerNames, kerasVersion: text("keras_version"), backend: text("backend"), layers };
}

/** Reads every layer's weights from a Keras HDF5 weights file. `source` names the file in errors. */
export async function readKerasH5Weights(bytes: Uint8Array, source: string): Promise<KerasWeightsFile> {
  if (bytes.length < 8 || HDF5_SIGNATURE.some((b, i) => bytes[i] !== b))
    throw mismatch(source, "is not an HDF5 file (a Keras .h5 weights file starts with the HDF5 signature)");
  await h5wasm.ready;
  // h5wasm reads files: a private temporary copy (never a path a caller chose).
  const dir = await mkdtemp(path.join(os.tmpdir(), "mammo-h5-"));
  const file = path.join(dir, "weights.h5");
  try {
    await writeFile(file, bytes, { mode: 0o600 });
    let h5: InstanceType<typeof h5wasm.File>;
    try {
      h5 = new h5wasm.File(file, "r");
    } catch (error) {
      throw mismatch(source, `cannot be read as HDF5 (${(error as Error).message})`);
    }
    try {
      return readGroup(h5, source);
    } finally {
      h5.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Keras VGG16's 13 convolutions: [layer, input channels, filters]. */
export const VGG16_CONV_SHAPES: ReadonlyArray<readonly [string, number, number]> = [
  ["block1_conv1", 3, 64],
  ["block1_conv2", 64, 64],
  ["block2_conv1", 64, 128],
  ["block2_conv2", 128, 128],
  ["block3_conv1", 128, 256],
  ["block3_conv2", 256, 256],
  ["block3_conv3", 256, 256],
  ["block4_conv1", 256, 512],
  ["block4_conv2", 512, 512],
  ["block4_conv3", 512, 512],
  ["block5_conv1", 512, 512],
  ["block5_conv2", 512, 512],
  ["block5_conv3", 512, 512],
];

export type ConvWeights = { layer: string; kernel: NamedWeight; bias: NamedWeight };

const KERNEL_NAME = /(?:kernel|_W(?:_\d+)?)(?::\d+)?$/;
const BIAS_NAME = /(?:bias|_b(?:_\d+)?)(?::\d+)?$/;

/**
 * The 13 VGG16 convolutions of a Keras weights file, checked against VGG16's shapes times
 * `widthScale` (1 = VGG16): a missing layer or weight, or a shape that differs, fails naming the
 * layer and both shapes. Kernel and bias are told apart by name (Keras 2 "kernel:0"/"bias:0",
 * Keras 1 "_W_1:0"/"_b_1:0"), else by order (kernel first, as Keras stores them).
 */
export function vgg16ConvWeights(file: KerasWeightsFile, source: string, widthScale = 1): ConvWeights[] {
  const filters = (n: number) => (n === 3 ? 3 : Math.max(1, Math.round(n * widthScale)));
  return VGG16_CONV_SHAPES.map(([layer, inputs, outputs]) => {
    const weights = file.layers.get(layer);
    if (!weights)
      throw mismatch(
        source,
        `has no layer ${layer} (its layers: ${file.layerNames.join(", ") || "none"}); expected Keras' VGG16 layer names`,
      );
    if (weights.length !== 2)
      throw mismatch(
        source,
        `layer ${layer} has ${weights.length} weights (${weights.map((w) => w.name).join(", ")}); expected a kernel and a bias`,
      );
    const kernel = weights.find((w) => KERNEL_NAME.test(w.name)) ?? weights[0]!;
    const bias = weights.find((w) => w !== kernel && BIAS_NAME.test(w.name)) ?? weights.find((w) => w !== kernel)!;
    const expected = { kernel: [3, 3, filters(inputs), filters(outputs)], bias: [filters(outputs)] };
    for (const [kind, weight] of [
      ["kernel", kernel],
      ["bias", bias],
    ] as const) {
      if (weight.shape.join(",") !== expected[kind].join(","))
        throw mismatch(
          source,
          `layer ${layer} ${kind} (${weight.name}) has shape [${weight.shape.join(", ")}] but the model needs [${expected[kind].join(", ")}]`,
        );
    }
    return { layer, kernel, bias };
  });
}

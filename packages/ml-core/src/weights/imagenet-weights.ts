import * as tf from "@tensorflow/tfjs";
import { MlCoreError } from "../errors/ml-core-error.ts";
import { type KerasWeightsFile, vgg16ConvWeights } from "./keras-h5.ts";

export type ImagenetWeightsReport = { source: string; loadedLayers: string[]; ignoredLayers: string[] };

/**
 * Loads the 13 VGG16 convolutions of a Keras weights file (keras-h5.ts) into `model` by layer
 * name. Checks everything before changing anything: a missing layer or a shape that differs
 * fails naming the layer and both shapes, and leaves the model as it was. Other layers in the
 * file (Keras' fc1/fc2/predictions) are ignored and reported: the head is ours.
 */
export function loadImagenetWeights(
  model: tf.LayersModel,
  file: KerasWeightsFile,
  source: string,
): ImagenetWeightsReport {
  const widthScale = (model.getLayer("block1_conv1").getWeights()[1]?.shape[0] ?? 64) / 64;
  const convs = vgg16ConvWeights(file, source, widthScale);
  const assignments = convs.map(({ layer: name, kernel, bias }) => {
    const layer = model.layers.find((l) => l.name === name);
    if (!layer) throw new MlCoreError("MODEL_UNSUPPORTED", `imagenet weights: the model has no layer ${name}`);
    const [modelKernel, modelBias] = layer.getWeights();
    for (const [kind, weight, expected] of [
      ["kernel", kernel, modelKernel!],
      ["bias", bias, modelBias!],
    ] as const) {
      if (!tf.util.arraysEqual(weight.shape, expected.shape))
        throw new MlCoreError(
          "WEIGHTS_MISMATCH",
          `${source}: layer ${name} ${kind} has shape [${weight.shape.join(", ")}] but the model expects [${expected.shape.join(", ")}]`,
          { field: "weights" },
        );
    }
    return [layer, kernel, bias] as const;
  });
  for (const [layer, kernel, bias] of assignments) {
    const tensors = [tf.tensor(kernel.values, kernel.shape), tf.tensor(bias.values, bias.shape)];
    layer.setWeights(tensors);
    tf.dispose(tensors);
  }
  const loaded = new Set(convs.map((c) => c.layer));
  return {
    source,
    loadedLayers: [...loaded],
    ignoredLayers: file.layerNames.filter((l) => !loaded.has(l) && (file.layers.get(l)?.length ?? 0) > 0),
  };
}

import * as tf from "@tensorflow/tfjs";
import { MlCoreError } from "../errors/ml-core-error.ts";

export type NamedTensor = { name: string; tensor: tf.Tensor };

/** Tensor values copied out of the backend, in TF.js' weights-manifest encoding. */
export type WeightsSnapshot = { specs: tf.io.WeightsManifestEntry[]; data: ArrayBuffer };

export async function snapshotTensors(named: NamedTensor[]): Promise<WeightsSnapshot> {
  const { data, specs } = await tf.io.encodeWeights(named);
  return { specs, data: tf.io.CompositeArrayBuffer.join(data) };
}

/** The model's weights (trainable and not, e.g. BatchNorm's moving statistics) in model order. */
export async function snapshotModel(model: tf.LayersModel): Promise<WeightsSnapshot> {
  const values = model.getWeights();
  return snapshotTensors(model.weights.map((w, i) => ({ name: w.originalName, tensor: values[i]! })));
}

/** Tensors of a snapshot, in order. The caller disposes them. */
export function snapshotTensorsList(snapshot: WeightsSnapshot): NamedTensor[] {
  const map = tf.io.decodeWeights(snapshot.data, snapshot.specs);
  return snapshot.specs.map((spec) => ({ name: spec.name, tensor: map[spec.name]! }));
}

/** Puts a snapshot back into a model of the same architecture; throws if names or shapes differ. */
export function restoreModel(model: tf.LayersModel, snapshot: WeightsSnapshot): void {
  const tensors = snapshotTensorsList(snapshot);
  try {
    if (tensors.length !== model.weights.length)
      throw new MlCoreError(
        "ARTIFACT_INVALID",
        `weights snapshot has ${tensors.length} tensors, the model ${model.weights.length}`,
      );
    model.weights.forEach((w, i) => {
      const { name, tensor } = tensors[i]!;
      if (name !== w.originalName || !tf.util.arraysEqual(tensor.shape, w.shape as number[])) {
        throw new MlCoreError(
          "ARTIFACT_INVALID",
          `weights snapshot has ${name} [${tensor.shape.join(", ")}] where the model has ${w.originalName} [${w.shape.join(", ")}]`,
        );
      }
    });
    model.setWeights(tensors.map((t) => t.tensor));
  } finally {
    tf.dispose(tensors.map((t) => t.tensor));
  }
}

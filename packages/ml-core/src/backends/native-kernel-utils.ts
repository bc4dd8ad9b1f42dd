import * as tf from "@tensorflow/tfjs";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";

export type KernelArgs = Parameters<tf.KernelFunc>[0];
export type KernelResult = ReturnType<tf.KernelFunc>;
/** A kernel's required inputs (tfjs types them all as optional). */
export type Inputs<K extends string> = Record<K, tf.TensorInfo>;

/** The pure-JS cpu kernel: the native backend's fallback for cases the addon does not cover. */
export function cpuKernel(kernelName: string): (args: KernelArgs) => KernelResult {
  const config = tf.getKernel(kernelName, "cpu");
  if (!config) throw new Error(`the cpu backend has no ${kernelName} kernel to fall back to`);
  return config.kernelFunc;
}

/** The tensor's values when it is float32 and held as a Float32Array, else null. */
export function float32Values(backend: MathBackendCPU, tensor: tf.TensorInfo): Float32Array | null {
  if (tensor.dtype !== "float32") return null;
  const values = backend.data.get(tensor.dataId)?.values;
  return values instanceof Float32Array ? values : null;
}

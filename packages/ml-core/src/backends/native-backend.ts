import * as tf from "@tensorflow/tfjs";
import { loadNativeKernels, type NativeKernelsLoad } from "@mammo/native-kernels";
import { NativeBackendCPU } from "./native-backend-cpu.ts";
import { nativeConvKernels } from "./native-conv-kernels.ts";
import { nativeElementwiseKernels } from "./native-elementwise-kernels.ts";
import { nativeMatmulKernels } from "./native-matmul-kernels.ts";

/** The TensorFlow.js backend name of the native kernels. */
export const NATIVE_BACKEND = "native";

/**
 * Registers the "native" TensorFlow.js backend: the pure-JS cpu backend (same tensor storage,
 * every kernel) with convolutions and matrix products replaced by C++ kernels on OpenBLAS.
 * Returns why not when the addon or OpenBLAS is missing; then nothing is registered.
 */
export function registerNativeBackend(): NativeKernelsLoad {
  const load = loadNativeKernels();
  if (!load.isLoaded || tf.findBackendFactory(NATIVE_BACKEND)) return load;
  const replaced = [
    ...nativeConvKernels(load.kernels),
    ...nativeMatmulKernels(load.kernels),
    ...nativeElementwiseKernels(load.kernels),
  ];
  const replacedNames = new Set(replaced.map((config) => config.kernelName));
  for (const config of tf.getKernelsForBackend("cpu"))
    if (!replacedNames.has(config.kernelName)) tf.registerKernel({ ...config, backendName: NATIVE_BACKEND });
  for (const config of replaced) tf.registerKernel(config);
  // Priority 0: never picked implicitly; setupBackend chooses it explicitly.
  tf.registerBackend(NATIVE_BACKEND, () => new NativeBackendCPU(), 0);
  return load;
}

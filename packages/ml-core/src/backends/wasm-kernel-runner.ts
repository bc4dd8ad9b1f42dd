import * as tf from "@tensorflow/tfjs";

/** Calls a wasm kernel (a kernel calls kernels directly, not through the engine). */
export type RunKernel = (
  kernelName: string,
  inputs: Record<string, tf.TensorInfo> | tf.TensorInfo[],
  attrs: object,
) => tf.TensorInfo;

type DisposingBackend = { disposeData(dataId: tf.DataId): boolean };

/**
 * Runs `body` with a kernel runner whose outputs are all disposed afterwards, except the one
 * `body` returns (the caller's).
 */
export function withWasmKernels(backend: unknown, body: (run: RunKernel) => tf.TensorInfo): tf.TensorInfo {
  const temporaries: tf.TensorInfo[] = [];
  const run: RunKernel = (kernelName, inputs, attrs) => {
    const kernel = tf.getKernel(kernelName, "wasm");
    if (!kernel) throw new Error(`the wasm backend has no ${kernelName} kernel`);
    const result = kernel.kernelFunc({
      inputs: inputs as tf.NamedTensorInfoMap,
      backend: backend as object,
      attrs: attrs as tf.NamedAttrMap,
    }) as tf.TensorInfo;
    temporaries.push(result);
    return result;
  };
  try {
    const result = body(run);
    const index = temporaries.indexOf(result);
    if (index >= 0) temporaries.splice(index, 1);
    return result;
  } finally {
    for (const tensor of temporaries) (backend as DisposingBackend).disposeData(tensor.dataId);
  }
}

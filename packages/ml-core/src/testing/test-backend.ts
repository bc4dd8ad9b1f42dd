import * as tf from "@tensorflow/tfjs";
import { setupBackend, type BackendName } from "../backends/setup-backend.ts";

/**
 * The backend for ml-core's training tests, and a line that says which one it is (the figures of
 * a training test hold for one backend: float sums in another order train a different model).
 *
 * wasm where it can train (Conv2DBackpropFilter registered); otherwise the pure-JS cpu backend,
 * with the reason wasm was passed over. With `required: "wasm"` (a test whose bars were measured
 * on wasm), a wasm that cannot train fails the test with that reason instead.
 */
export async function useTrainingTestBackend(
  options: { required?: "wasm"; log?: (line: string) => void } = {},
): Promise<BackendName> {
  const log = options.log ?? ((line: string) => console.log(line));
  let wasmProblem: string;
  try {
    const info = await setupBackend("wasm", () => {});
    if (tf.getKernel("Conv2DBackpropFilter", "wasm")) {
      log(`[ml-core test] training backend: wasm (${info.detail})`);
      return "wasm";
    }
    wasmProblem = "it has no Conv2DBackpropFilter kernel, so it cannot train convolutions";
  } catch (error) {
    wasmProblem = (error as Error).message;
  }
  if (options.required === "wasm")
    throw new Error(`this test's figures were measured on the wasm backend, which cannot train here: ${wasmProblem}`);
  await setupBackend("cpu", () => {});
  log(`[ml-core test] training backend: cpu (pure JavaScript), as wasm cannot train here: ${wasmProblem}`);
  return "cpu";
}

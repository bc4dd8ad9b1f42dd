import * as tf from "@tensorflow/tfjs";
import { setupBackend } from "../backends/setup-backend.ts";

/**
 * The backend for ml-core's training tests: wasm where it can train (Conv2DBackpropFilter
 * registered), otherwise the pure-JS cpu backend. Both run everywhere; tests keep models tiny.
 */
export async function useTrainingTestBackend(): Promise<string> {
  try {
    await setupBackend("wasm", () => {});
    if (tf.getKernel("Conv2DBackpropFilter", "wasm")) return "wasm";
  } catch {
    // wasm unavailable: fall through to cpu
  }
  await setupBackend("cpu", () => {});
  return "cpu";
}

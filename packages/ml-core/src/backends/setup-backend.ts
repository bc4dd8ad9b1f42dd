import * as tf from "@tensorflow/tfjs";

/** Backends in order of preference: CUDA, native CPU (libtensorflow), WebAssembly, pure JS. */
export const BACKEND_NAMES = ["tensorflow-gpu", "tensorflow", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export type BackendInfo = { name: BackendName; tfBackend: string; detail: string };

/**
 * Picks the TensorFlow.js backend at run time, best first, or the one asked for; logs the
 * choice in one line. tfjs-node(-gpu) are optionalDependencies: loaded only if installed.
 * (Foundation version: the fast CPU training work extends this file.)
 */
export async function setupBackend(preferred?: BackendName, log: (line: string) => void = console.log): Promise<BackendInfo> {
  const candidates = preferred ? [preferred] : [...BACKEND_NAMES];
  const failures: string[] = [];
  for (const name of candidates) {
    try {
      const info = await activate(name);
      log(`[ml-core] backend: ${info.name} (${info.detail})`);
      return info;
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could start (${failures.join("; ")})`);
}

async function activate(name: BackendName): Promise<BackendInfo> {
  switch (name) {
    case "tensorflow-gpu":
    case "tensorflow": {
      const pkg = name === "tensorflow-gpu" ? "@tensorflow/tfjs-node-gpu" : "@tensorflow/tfjs-node";
      await import(/* @vite-ignore */ pkg); // registers the "tensorflow" backend
      if (!(await tf.setBackend("tensorflow"))) throw new Error(`${pkg} is installed but its backend did not start`);
      return { name, tfBackend: "tensorflow", detail: pkg };
    }
    case "wasm": {
      await import("@tensorflow/tfjs-backend-wasm");
      if (!(await tf.setBackend("wasm"))) throw new Error("the wasm backend did not start");
      return { name, tfBackend: "wasm", detail: "@tensorflow/tfjs-backend-wasm" };
    }
    case "cpu": {
      await tf.setBackend("cpu");
      return { name, tfBackend: "cpu", detail: "pure JavaScript" };
    }
  }
}

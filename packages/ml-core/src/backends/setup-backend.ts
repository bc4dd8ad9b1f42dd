import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import * as tf from "@tensorflow/tfjs";
import { NATIVE_BACKEND, registerNativeBackend } from "./native-backend.ts";
import { wasmConv2DBackpropFilterConfig } from "./wasm-conv2d-backprop-filter.ts";
import { wasmConv2DBackpropInputConfig } from "./wasm-conv2d-backprop-input.ts";

/**
 * Backends in order of preference: CUDA, native CPU (libtensorflow), our C++ kernels on OpenBLAS
 * ("native"), WebAssembly, pure JS.
 */
export const BACKEND_NAMES = ["tensorflow-gpu", "tensorflow", "native", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export type BackendInfo = { name: BackendName; tfBackend: string; detail: string };

/**
 * Picks the TensorFlow.js backend at run time, best first, or the one asked for; logs the
 * choice in one line (with why better ones were passed over). tfjs-node(-gpu) are
 * optionalDependencies and the native kernels an optional build: each is used only if present.
 */
export async function setupBackend(
  preferred?: BackendName,
  log: (line: string) => void = console.log,
): Promise<BackendInfo> {
  if (preferred !== undefined && !BACKEND_NAMES.includes(preferred))
    throw new Error(`unknown backend "${preferred}" (expected one of ${BACKEND_NAMES.join(", ")})`);
  const candidates = preferred ? [preferred] : [...BACKEND_NAMES];
  const failures: string[] = [];
  for (const name of candidates) {
    try {
      const info = await activate(name);
      log(
        `[ml-core] backend: ${info.name} (${info.detail})${failures.length ? `; passed over ${failures.join("; ")}` : ""}`,
      );
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
      await importOptionalPackage(pkg); // registers the "tensorflow" backend
      if (!(await tf.setBackend("tensorflow"))) throw new Error(`${pkg} is installed but its backend did not start`);
      return { name, tfBackend: "tensorflow", detail: pkg };
    }
    case "native": {
      const load = registerNativeBackend();
      if (!load.isLoaded) throw new Error(load.reason);
      if (!(await tf.setBackend(NATIVE_BACKEND))) throw new Error("the native backend did not start");
      const { blasCore, threads } = load.info;
      return { name, tfBackend: NATIVE_BACKEND, detail: `C++ kernels on OpenBLAS ${blasCore}, ${threads} threads` };
    }
    case "wasm": {
      await import("@tensorflow/tfjs-backend-wasm");
      registerWasmTrainingKernels();
      if (!(await tf.setBackend("wasm"))) throw new Error("the wasm backend did not start");
      const simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
      return {
        name,
        tfBackend: "wasm",
        detail: `@tensorflow/tfjs-backend-wasm, ${simd ? "SIMD" : "no SIMD"}, one thread (tfjs has no wasm threads in Node)`,
      };
    }
    case "cpu": {
      await tf.setBackend("cpu");
      return { name, tfBackend: "cpu", detail: "pure JavaScript" };
    }
  }
}

/**
 * Imports an optional package, failing with what went wrong: "not installed" only when the package
 * itself cannot be found; when it is there but does not load (a missing shared library such as
 * libcudnn, a native binding its install script never built), the loader's own reason.
 * `parentUrl`: where to look for it from (default: this module).
 */
export async function importOptionalPackage(pkg: string, parentUrl: string | URL = import.meta.url): Promise<unknown> {
  let entry: string;
  try {
    entry = createRequire(parentUrl).resolve(pkg);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") throw new Error(`${pkg} is not installed`);
    throw new Error(`${pkg} cannot be resolved: ${(error as Error).message.split("\n")[0]}`);
  }
  try {
    return await import(/* @vite-ignore */ pathToFileURL(entry).href);
  } catch (error) {
    throw new Error(`${pkg} is installed but could not be loaded: ${(error as Error).message.split("\n")[0]}`);
  }
}

let areWasmKernelsRegistered = false;

/**
 * Registers what the wasm backend needs to train well: the Conv2DBackpropFilter kernel it lacks
 * and a faster Conv2DBackpropInput (once; before the backend starts, so kernel setup runs).
 */
export function registerWasmTrainingKernels(): void {
  if (areWasmKernelsRegistered) return;
  areWasmKernelsRegistered = true;
  if (!tf.getKernel(tf.Conv2DBackpropFilter, "wasm")) tf.registerKernel(wasmConv2DBackpropFilterConfig);
  const original = tf.getKernel(tf.Conv2DBackpropInput, "wasm");
  if (original) {
    tf.unregisterKernel(tf.Conv2DBackpropInput, "wasm");
    tf.registerKernel(wasmConv2DBackpropInputConfig(original));
  }
}

import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import type { NativeKernels, NativeKernelsInfo } from "./native-kernels.types.ts";

export type { NativeKernels, NativeKernelsInfo };

export type NativeKernelsLoad =
  { isLoaded: true; kernels: NativeKernels; info: NativeKernelsInfo } | { isLoaded: false; reason: string };

const addonPath = fileURLToPath(new URL("../build/Release/native_kernels.node", import.meta.url));
const notBuiltPath = fileURLToPath(new URL("../build/not-built.txt", import.meta.url));
let cached: NativeKernelsLoad | undefined;

/**
 * Loads the addon built at install time and OpenBLAS behind it. Never throws: when either is
 * missing (no compiler at install, no OpenBLAS) the result says why, and callers use wasm.
 * MAMMO_NATIVE_KERNELS=off disables it.
 */
export function loadNativeKernels(): NativeKernelsLoad {
  cached ??= load();
  return cached;
}

function load(): NativeKernelsLoad {
  if (process.env.MAMMO_NATIVE_KERNELS === "off")
    return { isLoaded: false, reason: "disabled by MAMMO_NATIVE_KERNELS=off" };
  if (!existsSync(addonPath)) {
    // The install-time build wrote down why it did not build (no compiler, no Node headers...).
    const why = existsSync(notBuiltPath) ? readFileSync(notBuiltPath, "utf8").trim() : "the install did not build it";
    return {
      isLoaded: false,
      reason: `addon not built: ${why}; \`npm run build:native -w @mammo/native-kernels\` builds it`,
    };
  }
  try {
    const kernels = createRequire(import.meta.url)(addonPath) as NativeKernels;
    return { isLoaded: true, kernels, info: kernels.info() };
  } catch (error) {
    return { isLoaded: false, reason: (error as Error).message.split("\n")[0] };
  }
}

import { execFile } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { BACKEND_NAMES, importOptionalPackage, setupBackend, type BackendName } from "./setup-backend.ts";

const setupModule = fileURLToPath(new URL("./setup-backend.ts", import.meta.url));

/** setupBackend() in a fresh process (backend registration is process-wide) with extra environment. */
async function setupInChild(env: Record<string, string>): Promise<{ line: string; name: string }> {
  const script = `import { setupBackend } from ${JSON.stringify(setupModule)};
const lines = []; const info = await setupBackend(undefined, (line) => lines.push(line));
console.log(JSON.stringify({ line: lines.join("\\n"), name: info.name }));`;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", script],
    { env: { ...process.env, ...env }, timeout: 60_000 },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1)!);
}

// Both child processes start at once (each takes seconds to load TensorFlow.js).
let defaultChoice: Promise<{ line: string; name: string }>;
let withoutOpenBlas: Promise<{ line: string; name: string }>;
beforeAll(() => {
  defaultChoice = setupInChild({});
  withoutOpenBlas = setupInChild({ MAMMO_OPENBLAS_LIBRARY: "/nonexistent/libopenblas.so.0" });
});

describe("setupBackend", () => {
  it("lists the backends best first, the native kernels between libtensorflow and wasm", () => {
    expect(BACKEND_NAMES).toEqual(["tensorflow-gpu", "tensorflow", "native", "wasm", "cpu"]);
  });

  it("uses the backend it is asked for and logs the choice in one line", async () => {
    for (const name of ["wasm", "cpu"] as const) {
      const lines: string[] = [];
      const info = await setupBackend(name, (line) => lines.push(line));
      expect(info.name).toBe(name);
      expect(tf.getBackend()).toBe(info.tfBackend);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^\\[ml-core\\] backend: ${name} \\(`));
    }
  });

  it("fails with every reason when the backend asked for cannot start", async () => {
    await expect(setupBackend("tensorflow", () => {})).rejects.toThrow(
      /no TensorFlow.js backend could start \(tensorflow: @tensorflow\/tfjs-node is not installed\)/,
    );
    await expect(setupBackend("metal" as BackendName, () => {})).rejects.toThrow(/unknown backend "metal"/);
  });

  it("picks the best available one: the native kernels where they are built, and says what it passed over", async () => {
    const isNativeOff = process.env.MAMMO_NATIVE_KERNELS === "off";
    const { line, name } = await defaultChoice;
    expect(name).toBe(isNativeOff ? "wasm" : "native");
    expect(line.split("\n")).toHaveLength(1);
    expect(line).toMatch(
      /passed over tensorflow-gpu: @tensorflow\/tfjs-node-gpu is not installed; tensorflow: @tensorflow\/tfjs-node is not installed/,
    );
    if (!isNativeOff)
      expect(line).toMatch(/^\[ml-core\] backend: native \(C\+\+ kernels on OpenBLAS \w+, \d+ threads\)/);
  });

  it("falls back to wasm when OpenBLAS cannot be loaded, naming the reason", async () => {
    const { line, name } = await withoutOpenBlas;
    expect(name).toBe("wasm");
    expect(line).toMatch(/^\[ml-core\] backend: wasm \(@tensorflow\/tfjs-backend-wasm, SIMD, one thread/);
    expect(line).toMatch(
      /native: (OpenBLAS not found \(tried \/nonexistent\/libopenblas\.so\.0;|disabled by MAMMO_NATIVE_KERNELS=off)/,
    );
  });
});

describe("importOptionalPackage", () => {
  it("says 'not installed' only when the package is missing, and otherwise gives the loader's own reason", async () => {
    await expect(importOptionalPackage("@mammo/no-such-package")).rejects.toThrow(
      /^@mammo\/no-such-package is not installed$/,
    );
    // An installed package whose native binding is not a loadable shared library (what a GPU
    // server shows when tfjs-node-gpu's binding or a library it links is missing or broken).
    const dir = await mkdtemp(path.join(os.tmpdir(), "mammo-optional-package-"));
    try {
      const pkgDir = path.join(dir, "node_modules", "broken-native");
      await mkdir(path.join(pkgDir, "build"), { recursive: true });
      await writeFile(path.join(pkgDir, "package.json"), JSON.stringify({ name: "broken-native", main: "index.cjs" }));
      await writeFile(path.join(pkgDir, "index.cjs"), 'module.exports = require("./build/binding.node");\n');
      await writeFile(path.join(pkgDir, "build", "binding.node"), "not an ELF shared object\n".repeat(20));
      await expect(importOptionalPackage("broken-native", pathToFileURL(path.join(dir, "main.js")))).rejects.toThrow(
        /^broken-native is installed but could not be loaded: .*binding\.node: invalid ELF header/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

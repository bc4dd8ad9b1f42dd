import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const testBackendModule = fileURLToPath(new URL("./test-backend.ts", import.meta.url));

/**
 * useTrainingTestBackend() in a fresh process (backends are process-wide); `breakWasm` points the
 * wasm backend at a folder without its .wasm binaries, so it really cannot start.
 */
async function inChild(options: { breakWasm: boolean; required?: "wasm" }) {
  const script = `import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";
import { useTrainingTestBackend } from ${JSON.stringify(testBackendModule)};
if (${options.breakWasm}) setWasmPaths("/nonexistent/tfjs-wasm/");
const lines = [];
try {
  const name = await useTrainingTestBackend({ required: ${JSON.stringify(options.required)}, log: (l) => lines.push(l) });
  console.log(JSON.stringify({ name, lines }));
} catch (error) {
  console.log(JSON.stringify({ error: error.message, lines }));
}`;
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "--input-type=module", "-e", script],
    { timeout: 60_000 },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as { name?: string; error?: string; lines: string[] };
}

describe("useTrainingTestBackend", () => {
  it("trains on wasm and says so", async () => {
    expect(await inChild({ breakWasm: false, required: "wasm" })).toEqual({
      name: "wasm",
      lines: [expect.stringMatching(/^\[ml-core test\] training backend: wasm \(@tensorflow\/tfjs-backend-wasm/)],
    });
  });

  it("falls back to cpu only aloud, and fails a test that needs wasm with the reason", async () => {
    const [fallback, required] = await Promise.all([
      inChild({ breakWasm: true }),
      inChild({ breakWasm: true, required: "wasm" }),
    ]);
    expect(fallback).toEqual({
      name: "cpu",
      lines: [
        expect.stringMatching(
          /^\[ml-core test\] training backend: cpu \(pure JavaScript\), as wasm cannot train here: .+/,
        ),
      ],
    });
    expect(required.error).toMatch(
      /^this test.s figures were measured on the wasm backend, which cannot train here: .*the wasm backend did not start/,
    );
    expect(required.lines).toEqual([]);
  });
});

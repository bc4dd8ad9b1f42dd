import { spawnSync } from "node:child_process";
import type { NativeKernels } from "@mammo/native-kernels";

export type SgemmCeiling = { label: string; gflops: number };

const SIZE = 4096;

const NUMPY_SCRIPT = `
import time, numpy as np
n = ${SIZE}
a = np.random.rand(n, n).astype(np.float32); b = np.random.rand(n, n).astype(np.float32)
a @ b
best = min((lambda t: (a @ b, time.perf_counter() - t)[1])(time.perf_counter()) for _ in range(3))
print(2 * n ** 3 / best / 1e9)
`;

/**
 * numpy's float32 matrix product (OpenBLAS) at 4096x4096, best of 3, in a child process; once
 * with the environment as it is and, when OPENBLAS_CORETYPE is set, once with OpenBLAS' own CPU
 * detection. Empty when python3 or numpy is missing.
 */
export function numpySgemmCeilings(): SgemmCeiling[] {
  const runs: Array<{ label: string; env: NodeJS.ProcessEnv }> = [];
  const coreType = process.env.OPENBLAS_CORETYPE;
  runs.push({ label: coreType ? `numpy sgemm (OPENBLAS_CORETYPE=${coreType} as set here)` : "numpy sgemm", env: process.env });
  if (coreType) {
    const env = { ...process.env };
    delete env.OPENBLAS_CORETYPE;
    runs.push({ label: "numpy sgemm (OpenBLAS' own CPU detection)", env });
  }
  const ceilings: SgemmCeiling[] = [];
  for (const run of runs) {
    const result = spawnSync("python3", ["-c", NUMPY_SCRIPT], { env: run.env, encoding: "utf8", timeout: 120_000 });
    const gflops = Number(result.stdout?.trim());
    if (result.status === 0 && Number.isFinite(gflops)) ceilings.push({ label: run.label, gflops });
  }
  return ceilings;
}

/** The native kernels' own sgemm (OpenBLAS through the addon's thread pool) at 4096x4096, best of 3. */
export function nativeSgemmCeiling(native: NativeKernels, blasCore: string): SgemmCeiling {
  const a = new Float32Array(SIZE * SIZE).map((_, i) => (i % 7) * 0.1);
  const b = new Float32Array(SIZE * SIZE).map((_, i) => (i % 5) * 0.1);
  const out = new Float32Array(SIZE * SIZE);
  const shape = Int32Array.of(1, 1, 1, SIZE, SIZE, SIZE);
  native.matmul(a, b, null, shape, false, false, 0, 0, out);
  let best = Infinity;
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    native.matmul(a, b, null, shape, false, false, 0, 0, out);
    best = Math.min(best, (performance.now() - start) / 1000);
  }
  return { label: `native sgemm (OpenBLAS ${blasCore})`, gflops: (2 * SIZE ** 3) / best / 1e9 };
}

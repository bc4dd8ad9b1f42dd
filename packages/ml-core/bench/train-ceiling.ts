import { spawnSync } from "node:child_process";
import type { NativeKernels } from "@mammo/native-kernels";

/** GFLOP/s of wall time, and GFLOP per second of CPU time (all threads): the rate per busy core. */
export type SgemmCeiling = { label: string; gflops: number; gflopsPerCpuSecond: number };

const SIZE = 4096;

const NUMPY_SCRIPT = `
import time, numpy as np
n = ${SIZE}
a = np.random.rand(n, n).astype(np.float32); b = np.random.rand(n, n).astype(np.float32)
a @ b
runs = []
for _ in range(3):
    wall, cpu = time.perf_counter(), time.process_time()
    a @ b
    runs.append((time.perf_counter() - wall, time.process_time() - cpu))
wall, cpu = min(runs)
print(2 * n ** 3 / wall / 1e9, 2 * n ** 3 / cpu / 1e9)
`;

/**
 * numpy's float32 matrix product (OpenBLAS) at 4096x4096, best of 3, in a child process; once
 * with the environment as it is and, when OPENBLAS_CORETYPE is set, once with OpenBLAS' own CPU
 * detection. Empty when python3 or numpy is missing.
 */
export function numpySgemmCeilings(): SgemmCeiling[] {
  const runs: Array<{ label: string; env: NodeJS.ProcessEnv }> = [];
  const coreType = process.env.OPENBLAS_CORETYPE;
  runs.push({
    label: coreType ? `numpy sgemm (OPENBLAS_CORETYPE=${coreType} as set here)` : "numpy sgemm",
    env: process.env,
  });
  if (coreType) {
    const env = { ...process.env };
    delete env.OPENBLAS_CORETYPE;
    runs.push({ label: "numpy sgemm (OpenBLAS' own CPU detection)", env });
  }
  const ceilings: SgemmCeiling[] = [];
  for (const run of runs) {
    const result = spawnSync("python3", ["-c", NUMPY_SCRIPT], { env: run.env, encoding: "utf8", timeout: 120_000 });
    const [gflops, gflopsPerCpuSecond] = (result.stdout ?? "").trim().split(" ").map(Number);
    if (result.status === 0 && Number.isFinite(gflops) && Number.isFinite(gflopsPerCpuSecond))
      ceilings.push({ label: run.label, gflops, gflopsPerCpuSecond });
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
  const runs: Array<[number, number]> = [];
  for (let run = 0; run < 3; run++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    native.matmul(a, b, null, shape, false, false, 0, 0, out);
    const cpu = process.cpuUsage(cpuStart);
    runs.push([(performance.now() - start) / 1000, (cpu.user + cpu.system) / 1e6]);
  }
  const [wall, cpu] = runs.sort((p, q) => p[0] - q[0])[0];
  return {
    label: `native sgemm (OpenBLAS ${blasCore})`,
    gflops: (2 * SIZE ** 3) / wall / 1e9,
    gflopsPerCpuSecond: (2 * SIZE ** 3) / cpu / 1e9,
  };
}

import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import { ImagingError } from "../errors.ts";
import type { ImagingLimits } from "../limits.ts";
import { ingestFile, type DeidContext, type IngestedImage } from "./ingest-file.ts";
import { frameFullDepthLevels, type FramedLevel } from "../derived/full-depth-levels.ts";
import {
  ownedBytes,
  type DeriveLevelsResult,
  type DeriveLevelsTask,
  type IngestTask,
  type IngestTaskResult,
} from "./ingest-worker.ts";

/** Ingests one file (ingest-file.ts): in this thread, or in a worker thread of a pool. */
export type IngestRunner = (bytes: Uint8Array, deid: DeidContext, limits: ImagingLimits) => Promise<IngestedImage>;
/** Full-depth levels of a stored file, framed (derived/full-depth-levels.ts): the bytes move to the worker. */
export type LevelsRunner = (
  bytes: Uint8Array,
  levels: readonly number[],
  limits?: ImagingLimits,
) => Promise<FramedLevel[]>;
export type IngestPool = {
  workers: number;
  ingest: IngestRunner;
  deriveLevels: LevelsRunner;
  close: () => Promise<void>;
};

/** Worker threads for ingest: INGEST_WORKERS (0 = in the calling thread), else one per core. */
export function ingestWorkerCount(env: NodeJS.ProcessEnv = process.env): number {
  const configured = env.INGEST_WORKERS?.trim();
  if (!configured) return availableParallelism();
  const count = Number(configured);
  if (!Number.isInteger(count) || count < 0)
    throw new ImagingError("CONFIGURATION", `INGEST_WORKERS must be a whole number >= 0 (got ${configured})`);
  return count;
}

/**
 * A pool of worker threads that decode, check and de-identify files in parallel: decoding a
 * compressed mammogram (JPEG 2000, JPEG-LS in WebAssembly) takes one core for seconds. Threads
 * start on first use and stop when idle. With 0 workers files are ingested in the calling thread.
 */
export function createIngestPool(workers = ingestWorkerCount()): IngestPool {
  if (workers === 0)
    return {
      workers,
      ingest: (bytes, deid, limits) => ingestFile(bytes, deid, limits, { withScreenLevels: true }),
      deriveLevels: frameFullDepthLevels,
      close: async () => {},
    };
  const piscina = new Piscina<IngestTask | DeriveLevelsTask, IngestTaskResult | DeriveLevelsResult>({
    filename: new URL("./ingest-worker-entry.mjs", import.meta.url).href,
    minThreads: 0,
    maxThreads: workers,
    idleTimeout: 30_000,
  });
  // A task's bytes move to the worker (no copy) when they own their whole buffer; an
  // ImagingError comes back as code and message and is thrown again here as one.
  async function run<R>(task: IngestTask | DeriveLevelsTask, name: string): Promise<R> {
    try {
      return (await piscina.run(task, { name, transferList: [task.bytes.buffer as ArrayBuffer] })) as R;
    } catch (error) {
      // A file that kills its worker (a decoder abort) is that file's problem, not the import's.
      if (error instanceof Error && /worker.*(exit|terminat)/i.test(error.message))
        throw new ImagingError("CORRUPT_PIXEL_DATA", "the file stopped the decoder", { cause: error });
      throw error;
    }
  }
  const ingest: IngestRunner = async (bytes, deid, limits) => {
    const result = await run<IngestTaskResult>({ bytes: ownedBytes(bytes), deid, limits }, "default");
    if (!result.ok) throw new ImagingError(result.error.code, result.error.message);
    return result.image;
  };
  const deriveLevels: LevelsRunner = async (bytes, levels, limits) => {
    const result = await run<DeriveLevelsResult>({ bytes: ownedBytes(bytes), levels, limits }, "deriveLevels");
    if (!result.ok) throw new ImagingError(result.error.code, result.error.message);
    return result.levels;
  };
  return { workers, ingest, deriveLevels, close: () => piscina.destroy() };
}

let shared: IngestPool | undefined;

/** The process's pool (INGEST_WORKERS threads), created on first use. */
export function sharedIngestPool(): IngestPool {
  return (shared ??= createIngestPool());
}

/** Stops the process's pool (a CLI before it exits); the next import starts a new one. */
export async function closeSharedIngestPool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}

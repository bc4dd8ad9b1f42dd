// Runs in a worker thread of the ingest pool (ingest-pool.ts): one file per task.
import { Piscina } from "piscina";
import { isImagingError, type ImagingErrorCode } from "../errors.ts";
import type { ImagingLimits } from "../limits.ts";
import { frameFullDepthLevels, type FramedLevel } from "../derived/full-depth-levels.ts";
import { ingestFile, type DeidContext, type IngestedImage } from "./ingest-file.ts";

export type IngestTask = { bytes: Uint8Array; deid: DeidContext; limits: ImagingLimits };
// ImagingError does not survive the thread boundary as a class: it travels as code and message.
type TaskError = { ok: false; error: { code: ImagingErrorCode; message: string } };
export type IngestTaskResult = { ok: true; image: IngestedImage } | TaskError;

/** The bytes themselves when they own their whole buffer (so it can move between threads), else a copy. */
export const ownedBytes = (bytes: Uint8Array) =>
  bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();

/** The task's value, or its ImagingError as code and message. */
async function settle<T>(work: () => Promise<T>): Promise<{ ok: true; value: T } | TaskError> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    if (isImagingError(error)) return { ok: false, error: { code: error.code, message: error.message } };
    throw error;
  }
}

/** `result` sent to the caller with `buffers` moved, not cloned. */
function moved<R>(result: R, buffers: ArrayBufferLike[]): R {
  const movable = {
    get [Piscina.transferableSymbol]() {
      return buffers;
    },
    get [Piscina.valueSymbol]() {
      return result;
    },
  };
  // Piscina sends the value and transfers the list; its types do not describe such an object.
  return Piscina.move(movable as unknown as Parameters<typeof Piscina.move>[0]) as unknown as R;
}

export default async function ingestTask(task: IngestTask): Promise<IngestTaskResult> {
  const settled = await settle(() => ingestFile(task.bytes, task.deid, task.limits, { withScreenLevels: true }));
  if (!settled.ok) return settled;
  // The stored bytes (a mammogram's 27 MB) move to the caller: cloning them cost more CPU than
  // ingesting an uncompressed file.
  const storedBytes = ownedBytes(settled.value.storedBytes);
  return moved<IngestTaskResult>({ ok: true, image: { ...settled.value, storedBytes } }, [storedBytes.buffer]);
}

export type DeriveLevelsTask = { bytes: Uint8Array; levels: readonly number[]; limits?: ImagingLimits };
export type DeriveLevelsResult = { ok: true; levels: FramedLevel[] } | TaskError;

/**
 * Full-depth levels of a stored file, framed, not compressed (derived/full-depth-levels.ts): the
 * caller compresses them in libuv's threads and can answer with one before the others. Their
 * buffers move back to the caller.
 */
export async function deriveLevelsTask(task: DeriveLevelsTask): Promise<DeriveLevelsResult> {
  const settled = await settle(() => frameFullDepthLevels(task.bytes, task.levels, task.limits));
  if (!settled.ok) return settled;
  const levels = settled.value;
  return moved<DeriveLevelsResult>(
    { ok: true, levels },
    levels.map((l) => l.framed.buffer),
  );
}

// Runs in a worker thread of the ingest pool (ingest-pool.ts): one file per task.
import { Piscina } from "piscina";
import { isImagingError, type ImagingErrorCode } from "../errors.ts";
import type { ImagingLimits } from "../limits.ts";
import { frameFullDepthLevels, type FramedLevel } from "../derived/full-depth-levels.ts";
import { ingestFile, type DeidContext, type IngestedImage } from "./ingest-file.ts";

export type IngestTask = { bytes: Uint8Array; deid: DeidContext; limits: ImagingLimits };
// ImagingError does not survive the thread boundary as a class: it travels as code and message.
export type IngestTaskResult =
  { ok: true; image: IngestedImage } | { ok: false; error: { code: ImagingErrorCode; message: string } };

export default async function ingestTask(task: IngestTask): Promise<IngestTaskResult> {
  let image: IngestedImage;
  try {
    image = await ingestFile(task.bytes, task.deid, task.limits, { withScreenLevels: true });
  } catch (error) {
    if (isImagingError(error)) return { ok: false, error: { code: error.code, message: error.message } };
    throw error;
  }
  // The stored bytes (a mammogram's 27 MB) move to the caller: cloning them cost more CPU than
  // ingesting an uncompressed file.
  const { storedBytes } = image;
  const owned =
    storedBytes.byteOffset === 0 && storedBytes.byteLength === storedBytes.buffer.byteLength
      ? storedBytes
      : storedBytes.slice();
  const result: IngestTaskResult = { ok: true, image: { ...image, storedBytes: owned } };
  const movable = {
    get [Piscina.transferableSymbol]() {
      return [owned.buffer];
    },
    get [Piscina.valueSymbol]() {
      return result;
    },
  };
  // Piscina sends the value and transfers the list; its types do not describe such an object.
  return Piscina.move(movable as unknown as Parameters<typeof Piscina.move>[0]) as unknown as IngestTaskResult;
}

export type DeriveLevelsTask = { bytes: Uint8Array; levels: readonly number[]; limits?: ImagingLimits };
export type DeriveLevelsResult =
  { ok: true; levels: FramedLevel[] } | { ok: false; error: { code: ImagingErrorCode; message: string } };

/**
 * Full-depth levels of a stored file, framed, not compressed (derived/full-depth-levels.ts): the
 * caller compresses them in libuv's threads and can answer with one before the others. Their
 * buffers move back to the caller.
 */
export async function deriveLevelsTask(task: DeriveLevelsTask): Promise<DeriveLevelsResult> {
  let levels: FramedLevel[];
  try {
    levels = await frameFullDepthLevels(task.bytes, task.levels, task.limits);
  } catch (error) {
    if (isImagingError(error)) return { ok: false, error: { code: error.code, message: error.message } };
    throw error;
  }
  const result: DeriveLevelsResult = { ok: true, levels };
  const movable = {
    get [Piscina.transferableSymbol]() {
      return levels.map((l) => l.framed.buffer);
    },
    get [Piscina.valueSymbol]() {
      return result;
    },
  };
  return Piscina.move(movable as unknown as Parameters<typeof Piscina.move>[0]) as unknown as DeriveLevelsResult;
}

// Runs in a worker thread of the ingest pool (ingest-pool.ts): one file per task.
import { Piscina } from "piscina";
import { isImagingError, type ImagingErrorCode } from "../errors.ts";
import type { ImagingLimits } from "../limits.ts";
import { encodeFullDepthLevels, type EncodedLevel } from "../derived/full-depth-levels.ts";
import { ingestFile, type DeidContext, type IngestedImage } from "./ingest-file.ts";
import { withScreenLevels } from "./screen-levels.ts";

export type IngestTask = { bytes: Uint8Array; deid: DeidContext; limits: ImagingLimits };
// ImagingError does not survive the thread boundary as a class: it travels as code and message.
export type IngestTaskResult =
  { ok: true; image: IngestedImage } | { ok: false; error: { code: ImagingErrorCode; message: string } };

export default async function ingestTask(task: IngestTask): Promise<IngestTaskResult> {
  let image: IngestedImage;
  try {
    image = await withScreenLevels(await ingestFile(task.bytes, task.deid, task.limits), task.limits);
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

/** Full-depth levels of a stored file (derived/full-depth-levels.ts), off the API's event loop. */
export async function deriveLevelsTask(task: DeriveLevelsTask): Promise<EncodedLevel[]> {
  return encodeFullDepthLevels(task.bytes, task.levels, task.limits);
}

// Runs in a worker thread of the ingest pool (ingest-pool.ts): one file per task.
import { isImagingError, type ImagingErrorCode } from "../errors.ts";
import type { ImagingLimits } from "../limits.ts";
import { ingestFile, type DeidContext, type IngestedImage } from "./ingest-file.ts";

export type IngestTask = { bytes: Uint8Array; deid: DeidContext; limits: ImagingLimits };
// ImagingError does not survive the thread boundary as a class: it travels as code and message.
export type IngestTaskResult =
  { ok: true; image: IngestedImage } | { ok: false; error: { code: ImagingErrorCode; message: string } };

export default async function ingestTask(task: IngestTask): Promise<IngestTaskResult> {
  try {
    return { ok: true, image: await ingestFile(task.bytes, task.deid, task.limits) };
  } catch (error) {
    if (isImagingError(error)) return { ok: false, error: { code: error.code, message: error.message } };
    throw error;
  }
}

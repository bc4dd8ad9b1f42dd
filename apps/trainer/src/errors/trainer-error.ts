import { isImagingError } from "@mammo/imaging";

/**
 * The trainer's one error type. BAD_INPUT is the user's to fix (a dataset version, a parameter, an
 * image): the job fails at once with the message on the run's `error`, without retries.
 * Anything else thrown by a job is treated as transient and retried by the queue.
 */
export type TrainerErrorCode =
  | "BAD_INPUT" // the data or parameters of the run; the message says what to change
  | "NOT_FOUND"; // the row a job names is gone (nothing to do)

export class TrainerError extends Error {
  readonly code: TrainerErrorCode;

  constructor(code: TrainerErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "TrainerError";
    this.code = code;
  }
}

export const badInput = (message: string, cause?: unknown) => new TrainerError("BAD_INPUT", message, { cause });

// ml-core's codes that describe the caller's input rather than a fault of ours.
const ML_CORE_INPUT_CODES = new Set([
  "INVALID_ARGUMENT",
  "WEIGHTS_NOT_FOUND",
  "WEIGHTS_MISMATCH",
  "ARTIFACT_INVALID",
  "MODEL_UNSUPPORTED",
]);

/** True when retrying cannot help: the error names something a person must change. */
export function isPermanentError(error: unknown): boolean {
  if (error instanceof TrainerError) return true;
  if (isImagingError(error)) return true;
  const code = (error as { name?: string; code?: string } | null)?.code;
  return (
    (error as { name?: string } | null)?.name === "MlCoreError" &&
    typeof code === "string" &&
    ML_CORE_INPUT_CODES.has(code)
  );
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

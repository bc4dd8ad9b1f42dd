/**
 * The one error type of ml-core. Callers (trainer, API) map `code` to their own errors; the
 * message is meant for a person: it names the layer, file, field or shape that is wrong.
 */
export type MlCoreErrorCode =
  | "INVALID_ARGUMENT" // a parameter, image or region is malformed; `field` names it
  | "WEIGHTS_NOT_FOUND" // a weights file or one of its shards is missing
  | "WEIGHTS_MISMATCH" // a weights file lacks a layer, has unknown layers or wrong shapes
  | "ARTIFACT_INVALID" // a saved model or checkpoint cannot be read back
  | "MODEL_UNSUPPORTED"; // the model lacks what an operation needs (e.g. the named layer)

export class MlCoreError extends Error {
  readonly code: MlCoreErrorCode;
  readonly field?: string;

  constructor(code: MlCoreErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "MlCoreError";
    this.code = code;
    this.field = options.field;
  }
}

export const invalidArgument = (field: string, message: string) =>
  new MlCoreError("INVALID_ARGUMENT", `${field}: ${message}`, { field });

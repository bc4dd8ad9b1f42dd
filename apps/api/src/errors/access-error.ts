import { AccessError } from "@mammo/access";
import { AppError } from "./app-error.ts";

/** A refusal of the shared access rules (@mammo/access) as the API's own error. */
export function appErrorFromAccess(error: unknown): AppError | null {
  return error instanceof AccessError
    ? new AppError(error.code, error.message, { field: error.field, cause: error })
    : null;
}

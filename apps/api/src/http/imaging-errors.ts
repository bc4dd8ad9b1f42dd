import { isImagingError, type ImagingErrorCode } from "@mammo/imaging";
import { AppError, type AppErrorCode } from "../errors/app-error.ts";

const CODES: Record<ImagingErrorCode, AppErrorCode> = {
  UNSUPPORTED_FORMAT: "UNSUPPORTED_MEDIA",
  UNSUPPORTED_TRANSFER_SYNTAX: "UNSUPPORTED_MEDIA",
  UNSUPPORTED_IMAGE: "UNSUPPORTED_MEDIA",
  MALFORMED_DICOM: "VALIDATION",
  CORRUPT_PIXEL_DATA: "VALIDATION",
  INVALID_FILE_NAME: "VALIDATION",
  INVALID_MANIFEST: "VALIDATION",
  FILE_NOT_FOUND: "VALIDATION",
  FILE_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  REQUEST_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  TOO_MANY_PIXELS: "PAYLOAD_TOO_LARGE",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  CONFIGURATION: "INTERNAL",
};

/** The imaging pipeline's errors as the API's own (anything else passes through unchanged). */
export function toAppError(error: unknown): unknown {
  return isImagingError(error) ? new AppError(CODES[error.code], error.message, { cause: error }) : error;
}

/**
 * The imaging pipeline's one error type. Every failure caused by the input (a bad file, a bad
 * manifest row, a limit) is an ImagingError with a string code and a message that names the
 * problem; the API maps codes to HTTP/GraphQL codes (VALIDATION, UNSUPPORTED_MEDIA, ...).
 * Anything else escaping the pipeline is a bug.
 */
export type ImagingErrorCode =
  | "UNSUPPORTED_FORMAT" // not DICOM, PNG or JPEG (by content)
  | "MALFORMED_DICOM" // truncated, bad lengths, missing meta header, missing pixel attributes
  | "UNSUPPORTED_TRANSFER_SYNTAX" // a transfer syntax we do not decode (named in the message)
  | "UNSUPPORTED_IMAGE" // decodable container, but not an image we accept (colour, 32-bit, multi-frame...)
  | "CORRUPT_PIXEL_DATA" // the codec rejected the compressed data, or it decodes to the wrong size
  | "FILE_TOO_LARGE"
  | "REQUEST_TOO_LARGE"
  | "TOO_MANY_PIXELS" // decompression-bomb guard
  | "INVALID_FILE_NAME" // path traversal, control bytes, absolute paths
  | "INVALID_MANIFEST"
  | "FILE_NOT_FOUND"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "CONFIGURATION";

export class ImagingError extends Error {
  readonly code: ImagingErrorCode;

  constructor(code: ImagingErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "ImagingError";
    this.code = code;
  }
}

export const isImagingError = (error: unknown): error is ImagingError => error instanceof ImagingError;

/** Text of anything thrown by a third-party parser (some throw strings or plain objects). */
export function describeThrown(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  if (error && typeof error === "object" && "message" in error) return String((error as { message: unknown }).message);
  return String(error);
}

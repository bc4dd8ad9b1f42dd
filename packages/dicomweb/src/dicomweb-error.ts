/** Why a PACS request failed, in words a site admin can act on. */
export type DicomwebErrorCode =
  | "UNREACHABLE" // no connection (refused, DNS, TLS, timeout)
  | "UNAUTHORIZED" // 401/403: wrong or missing credentials
  | "NOT_FOUND" // 404: no such study/instance on the PACS
  | "BAD_RESPONSE" // the PACS answered something that is not DICOMweb
  | "REJECTED" // the PACS refused (other 4xx/5xx, or STOW failures)
  | "INVALID_CONFIG"; // a base URL or credential that cannot work

export class DicomwebError extends Error {
  readonly code: DicomwebErrorCode;
  readonly status?: number;

  constructor(code: DicomwebErrorCode, message: string, options: { status?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "DicomwebError";
    this.code = code;
    this.status = options.status;
  }
}

export const isDicomwebError = (error: unknown): error is DicomwebError => error instanceof DicomwebError;

/**
 * The one domain error of the API. Services throw it with a string code; the GraphQL layer maps
 * the code to an error code clients see (errors/to-graphql-error.ts). Messages are user-facing.
 */
export type AppErrorCode =
  | "UNAUTHENTICATED" // no or invalid credentials
  | "FORBIDDEN" // authenticated, but not allowed
  | "NOT_FOUND" // does not exist, or not visible to this user (never say which)
  | "VALIDATION" // input is malformed; `field` names the input field
  | "CONFLICT" // violates a uniqueness or state rule (e.g. read already submitted)
  | "RATE_LIMITED"
  | "PAYLOAD_TOO_LARGE"
  | "UNSUPPORTED_MEDIA"
  | "QUERY_TOO_COMPLEX" // the GraphQL document exceeds a depth, cost or alias limit
  | "UPSTREAM" // a server the platform calls (a PACS) is unreachable or refused; the message says which
  | "INTERNAL";

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly field?: string;
  /** A finer, machine-readable reason within the code (e.g. why a single sign-on was refused). */
  readonly reason?: string;

  constructor(code: AppErrorCode, message: string, options: { field?: string; reason?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.field = options.field;
    this.reason = options.reason;
  }
}

export const notFound = (what: string) => new AppError("NOT_FOUND", `${what} not found`);
export const forbidden = (message = "you are not allowed to do this") => new AppError("FORBIDDEN", message);

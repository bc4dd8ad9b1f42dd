/**
 * A refusal by an access rule. The API maps it to its own error codes; the CLIs print the
 * message. NOT_FOUND never says whether the object exists (it may exist where the actor cannot
 * see it); `field` names the input that was refused.
 */
export type AccessErrorCode = "NOT_FOUND" | "FORBIDDEN";

export class AccessError extends Error {
  readonly code: AccessErrorCode;
  readonly field?: string;

  constructor(code: AccessErrorCode, message: string, field?: string) {
    super(message);
    this.name = "AccessError";
    this.code = code;
    this.field = field;
  }
}

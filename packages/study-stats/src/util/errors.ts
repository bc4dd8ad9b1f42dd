/**
 * The one error this package throws for bad input: a string code the API can map to its own
 * AppError codes, and a message that names the problem.
 */
export type StudyStatsErrorCode = "INVALID_INPUT" | "INSUFFICIENT_DATA" | "UNBALANCED_DESIGN";

export class StudyStatsError extends Error {
  readonly code: StudyStatsErrorCode;

  constructor(code: StudyStatsErrorCode, message: string) {
    super(message);
    this.name = "StudyStatsError";
    this.code = code;
  }
}

export function invalidInput(message: string): StudyStatsError {
  return new StudyStatsError("INVALID_INPUT", message);
}

export function requireConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) throw invalidInput(`confidence must be between 0 and 1, got ${confidence}`);
}

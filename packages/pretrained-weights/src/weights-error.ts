/** A refused registration or an unusable reference; the API maps the code to its own, the trainer to bad input. */
export class PretrainedWeightsError extends Error {
  constructor(
    readonly code: "VALIDATION" | "NOT_FOUND" | "CONFLICT",
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "PretrainedWeightsError";
  }
}

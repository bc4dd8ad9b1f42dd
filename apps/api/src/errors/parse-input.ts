import type { z } from "zod";
import { AppError } from "./app-error.ts";

/** Validates client input at the edge; the error names the first offending field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join(".") || undefined;
  throw new AppError("VALIDATION", field ? `${field}: ${issue.message}` : issue.message, { field });
}

import { Prisma } from "@mammo/db";
import { AppError } from "./app-error.ts";

type AdapterCause = { kind?: string; originalCode?: string; constraint?: { index?: string; fields?: string[] } };

function adapterCause(error: Prisma.PrismaClientKnownRequestError): AdapterCause {
  const meta = error.meta as { driverAdapterError?: { cause?: AdapterCause } } | undefined;
  return meta?.driverAdapterError?.cause ?? {};
}

/**
 * Database refusals that are the client's doing, as domain errors: a uniqueness race lost to a
 * concurrent request, or a write to an immutable row (the triggers of the init migration).
 * Anything else stays unexpected (null).
 */
export function appErrorFromDatabase(error: unknown): AppError | null {
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return null;
  const cause = adapterCause(error);
  if (error.code === "P2002" || cause.kind === "UniqueConstraintViolation") {
    return new AppError(
      "CONFLICT",
      "this conflicts with an existing record (it may have just been created by another request)",
      { cause: error },
    );
  }
  if (cause.originalCode === "23001" || cause.kind === "RestrictViolation") {
    return new AppError("CONFLICT", "this record is immutable", { cause: error });
  }
  if (error.code === "P2025") return new AppError("NOT_FOUND", "record not found", { cause: error });
  return null;
}

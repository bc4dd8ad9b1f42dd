// Errors of the database layer's setup (environment, migrations). Their messages are meant to be
// printed as they are: one line that names the problem and what to do.
export type DatabaseSetupErrorCode =
  | "INVALID_DATABASE_URL"
  | "DATABASE_UNREACHABLE"
  | "PORT_IN_USE"
  | "PORT_REFUSED_BY_FETCH"
  | "DATA_DIR_UNWRITABLE"
  | "POSTGRES_START_FAILED"
  | "MIGRATION_FAILED"
  | "MIGRATION_MODIFIED";

export class DatabaseSetupError extends Error {
  constructor(
    readonly code: DatabaseSetupErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DatabaseSetupError";
  }
}

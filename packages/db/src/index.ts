export { createPrismaClient, type Db, type CreatePrismaClientOptions } from "./client.ts";
export { DatabaseSetupError, type DatabaseSetupErrorCode } from "./errors.ts";
export { migrateDatabase, readMigrations, defaultMigrationsDir, type MigrateResult } from "./migrate/migrate.ts";
export {
  resolveDatabase,
  assertDatabaseReachable,
  parseDatabaseUrl,
  type ResolvedDatabase,
} from "./postgres/resolve-database.ts";
export {
  startEmbeddedPostgres,
  assertPortFree,
  ensureDatabaseExists,
  type RunningPostgres,
} from "./postgres/embedded-postgres.ts";
export { assertHttpPortUsable } from "./http-port.ts";
export { repoRoot } from "./repo-root.ts";
export {
  ensurePrivateDir,
  localDataDir,
  localSecret,
  readLocalSecrets,
  writeLocalSecrets,
  type LocalSecretName,
} from "./local-data.ts";
export { READABLE_IMAGE } from "./readable-images.ts";
export * from "./generated/prisma/client.ts";

import type { Prisma } from "./generated/prisma/client.ts";
/** The client inside `db.$transaction(async (tx) => ...)`: services take this to compose writes. */
export type Tx = Prisma.TransactionClient;

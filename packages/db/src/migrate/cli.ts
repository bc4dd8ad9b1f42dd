// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL, or to the embedded PostgreSQL.
import { DatabaseSetupError } from "../errors.ts";
import { resolveDatabase } from "../postgres/resolve-database.ts";
import { repoRoot } from "../repo-root.ts";
import { migrateDatabase } from "./migrate.ts";

async function main() {
  const database = await resolveDatabase({ rootDir: repoRoot, log: console.log });
  try {
    const result = await migrateDatabase(database.url, { log: console.log });
    console.log(
      result.applied.length
        ? `database is up to date (${result.applied.length} applied, ${result.alreadyApplied.length} already applied)`
        : `database is up to date (${result.alreadyApplied.length} migrations already applied)`,
    );
  } finally {
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof DatabaseSetupError ? `error: ${error.message}` : error);
  process.exit(1);
});

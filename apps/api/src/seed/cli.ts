// `npm run db:seed`: migrates, then seeds the demo data if the database is empty.
import { createPrismaClient, DatabaseSetupError, migrateDatabase, repoRoot, resolveDatabase } from "@mammo/db";
import { createBlobStoreFromEnv } from "@mammo/storage";
import { isDatabaseEmpty, seedDemo } from "./demo-seed.ts";

async function main() {
  const database = await resolveDatabase({ rootDir: repoRoot, log: console.log });
  const db = createPrismaClient(database.url);
  try {
    await migrateDatabase(database.url, { log: console.log });
    if (await isDatabaseEmpty(db)) await seedDemo(db, createBlobStoreFromEnv(repoRoot), console.log);
    else console.log("seed: the database already has data; nothing to do");
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof DatabaseSetupError ? `error: ${error.message}` : error);
  process.exit(1);
});

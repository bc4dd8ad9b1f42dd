// `npm run db:seed [-- --demo]`: migrates, then seeds the demo data if the database is empty: the
// embedded database, or a DATABASE_URL with --demo (or DEMO_SEED=1) only, as `npm start` does.
import { createPrismaClient, DatabaseSetupError, migrateDatabase, repoRoot, resolveDatabase } from "@mammo/db";
import { createBlobStoreFromEnv } from "@mammo/storage";
import { isDatabaseEmpty } from "./demo-seed.ts";
import { seedDemoIfWanted } from "./demo-seed-policy.ts";

async function main() {
  const database = await resolveDatabase({ rootDir: repoRoot, log: console.log });
  const db = createPrismaClient(database.url);
  try {
    await migrateDatabase(database.url, { log: console.log });
    const request = {
      isEmbedded: database.isEmbedded,
      hasDemoFlag: process.argv.includes("--demo"),
      demoSeedEnv: process.env.DEMO_SEED,
    };
    if (!(await isDatabaseEmpty(db))) console.log("seed: the database already has data; nothing to do");
    else await seedDemoIfWanted(db, createBlobStoreFromEnv(repoRoot), request, console.log);
  } finally {
    await db.$disconnect();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof DatabaseSetupError ? `error: ${error.message}` : error);
  process.exit(1);
});

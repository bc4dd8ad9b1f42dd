// The trainer worker: takes jobs from the shared PostgreSQL queue. Started by `npm start`; run
// more of them (`npm run worker -w @mammo/trainer`) on other machines against the same DATABASE_URL.
import { DatabaseSetupError, repoRoot, resolveDatabase } from "@mammo/db";
import { QUEUES, startJobQueue } from "@mammo/jobs";

async function main() {
  const database = await resolveDatabase({ rootDir: repoRoot });
  const queue = await startJobQueue(database.url);
  console.log(`[trainer] worker ready; queues: ${Object.values(QUEUES).join(", ")}`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // graceful: lets running handlers finish (they checkpoint and give the job back).
    await queue.stop({ graceful: true, wait: true, timeout: 30_000 });
    await database.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(`[trainer] error: ${error instanceof Error ? error.message : String(error)}`);
  if (!(error instanceof DatabaseSetupError)) console.error(error);
  process.exit(1);
});

import PgBoss from "pg-boss";
import { QUEUES } from "./queues.ts";

export type JobQueue = PgBoss;

/** A started pg-boss instance on the platform's database, with every platform queue created. */
export async function startJobQueue(databaseUrl: string, options: { max?: number; supervise?: boolean } = {}): Promise<JobQueue> {
  const boss = new PgBoss({
    connectionString: databaseUrl,
    schema: "pgboss",
    max: options.max ?? 4,
    supervise: options.supervise ?? true,
    application_name: "mammo-jobs",
  });
  boss.on("error", (error) => console.error("[jobs] pg-boss error:", error.message));
  await boss.start();
  for (const name of Object.values(QUEUES)) {
    if (await boss.getQueue(name)) continue;
    try {
      await boss.createQueue(name, { name, retryLimit: 3, retryDelay: 5, expireInHours: 12 });
    } catch (error) {
      // The API and the workers start together on a fresh database: another process may have
      // created the queue between our check and our insert. Only a queue that is still missing is an error.
      if (!(await boss.getQueue(name))) throw error;
    }
  }
  return boss;
}

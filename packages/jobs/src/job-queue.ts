import PgBoss from "pg-boss";
import { QUEUES } from "./queues.ts";

export type JobQueue = PgBoss;

/** A started pg-boss instance on the platform's database, with every platform queue created. */
export async function startJobQueue(
  databaseUrl: string,
  options: { max?: number; supervise?: boolean } = {},
): Promise<JobQueue> {
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
    // The API and the workers start together on a fresh database: another process may create the
    // queue at the same time (a unique violation, or a deadlock on pg-boss's partition DDL whose
    // winner has not committed yet). Try again shortly; only a queue still missing is an error.
    for (let attempt = 1; ; attempt++) {
      try {
        await boss.createQueue(name, { name, retryLimit: 3, retryDelay: 5, expireInHours: 12 });
        break;
      } catch (error) {
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
        if (await boss.getQueue(name)) break;
        if (attempt >= 5) throw error;
      }
    }
  }
  return boss;
}

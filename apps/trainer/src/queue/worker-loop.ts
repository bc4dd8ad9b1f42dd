import type { Db } from "@mammo/db";
import { type JobPayloads, type JobQueue, type QueueName } from "@mammo/jobs";
import type { TrainerConfig } from "../config/trainer-config.ts";
import { isPermanentError, messageOf } from "../errors/trainer-error.ts";
import { bossOnTransaction } from "./boss-on-transaction.ts";
import type { JobContext, JobHandler, JobHandlers } from "./job-handler.ts";
import { IS_LEASE_FREE_SQL, leaseKey, openLeaseHolder, type LeaseHolder } from "./job-lease.ts";
import { unitOfJob } from "./job-units.ts";

export type WorkerDeps = {
  db: Db;
  boss: JobQueue;
  databaseUrl: string;
  handlers: Partial<JobHandlers>;
  config: TrainerConfig;
  log: (line: string) => void;
};

export type Worker = {
  /** Asks the current job to give itself back (it finishes its batch and checkpoints), then stops taking jobs. */
  stop(): Promise<void>;
  /** Settles when the worker has stopped. */
  stopped: Promise<void>;
};

type FetchedJob = { id: string; name: QueueName; data: unknown; retryCount: number; retryLimit: number };

/**
 * A trainer worker: takes one job at a time from the queues it serves (short jobs first), under
 * a lease (job-lease.ts), and reaps jobs whose worker died. Any number of workers on any number
 * of machines share the queues: pg-boss hands each job to one of them (SELECT ... SKIP LOCKED).
 */
export async function startWorker(deps: WorkerDeps): Promise<Worker> {
  const { db, boss, config, log } = deps;
  const queues = config.queues.filter((q) => deps.handlers[q]);
  let stopping = false;
  let wake: (() => void) | null = null;
  let lease: LeaseHolder = await openLease();

  async function openLease() {
    return openLeaseHolder(deps.databaseUrl, (error) =>
      log(`lease connection lost (${error.message}); the current job gives itself back`),
    );
  }

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  async function fetchNext(): Promise<FetchedJob | null> {
    for (const name of queues) {
      const [job] = await boss.fetch<unknown>(name, { batchSize: 1, includeMetadata: true });
      if (job) return { id: job.id, name, data: job.data, retryCount: job.retryCount, retryLimit: job.retryLimit };
    }
    return null;
  }

  async function runJob(job: FetchedJob): Promise<void> {
    const handler = deps.handlers[job.name] as unknown as JobHandler<QueueName>;
    const parsed = handler.payload.safeParse(job.data);
    if (!parsed.success) {
      log(`${job.name} job ${job.id}: invalid payload (${parsed.error.message}); failed`);
      await boss.fail(job.name, job.id, { message: `invalid payload: ${parsed.error.message}` });
      return;
    }
    const payload = parsed.data as JobPayloads[QueueName];
    const unit = unitOfJob(job.name, payload);
    if (!(await lease.tryAcquire(unit))) {
      // Another live worker holds this unit (a duplicate job): let the queue retry it later.
      log(`${job.name} job ${job.id}: ${unit} is held by another worker; retried later`);
      await boss.fail(job.name, job.id, {
        message: `${unit} is being worked on by another worker`,
        workerId: config.workerId,
      });
      return;
    }
    const jobLease = lease;
    let isCompleted = false;
    const ctx: JobContext = {
      jobId: job.id,
      workerId: config.workerId,
      isFinalAttempt: job.retryCount >= job.retryLimit,
      log: (line) => log(`${unit}: ${line}`),
      isStopRequested: () => stopping || !jobLease.isHealthy(),
      async completeIn(tx, output = {}) {
        await boss.complete(job.name, job.id, { ...output, workerId: config.workerId }, { db: bossOnTransaction(tx) });
        isCompleted = true;
      },
      async enqueueIn(tx, name, next, options = {}) {
        const id = await boss.send(name, next as object, {
          db: bossOnTransaction(tx),
          ...(options.startAfterSeconds ? { startAfter: options.startAfterSeconds } : {}),
        });
        if (!id) throw new Error(`the ${name} job could not be queued`);
      },
    };
    const started = Date.now();
    log(`${unit}: started (${job.name} job ${job.id}, attempt ${job.retryCount + 1} of ${job.retryLimit + 1})`);
    try {
      const output = await handler.run(payload, ctx);
      if (!isCompleted) await boss.complete(job.name, job.id, { ...output, workerId: config.workerId });
      log(`${unit}: ${String(output.outcome ?? "done")} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      const message = messageOf(error);
      const isPermanent = isPermanentError(error);
      if (!isPermanent) console.error(error);
      if (isPermanent || ctx.isFinalAttempt) {
        log(`${unit}: failed: ${message}`);
        await handler
          .markFailed(payload, message)
          .catch((e: unknown) => log(`${unit}: could not record the failure: ${messageOf(e)}`));
      } else {
        log(`${unit}: error (${message}); the queue retries it`);
      }
      // A permanent failure is done with: retrying cannot help until the input changes.
      if (isPermanent)
        await boss.complete(job.name, job.id, { outcome: "failed", error: message, workerId: config.workerId });
      else await boss.fail(job.name, job.id, { message, workerId: config.workerId });
    } finally {
      await jobLease.release(unit).catch(() => {});
    }
  }

  /** Fails back to the queue every active job whose worker has died (its lease is free). */
  async function reap(): Promise<void> {
    const rows = await db.$queryRawUnsafe<
      { id: string; name: QueueName; data: unknown; retry_count: number; retry_limit: number }[]
    >(
      `SELECT id::text AS id, name, data, retry_count, retry_limit FROM pgboss.job
       WHERE name = ANY($1::text[]) AND state = 'active' AND started_on < now() - make_interval(secs => $2::float8)`,
      Object.keys(deps.handlers),
      config.leaseGraceSeconds,
    );
    for (const row of rows) {
      const handler = deps.handlers[row.name] as unknown as JobHandler<QueueName> | undefined;
      const parsed = handler?.payload.safeParse(row.data);
      if (!parsed?.success) continue;
      const unit = unitOfJob(row.name, parsed.data as JobPayloads[QueueName]);
      const [{ free }] = await db.$queryRawUnsafe<{ free: boolean }[]>(IS_LEASE_FREE_SQL, leaseKey(unit));
      if (!free) continue;
      const isLastTry = row.retry_count >= row.retry_limit;
      await boss.fail(row.name, row.id, {
        message: "its worker stopped without finishing (lease released)",
        reapedBy: config.workerId,
      });
      if (isLastTry) {
        // No retry is left: say so on the run rather than leave it RUNNING for ever.
        await handler!.markFailed(
          parsed.data as JobPayloads[QueueName],
          `the worker running ${unit} stopped ${row.retry_count + 1} times without finishing (crashed or killed: see the workers' logs, e.g. for running out of memory)`,
        );
        log(`${unit}: its worker is gone and no retry is left; failed`);
      } else {
        log(`${unit}: its worker is gone; job ${row.id} goes back to the queue`);
      }
    }
  }

  let isReaping = false;
  const reaper = setInterval(() => {
    if (stopping || isReaping) return;
    isReaping = true;
    reap()
      .catch((error: unknown) => log(`reaper: ${messageOf(error)}`))
      .finally(() => (isReaping = false));
  }, config.reapIntervalMs);

  const loop = (async () => {
    while (!stopping) {
      try {
        if (!lease.isHealthy()) lease = await openLease();
        const job = await fetchNext();
        if (job) await runJob(job);
        else await sleep(config.pollIntervalMs);
      } catch (error) {
        log(`worker: ${messageOf(error)}; retrying in ${config.pollIntervalMs} ms`);
        await sleep(config.pollIntervalMs);
      }
    }
  })();

  const stopped = loop.finally(async () => {
    clearInterval(reaper);
    await lease.close();
  });

  log(`worker ${config.workerId} takes jobs from: ${queues.join(", ")}`);
  return {
    async stop() {
      stopping = true;
      wake?.();
      await stopped;
    },
    stopped,
  };
}

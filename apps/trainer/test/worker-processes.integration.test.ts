import { spawn } from "node:child_process";
import { repoRoot } from "@mammo/db";
import { createTestDatabase, type TestDatabase } from "@mammo/db/testing";
import { startJobQueue, type JobQueue } from "@mammo/jobs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { readProgress } from "../src/training/run-state.ts";
import { createPhantomDataset, createTrainingRun, TINY_PARAMS } from "./phantom-dataset.ts";
import {
  createTempBlobDir,
  runStatus,
  spawnWorkerProcess,
  TEST_WORKER_ENV,
  waitFor,
  type WorkerProcess,
} from "./trainer-harness.ts";

// Workers as real processes against one database: must show 2 (kill -9 and resume) and 3 (two
// workers, one queue, no job taken twice).
let database: TestDatabase;
let blobDir: Awaited<ReturnType<typeof createTempBlobDir>>;
let boss: JobQueue;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  blobDir = await createTempBlobDir();
  boss = await startJobQueue(database.url, { supervise: false, max: 2 });
});

/** Kills the workers still running, so that no worker of a test (one that failed midway) takes the next test's jobs. */
async function killWorkers() {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
  await Promise.all(workers.map((w) => w.exited));
}
afterEach(killWorkers);

afterAll(async () => {
  await killWorkers();
  await boss?.stop({ graceful: false, wait: true });
  await database?.drop();
  await blobDir?.remove();
});

const startWorker = (id: string) => {
  const worker = spawnWorkerProcess(database.url, blobDir.dir, id);
  workers.push(worker);
  return worker;
};

type JobRow = {
  id: string;
  name: string;
  data: { trainingRunId: string; fold?: number };
  state: string;
  retry_count: number;
  started_on: Date;
  completed_on: Date;
  output: { workerId?: string; resumedFrom?: number | null } | null;
};
const jobsOf = (runIds: string[]) =>
  database.db.$queryRawUnsafe<JobRow[]>(
    `SELECT id::text, name, data, state::text, retry_count, started_on, completed_on, output FROM pgboss.job WHERE data->>'trainingRunId' = ANY($1::text[]) ORDER BY created_on`,
    runIds,
  );

describe("trainer workers as processes", () => {
  // Test time limits are limits, not speed checks: about 80 s on a quiet 2-core machine, over 120 s at load average 20.
  it(
    "gives the job back on SIGTERM, resumes from the last checkpoint after kill -9, and publishes exactly one model version",
    { timeout: 600_000 },
    async () => {
      const fixture = await createPhantomDataset(database.db, blobDir.blobs, {
        classes: ["SOLID", "SCIRRHOUS"],
        perClass: { train: 6, test: 1 },
        sizePx: 64,
      });
      // One fold of several epochs, each long enough (a second or so) to stop the worker inside one.
      const params = {
        ...TINY_PARAMS,
        folds: 1,
        epochs: 8,
        preprocessing: { inputSize: 48 },
        model: { widthScale: 1 / 16, denseUnits: 8 },
      };
      const run = await createTrainingRun(database.db, {
        siteId: fixture.site.id,
        datasetVersionId: fixture.version.id,
        requestedById: fixture.user.id,
        params,
      });
      const checkpoint = async () =>
        readProgress((await runStatus(database.db, run.id)).progress)?.checkpoints["0"]?.epochsCompleted ?? 0;
      const waitForCheckpoint = (after: number) =>
        waitFor(
          `a checkpoint after epoch ${after}`,
          async () => ((await checkpoint()) > after ? checkpoint() : false),
          120_000,
          50,
        );

      // 1. SIGTERM: the worker finishes its batch, checkpoints (inside the epoch), gives the job back and exits 0.
      const first = startWorker("stop-1");
      await boss.send("train", { trainingRunId: run.id });
      await waitForCheckpoint(0);
      first.child.kill("SIGTERM");
      expect(await first.exited).toBe(0);
      const atTerm = await checkpoint();
      const givenBack = (await jobsOf([run.id])).filter((j) => j.data.fold === 0);
      expect(givenBack[0]).toMatchObject({
        state: "completed",
        output: { outcome: "given back", workerId: "stop-1", epochsCompleted: atTerm },
      });
      expect(givenBack.slice(1).map((j) => j.state)).toEqual(["created"]); // its continuation, waiting

      // 2. kill -9 of the next worker during a later epoch: nothing is given back, the lease just disappears.
      const second = startWorker("crash-2");
      await waitForCheckpoint(atTerm);
      second.child.kill("SIGKILL");
      await second.exited;
      const killedAt = new Date();
      const atKill = await checkpoint();
      expect(atKill).toBeLessThan(8); // killed while training, not after

      // 3. A third worker's reaper finds the orphaned job; the retry resumes from the last checkpoint.
      const third = startWorker("crash-3");
      await waitFor("the run to succeed", async () => {
        const r = await runStatus(database.db, run.id);
        if (r.status === "FAILED") throw new Error(`run failed: ${r.error}`);
        return r.status === "SUCCEEDED";
      });
      expect(await database.db.modelVersion.count({ where: { trainingRunId: run.id } })).toBe(1);
      const resumed = (
        await database.db.auditEvent.findMany({
          where: { action: "trainingRun.resume", entityId: run.id },
          orderBy: { id: "asc" },
        })
      ).map((e) => e.after as { fromEpoch: number; fromBatch: number; workerId: string });
      expect(resumed).toEqual([
        { fold: 0, fromEpoch: atTerm, fromBatch: expect.any(Number), workerId: "crash-2" },
        // kill -9 leaves the last epoch's checkpoint: the epoch in progress is trained again.
        { fold: 0, fromEpoch: atKill, fromBatch: 0, workerId: "crash-3" },
      ]);
      const last = (await jobsOf([run.id])).filter((j) => j.data.fold === 0).at(-1)!;
      expect(last).toMatchObject({
        state: "completed",
        retry_count: 1,
        output: { workerId: "crash-3", resumedFrom: atKill },
      });
      // The epochs before the kill were not trained again: their points all date from before it.
      const early = await database.db.trainingMetric.findMany({
        where: { runId: run.id, fold: 0, epoch: { lte: atKill } },
      });
      expect(early.length).toBeGreaterThan(0);
      for (const point of early) expect(point.recordedAt.getTime()).toBeLessThanOrEqual(killedAt.getTime());
      const epochPoints = await database.db.trainingMetric.findMany({
        where: { runId: run.id, fold: 0, batch: -1, name: "loss" },
        orderBy: { epoch: "asc" },
      });
      expect(epochPoints.map((p) => p.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);

      third.child.kill("SIGTERM");
      expect(await third.exited).toBe(0);
    },
  );

  it(
    "two workers on one queue work at the same time and never take the same job twice",
    { timeout: 600_000 },
    async () => {
      const fixture = await createPhantomDataset(database.db, blobDir.blobs, {
        classes: ["SOLID", "SCIRRHOUS"],
        perClass: { train: 2, test: 1 },
      });
      const params = { ...TINY_PARAMS, folds: 2, epochs: 1 };
      const runs = [];
      for (let i = 0; i < 3; i++)
        runs.push(
          await createTrainingRun(database.db, {
            siteId: fixture.site.id,
            datasetVersionId: fixture.version.id,
            requestedById: fixture.user.id,
            params,
            seed: 10 + i,
          }),
        );
      startWorker("pair-a");
      startWorker("pair-b");
      for (const run of runs) await boss.send("train", { trainingRunId: run.id });

      for (const run of runs) {
        await waitFor(`run ${run.id} to succeed`, async () => {
          const r = await runStatus(database.db, run.id);
          if (r.status === "FAILED") throw new Error(`run failed: ${r.error}`);
          return r.status === "SUCCEEDED";
        });
      }
      const jobs = await jobsOf(runs.map((r) => r.id));
      // Per run: a plan job, two fold jobs and a publish job, each done once, by one worker, never retaken.
      expect(jobs).toHaveLength(runs.length * 4);
      for (const job of jobs) {
        expect(job.state).toBe("completed");
        expect(job.retry_count).toBe(0);
        expect(["pair-a", "pair-b"]).toContain(job.output?.workerId);
      }
      // Both worked, and at the same time: some job of one overlaps in time with a job of the other.
      const byWorker = (id: string) => jobs.filter((j) => j.output?.workerId === id);
      expect(byWorker("pair-a").length).toBeGreaterThan(0);
      expect(byWorker("pair-b").length).toBeGreaterThan(0);
      const overlaps = byWorker("pair-a").some((a) =>
        byWorker("pair-b").some((b) => a.started_on < b.completed_on && b.started_on < a.completed_on),
      );
      expect(overlaps).toBe(true);
      // One model version per run, numbered 1..3 under concurrent publishing.
      const versions = await database.db.modelVersion.findMany({
        where: { trainingRunId: { in: runs.map((r) => r.id) } },
        orderBy: { version: "asc" },
      });
      expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
    },
  );

  it("starts as npm start starts it (node --import tsx) and stops cleanly on SIGTERM", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "apps/trainer/src/worker/main.ts"], {
      cwd: repoRoot,
      env: { ...process.env, ...TEST_WORKER_ENV, DATABASE_URL: database.url, BLOB_DIR: blobDir.dir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    await waitFor("the worker to be ready", async () => output.includes("worker ready"), 120_000);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(output).toMatch(/\[trainer\] SIGTERM: stopping[\s\S]*\[trainer\] stopped/);
  });
});

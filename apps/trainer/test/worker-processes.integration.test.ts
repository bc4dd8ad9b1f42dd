import { createTestDatabase, type TestDatabase } from "@mammo/db/testing";
import { startJobQueue, type JobQueue } from "@mammo/jobs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readProgress } from "../src/training/run-state.ts";
import { createPhantomDataset, createTrainingRun, TINY_PARAMS } from "./phantom-dataset.ts";
import { createTempBlobDir, runStatus, spawnWorkerProcess, waitFor, type WorkerProcess } from "./trainer-harness.ts";

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

afterAll(async () => {
  for (const w of workers) if (w.child.exitCode === null) w.child.kill("SIGKILL");
  await Promise.all(workers.map((w) => w.exited));
  await boss?.stop({ graceful: false, wait: true });
  await database?.drop();
  await blobDir?.remove();
});

const startWorker = (id: string) => {
  const worker = spawnWorkerProcess(database.url, blobDir.dir, id);
  workers.push(worker);
  return worker;
};

type JobRow = { id: string; name: string; data: { trainingRunId: string; fold?: number }; state: string; retry_count: number; started_on: Date; completed_on: Date; output: { workerId?: string; resumedFrom?: number | null } | null };
const jobsOf = (runIds: string[]) =>
  database.db.$queryRawUnsafe<JobRow[]>(`SELECT id::text, name, data, state::text, retry_count, started_on, completed_on, output FROM pgboss.job WHERE data->>'trainingRunId' = ANY($1::text[]) ORDER BY created_on`, runIds);

describe("trainer workers as processes", () => {
  it("resumes from the last checkpoint after the worker is killed with SIGKILL, and publishes exactly one model version", async () => {
    const fixture = await createPhantomDataset(database.db, blobDir.blobs, { classes: ["SOLID", "SCIRRHOUS"], perClass: { train: 6, test: 1 }, sizePx: 64 });
    // One fold of several epochs, each long enough (a second or two) to kill the worker inside one.
    const params = { ...TINY_PARAMS, folds: 1, epochs: 6, preprocessing: { inputSize: 48 }, model: { widthScale: 1 / 16, denseUnits: 8 } };
    const run = await createTrainingRun(database.db, { siteId: fixture.site.id, datasetVersionId: fixture.version.id, requestedById: fixture.user.id, params });
    const t0 = Date.now();
    const first = startWorker("crash-1");
    await boss.send("train", { trainingRunId: run.id });

    const checkpointed = await waitFor(
      "the first checkpoint",
      async () => {
        const epochs = readProgress((await runStatus(database.db, run.id)).progress)?.checkpoints["0"]?.epochsCompleted ?? 0;
        return epochs >= 1 && epochs;
      },
      120_000,
      50,
    );
    console.log(`[crash test] checkpoint after epoch ${checkpointed} at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    first.child.kill("SIGKILL");
    await first.exited;
    const killedAt = new Date();
    const atKill = readProgress((await runStatus(database.db, run.id)).progress)!.checkpoints["0"]!.epochsCompleted;
    expect(atKill).toBeGreaterThanOrEqual(checkpointed);
    expect(atKill).toBeLessThan(6); // killed while training, not after

    const second = startWorker("crash-2");
    const done = await waitFor("the run to succeed after the restart", async () => {
      const r = await runStatus(database.db, run.id);
      if (r.status === "FAILED") throw new Error(`run failed: ${r.error}`);
      return r.status === "SUCCEEDED" && r;
    });
    expect(done.status).toBe("SUCCEEDED");
    console.log(`[crash test] succeeded at ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    expect(await database.db.modelVersion.count({ where: { trainingRunId: run.id } })).toBe(1);

    // The new worker went on from the checkpoint that existed when the first one died ...
    const resumed = await database.db.auditEvent.findMany({ where: { action: "trainingRun.resume", entityId: run.id } });
    expect(resumed.map((e) => (e.after as { fromEpoch: number; workerId: string }).fromEpoch)).toEqual([atKill]);
    expect((resumed[0]!.after as { workerId: string }).workerId).toBe("crash-2");
    const foldJob = (await jobsOf([run.id])).find((j) => j.data.fold === 0)!;
    expect(foldJob).toMatchObject({ state: "completed", output: { workerId: "crash-2", resumedFrom: atKill } });
    // ... and did not train those epochs again: their points all date from before the kill.
    const early = await database.db.trainingMetric.findMany({ where: { runId: run.id, fold: 0, epoch: { lte: atKill } } });
    expect(early.length).toBeGreaterThan(0);
    for (const point of early) expect(point.recordedAt.getTime()).toBeLessThanOrEqual(killedAt.getTime());
    const epochPoints = await database.db.trainingMetric.findMany({ where: { runId: run.id, fold: 0, batch: -1, name: "loss" }, orderBy: { epoch: "asc" } });
    expect(epochPoints.map((p) => p.epoch)).toEqual([1, 2, 3, 4, 5, 6]);

    second.child.kill("SIGTERM");
    const code = await second.exited;
    if (code !== 0) console.log(second.output());
    expect(code).toBe(0);
  });

  it("two workers on one queue work at the same time and never take the same job twice", async () => {
    const fixture = await createPhantomDataset(database.db, blobDir.blobs, { classes: ["SOLID", "SCIRRHOUS"], perClass: { train: 2, test: 1 } });
    const params = { ...TINY_PARAMS, folds: 2, epochs: 1 };
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await createTrainingRun(database.db, { siteId: fixture.site.id, datasetVersionId: fixture.version.id, requestedById: fixture.user.id, params, seed: 10 + i }));
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
    const overlaps = byWorker("pair-a").some((a) => byWorker("pair-b").some((b) => a.started_on < b.completed_on && b.started_on < a.completed_on));
    expect(overlaps).toBe(true);
    // One model version per run, numbered 1..3 under concurrent publishing.
    const versions = await database.db.modelVersion.findMany({ where: { trainingRunId: { in: runs.map((r) => r.id) } }, orderBy: { version: "asc" } });
    expect(versions.map((v) => v.version)).toEqual([1, 2, 3]);
  });
});

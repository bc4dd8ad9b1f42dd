// Runs trainer workers against an integration-test database: in this process, or as real
// processes (`tsx src/worker/main.ts`) that a test can kill.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { repoRoot, type Db } from "@mammo/db";
import { createTestDatabase, type TestDatabase } from "@mammo/db/testing";
import { startJobQueue, type JobQueue } from "@mammo/jobs";
import { createLocalBlobStore, type BlobStore } from "@mammo/storage";
import { trainerConfigFromEnv, type TrainerConfig } from "../src/config/trainer-config.ts";
import { createTrainerServices } from "../src/create-services.ts";
import { createJobHandlers } from "../src/queue/handlers.ts";
import { startWorker, type Worker } from "../src/queue/worker-loop.ts";
import type { TrainerServices } from "../src/services.ts";
import { afterAll, beforeAll, vi } from "vitest";

/** Settings that make workers quick to react in tests (a reaper every second, a short lease grace). */
export const TEST_WORKER_ENV = {
  TRAINER_POLL_INTERVAL_MS: "200",
  TRAINER_REAP_INTERVAL_MS: "1000",
  TRAINER_LEASE_GRACE_SECONDS: "2",
  TRAINER_BACKEND: process.env.TRAINER_TEST_BACKEND ?? "",
};

export async function createTempBlobDir() {
  const dir = await mkdtemp(path.join(os.tmpdir(), "mammo-trainer-blobs-"));
  return { dir, blobs: createLocalBlobStore(dir), remove: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A test database and a blob directory for the CLI's commands run in this process, named in
 * DATABASE_URL and BLOB_DIR as `npm run trainer` reads them (set up before the file's tests);
 * with `workDirPrefix`, also a scratch directory (`env.work`) for the test's own files.
 */
export function useCliEnvironment(options: { workDirPrefix?: string } = {}) {
  const env = {} as {
    database: TestDatabase;
    blobDir: Awaited<ReturnType<typeof createTempBlobDir>>;
    work: string;
  };
  beforeAll(async () => {
    env.database = await createTestDatabase();
    env.blobDir = await createTempBlobDir();
    if (options.workDirPrefix) env.work = await mkdtemp(path.join(os.tmpdir(), options.workDirPrefix));
    vi.stubEnv("DATABASE_URL", env.database.url);
    vi.stubEnv("BLOB_DIR", env.blobDir.dir);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await env.database?.drop();
    await env.blobDir?.remove();
    if (env.work) await rm(env.work, { recursive: true, force: true });
  });
  return env;
}

/** A worker in this process, with its own queue connection. */
export async function startInProcessWorker(
  databaseUrl: string,
  blobs: BlobStore,
  overrides: Partial<TrainerConfig> = {},
) {
  const config = {
    ...trainerConfigFromEnv({ NODE_ENV: "test", ...TEST_WORKER_ENV }),
    workerId: `in-process-${process.pid}`,
    ...overrides,
  };
  const services: TrainerServices = await createTrainerServices(databaseUrl, config, { blobs, log: () => {} });
  const boss: JobQueue = await startJobQueue(databaseUrl, { supervise: false, max: 3 });
  const lines: string[] = [];
  const worker: Worker = await startWorker({
    db: services.db,
    boss,
    databaseUrl,
    handlers: createJobHandlers(services),
    config,
    log: (l) => lines.push(l),
  });
  return {
    services,
    boss,
    lines,
    stop: async () => {
      await worker.stop();
      await boss.stop({ graceful: false, wait: true });
      await services.db.$disconnect();
    },
  };
}

export type WorkerProcess = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

/** A worker as its own OS process (what `npm run worker` starts). */
export function spawnWorkerProcess(
  databaseUrl: string,
  blobDir: string,
  workerId: string,
  env: Record<string, string> = {},
): WorkerProcess {
  // `node --import tsx` rather than the tsx CLI: one process, so a kill reaches the worker itself.
  const child = spawn(process.execPath, ["--import", "tsx", "apps/trainer/src/worker/main.ts"], {
    cwd: repoRoot,
    env: {
      ...process.env,
      ...TEST_WORKER_ENV,
      DATABASE_URL: databaseUrl,
      BLOB_DIR: blobDir,
      TRAINER_WORKER_ID: workerId,
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/** Polls until `check` returns a value (not undefined/false), or fails after `timeoutMs` with `what`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false | null>,
  timeoutMs = 120_000,
  intervalMs = 200,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false && value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export const runStatus = (db: Db, id: string) => db.trainingRun.findUniqueOrThrow({ where: { id } });

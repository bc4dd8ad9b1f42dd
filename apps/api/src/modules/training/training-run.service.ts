import { authorizeTrainingRequest } from "@mammo/access";
import type { Db, Prisma, RunStatus } from "@mammo/db";
import type { JobQueue } from "@mammo/jobs";
import { MlCoreError } from "@mammo/ml-core/errors";
import {
  PRESET_NAMES,
  resolveTrainingParams,
  type PresetName,
  type TrainingOverrides,
  type TrainingParams,
} from "@mammo/ml-core/presets";
import { chooseRunWeights } from "@mammo/pretrained-weights";
import { z } from "zod";
import { siteIdsWithRole, type Viewer } from "../../auth/viewer.ts";
import { AppError, notFound } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { toAppError as toWeightsAppError } from "../pretrained-weights/pretrained-weights.service.ts";
import { createdAtPageQuery, type CreatedAtPage } from "../studies/created-at-page.ts";
import { cancelWaitingJobs, enqueueJob } from "./enqueue-job.ts";

/** Training runs are the business of the ML engineers of the run's (the dataset's) site. */
export function visibleTrainingRunsWhere(viewer: Viewer): Prisma.TrainingRunWhereInput {
  return { siteId: { in: siteIdsWithRole(viewer, "ML_ENGINEER") } };
}

export const trainingRunInclude = {
  pretrainedWeights: { select: { id: true, name: true, sha256: true, source: true, licence: true, fileName: true } },
  datasetVersion: { select: { id: true, version: true, digest: true, dataset: { select: { id: true, name: true } } } },
  requestedBy: { select: { name: true } },
} satisfies Prisma.TrainingRunInclude;

export type TrainingRunWithDataset = Prisma.TrainingRunGetPayload<{ include: typeof trainingRunInclude }>;

const requestInput = z.object({
  datasetVersionId: z.uuid(),
  preset: z.enum(PRESET_NAMES as [PresetName, ...PresetName[]], {
    message: `preset must be one of ${PRESET_NAMES.join(", ")}`,
  }),
  params: z
    .record(z.string(), z.unknown())
    .refine((value) => JSON.stringify(value).length <= 10_000, "at most 10 kB of parameters")
    .optional(),
  seed: z.number().int().min(0).max(2_147_483_647).optional(),
});

/** The overrides checked against the preset by ml-core itself (the worker resolves them the same way). */
function checkOverrides(preset: PresetName, params: Record<string, unknown>): TrainingParams {
  try {
    return resolveTrainingParams(preset, params as TrainingOverrides);
  } catch (error) {
    if (!(error instanceof MlCoreError) || error.code !== "INVALID_ARGUMENT") throw error;
    const field = error.field ? `params.${error.field}` : "params";
    throw new AppError("VALIDATION", `params.${error.message}`, { field });
  }
}

/**
 * Requests a training run on a frozen dataset version: the TrainingRun row and its `train` job
 * commit in one transaction (the API only enqueues; a trainer worker runs it).
 * `params` holds the overrides as requested; the worker resolves them against the preset and
 * records the complete parameters when it starts.
 */
export async function requestTrainingRun(
  db: Db,
  jobs: JobQueue,
  viewer: Viewer,
  input: Omit<z.input<typeof requestInput>, "preset"> & { preset: string },
  requestId?: string,
) {
  const args = parseInput(requestInput, input);
  const resolved = checkOverrides(args.preset, args.params ?? {});
  const datasetVersion = await authorizeTrainingRequest(db, viewer, args.datasetVersionId);
  const siteId = datasetVersion.dataset.siteId;
  // ImageNet weights are registered files of the site, named by id (never a path on a worker).
  const { overrides, weights } = await chooseRunWeights(db, siteId, args.preset, args.params ?? {}, resolved).catch(
    (error: unknown) => {
      throw toWeightsAppError(error);
    },
  );
  return db.$transaction(async (tx) => {
    const run = await tx.trainingRun.create({
      data: {
        siteId,
        datasetVersionId: datasetVersion.id,
        preset: args.preset,
        params: overrides as Prisma.InputJsonValue,
        pretrainedWeightsId: weights?.id ?? null,
        seed: args.seed ?? Math.floor(Math.random() * 2_147_483_647),
        requestedById: viewer.userId,
      },
      include: trainingRunInclude,
    });
    const jobId = await enqueueJob(jobs, tx, "train", { trainingRunId: run.id });
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId,
      action: "trainingRun.request",
      entityType: "TrainingRun",
      entityId: run.id,
      after: { ...run, jobId },
      requestId,
    });
    return run;
  });
}

const TERMINAL: RunStatus[] = ["CANCELLED", "FAILED", "SUCCEEDED"];

/**
 * Cancels a run. A queued run is cancelled at once (its job is withdrawn); a running one becomes
 * CANCELLING with cancelRequestedAt set, and the worker stops at its next batch and marks it
 * CANCELLED. Finished runs cannot be cancelled.
 */
export async function cancelTrainingRun(db: Db, jobs: JobQueue, viewer: Viewer, runId: string, requestId?: string) {
  const id = parseInput(z.uuid(), runId);
  return db.$transaction(async (tx) => {
    const before = await tx.trainingRun.findFirst({ where: { AND: [{ id }, visibleTrainingRunsWhere(viewer)] } });
    if (!before) throw notFound("training run");
    if (TERMINAL.includes(before.status))
      throw new AppError("CONFLICT", `the run has already finished (${before.status.toLowerCase()})`);
    const now = new Date();
    // Conditional updates: the worker may move the run from QUEUED to RUNNING at the same time.
    const cancelledQueued = await tx.trainingRun.updateMany({
      where: { id, status: "QUEUED" },
      data: { status: "CANCELLED", cancelRequestedAt: now, finishedAt: now },
    });
    if (cancelledQueued.count === 1) {
      await cancelWaitingJobs(jobs, tx, "train", "trainingRunId", id);
    } else {
      await tx.trainingRun.updateMany({
        where: { id, status: "RUNNING" },
        data: { status: "CANCELLING", cancelRequestedAt: now },
      });
    }
    const after = await tx.trainingRun.findUniqueOrThrow({ where: { id }, include: trainingRunInclude });
    if (TERMINAL.includes(after.status) && after.status !== "CANCELLED")
      throw new AppError("CONFLICT", `the run has already finished (${after.status.toLowerCase()})`);
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: after.siteId,
      action: "trainingRun.cancel",
      entityType: "TrainingRun",
      entityId: id,
      before,
      after,
      requestId,
    });
    return after;
  });
}

export async function getTrainingRun(db: Db, viewer: Viewer, runId: string) {
  const id = parseInput(z.uuid(), runId);
  const run = await db.trainingRun.findFirst({
    where: { AND: [{ id }, visibleTrainingRunsWhere(viewer)] },
    include: trainingRunInclude,
  });
  if (!run) throw notFound("training run");
  return run;
}

export async function loadVisibleTrainingRuns(db: Db, viewer: Viewer | null, ids: readonly string[]) {
  if (!viewer) return ids.map(() => null);
  const runs = await db.trainingRun.findMany({
    where: { AND: [{ id: { in: [...ids] } }, visibleTrainingRunsWhere(viewer)] },
    include: trainingRunInclude,
  });
  return ids.map((id) => runs.find((r) => r.id === id) ?? null);
}

const listInput = z.object({
  siteId: z.uuid().optional(),
  datasetVersionId: z.uuid().optional(),
  status: z.enum(["QUEUED", "RUNNING", "CANCELLING", "CANCELLED", "FAILED", "SUCCEEDED"]).optional(),
});

export async function listTrainingRuns(db: Db, viewer: Viewer, input: z.input<typeof listInput>, page: CreatedAtPage) {
  const args = parseInput(listInput, input);
  const query = createdAtPageQuery(page);
  return db.trainingRun.findMany({
    where: {
      AND: [
        visibleTrainingRunsWhere(viewer),
        args.siteId ? { siteId: args.siteId } : {},
        args.datasetVersionId ? { datasetVersionId: args.datasetVersionId } : {},
        args.status ? { status: args.status } : {},
        ...query.where,
      ],
    },
    orderBy: query.orderBy,
    take: query.take,
    include: trainingRunInclude,
  });
}

const metricsInput = z.object({
  names: z.array(z.string().min(1).max(100)).max(20).optional(),
  fold: z.number().int().min(-1).optional(),
  epochLevelOnly: z.boolean().optional(),
  afterId: z.string().regex(/^\d+$/, "afterId: a metric id").optional(),
});

export type MetricSeries = {
  name: string;
  fold: number;
  points: { id: bigint; epoch: number; batch: number; value: number; recordedAt: Date }[];
};

/**
 * A run's metric series for live curves, one per (name, fold), points in (epoch, batch) order.
 * `afterId` returns only points recorded since the last poll. Caller has authorised the run.
 */
export async function loadMetricSeries(
  db: Db,
  runId: string,
  input: z.input<typeof metricsInput>,
): Promise<MetricSeries[]> {
  const args = parseInput(metricsInput, input);
  const rows = await db.trainingMetric.findMany({
    where: {
      runId,
      ...(args.names ? { name: { in: args.names } } : {}),
      ...(args.fold !== undefined ? { fold: args.fold } : {}),
      ...(args.epochLevelOnly ? { batch: -1 } : {}),
      ...(args.afterId ? { id: { gt: BigInt(args.afterId) } } : {}),
    },
    orderBy: [{ name: "asc" }, { fold: "asc" }, { epoch: "asc" }, { batch: "asc" }],
    take: 50_000,
  });
  const series = new Map<string, MetricSeries>();
  for (const row of rows) {
    const key = `${row.name}\u0000${row.fold}`;
    if (!series.has(key)) series.set(key, { name: row.name, fold: row.fold, points: [] });
    series
      .get(key)!
      .points.push({ id: row.id, epoch: row.epoch, batch: row.batch, value: row.value, recordedAt: row.recordedAt });
  }
  return [...series.values()];
}

/** The model version each run published, if any (data loader). Caller has authorised the runs. */
export async function loadModelVersionIdsByRunIds(db: Db, runIds: readonly string[]) {
  const rows = await db.modelVersion.findMany({
    where: { trainingRunId: { in: [...runIds] } },
    select: { id: true, trainingRunId: true },
  });
  return runIds.map((id) => rows.find((r) => r.trainingRunId === id)?.id ?? null);
}

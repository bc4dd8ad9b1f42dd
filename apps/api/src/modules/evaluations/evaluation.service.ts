import { authorizeEvaluationRequest } from "@mammo/access";
import { DatasetSplit, type Db, type Prisma } from "@mammo/db";
import type { JobQueue } from "@mammo/jobs";
import { z } from "zod";
import type { Viewer } from "../../auth/viewer.ts";
import { AppError } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { visibleById } from "../../lib/visible-by-id.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { visibleModelVersionsWhere } from "../models/model-access.ts";
import { createdAtPageQuery, type CreatedAtPage } from "../studies/created-at-page.ts";
import { enqueueJob } from "../training/enqueue-job.ts";

/** Evaluations are visible with their model version (ML engineers and coordinators of its site). */
export function visibleEvaluationsWhere(viewer: Viewer): Prisma.EvaluationWhereInput {
  return { modelVersion: visibleModelVersionsWhere(viewer) };
}

export const evaluationInclude = {
  datasetVersion: { select: { id: true, version: true, digest: true, dataset: { select: { name: true } } } },
  requestedBy: { select: { name: true } },
} satisfies Prisma.EvaluationInclude;
export type EvaluationRow = Prisma.EvaluationGetPayload<{ include: typeof evaluationInclude }>;

const requestInput = z.object({
  modelVersionId: z.uuid(),
  datasetVersionId: z.uuid(),
  split: z.enum(DatasetSplit).default("TEST"),
});

/**
 * Requests the evaluation of a model version on a split of a frozen dataset version (the row and
 * its `evaluate` job in one transaction). One evaluation per (model, dataset version, split):
 * asking again re-queues it only when the last attempt failed or was cancelled.
 */
export async function requestEvaluation(
  db: Db,
  jobs: JobQueue,
  viewer: Viewer,
  input: z.input<typeof requestInput>,
  requestId?: string,
) {
  const args = parseInput(requestInput, input);
  const { model, version } = await authorizeEvaluationRequest(db, viewer, args);
  return db.$transaction(async (tx) => {
    const key = {
      modelVersionId_datasetVersionId_split: {
        modelVersionId: model.id,
        datasetVersionId: version.id,
        split: args.split,
      },
    };
    const before = await tx.evaluation.findUnique({ where: key });
    if (before && !["FAILED", "CANCELLED"].includes(before.status)) {
      throw new AppError(
        "CONFLICT",
        `this model version is already evaluated on that split (${before.status.toLowerCase()})`,
      );
    }
    const evaluation = before
      ? await tx.evaluation.update({
          where: { id: before.id },
          data: { status: "QUEUED", error: null, metrics: undefined, finishedAt: null, requestedById: viewer.userId },
          include: evaluationInclude,
        })
      : await tx.evaluation.create({
          data: {
            modelVersionId: model.id,
            datasetVersionId: version.id,
            split: args.split,
            requestedById: viewer.userId,
          },
          include: evaluationInclude,
        });
    const jobId = await enqueueJob(jobs, tx, "evaluate", { evaluationId: evaluation.id });
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: model.siteId,
      action: "evaluation.request",
      entityType: "Evaluation",
      entityId: evaluation.id,
      before,
      after: { ...evaluation, jobId },
      requestId,
    });
    return evaluation;
  });
}

const visibleEvaluations = visibleById("evaluation", (db, viewer, ids) =>
  db.evaluation.findMany({
    where: { AND: [{ id: { in: ids } }, visibleEvaluationsWhere(viewer)] },
    include: evaluationInclude,
  }),
);
export const getEvaluation = visibleEvaluations.get;
export const loadVisibleEvaluations = visibleEvaluations.load;

const listInput = z.object({ modelVersionId: z.uuid().optional(), datasetVersionId: z.uuid().optional() });

export async function listEvaluations(db: Db, viewer: Viewer, input: z.input<typeof listInput>, page: CreatedAtPage) {
  const args = parseInput(listInput, input);
  const query = createdAtPageQuery(page);
  return db.evaluation.findMany({
    where: {
      AND: [
        visibleEvaluationsWhere(viewer),
        args.modelVersionId ? { modelVersionId: args.modelVersionId } : {},
        args.datasetVersionId ? { datasetVersionId: args.datasetVersionId } : {},
        ...query.where,
      ],
    },
    orderBy: query.orderBy,
    take: query.take,
    include: evaluationInclude,
  });
}

/** Evaluations of many model versions (data loader). Caller has authorised the model versions. */
export async function loadEvaluationsByModelVersionIds(db: Db, ids: readonly string[]) {
  const rows = await db.evaluation.findMany({
    where: { modelVersionId: { in: [...ids] } },
    include: evaluationInclude,
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
  });
  return ids.map((id) => rows.filter((r) => r.modelVersionId === id));
}

import { authorizeInferenceRequest } from "@mammo/access";
import { InferenceTarget, SaliencyMethod, SaliencyScore, type Db, type Prisma } from "@mammo/db";
import type { JobQueue } from "@mammo/jobs";
import { z } from "zod";
import { hasRole, siteIdsWithRole, type Viewer } from "../../auth/viewer.ts";
import { AppError, forbidden, notFound } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { visibleById } from "../../lib/visible-by-id.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { visibleCasesWhere } from "../cases/case.service.ts";
import { MODEL_VIEW_ROLES, visibleModelVersionsWhere } from "../models/model-access.ts";
import { createdAtPageQuery, type CreatedAtPage } from "../studies/created-at-page.ts";
import { enqueueJob } from "../training/enqueue-job.ts";

/** Inference runs of the sites where the viewer is ML_ENGINEER or COORDINATOR (as model versions). */
export function visibleInferenceRunsWhere(viewer: Viewer): Prisma.InferenceRunWhereInput {
  return { siteId: { in: siteIdsWithRole(viewer, ...MODEL_VIEW_ROLES) } };
}

/**
 * Predictions (and their heatmaps) the viewer may see: of a model version they may see, on an
 * image of a case they may see in the case browser. visibleCasesWhere carries the blinding rule,
 * so a user reading an open study never gets the AI's output for its cases here.
 */
export function visiblePredictionsWhere(viewer: Viewer): Prisma.PredictionWhereInput {
  return { modelVersion: visibleModelVersionsWhere(viewer), image: { case: visibleCasesWhere(viewer) } };
}

export const inferenceRunInclude = { requestedBy: { select: { name: true } } } satisfies Prisma.InferenceRunInclude;
export type InferenceRunRow = Prisma.InferenceRunGetPayload<{ include: typeof inferenceRunInclude }>;

const requestInput = z
  .object({
    modelVersionId: z.uuid(),
    target: z.enum(InferenceTarget),
    studyId: z.uuid().optional(),
    datasetVersionId: z.uuid().optional(),
    imageIds: z.array(z.uuid()).max(5000).optional(),
    saliencyMethod: z.enum(SaliencyMethod).optional(),
    saliencyScore: z.enum(SaliencyScore).optional(),
    saliencyLayer: z
      .string()
      .trim()
      .regex(/^[A-Za-z0-9_]{1,64}$/, "a layer name such as block5_conv3")
      .optional(),
  })
  .superRefine((input, ctx) => {
    const need = { STUDY: "studyId", DATASET_VERSION: "datasetVersionId", IMAGES: "imageIds" } as const;
    for (const [target, field] of Object.entries(need)) {
      const given =
        field === "imageIds"
          ? (input.imageIds?.length ?? 0) > 0
          : input[field as "studyId" | "datasetVersionId"] !== undefined;
      if (input.target === target && !given)
        ctx.addIssue({ code: "custom", path: [field], message: `required for target ${target}` });
      if (input.target !== target && given)
        ctx.addIssue({ code: "custom", path: [field], message: `only for target ${target}` });
    }
  });

/**
 * Requests inference of a model version over a study's cases, a dataset version or chosen images:
 * the InferenceRun row and its `infer` job commit together. ML engineers of the model's site may
 * run it on what they can see; coordinators may run their own study's model over their study.
 */
export async function requestInference(
  db: Db,
  jobs: JobQueue,
  viewer: Viewer,
  input: z.input<typeof requestInput>,
  requestId?: string,
) {
  const args = parseInput(requestInput, input);
  const { model, imageIds } = await authorizeInferenceRequest(db, viewer, args);
  // Aided readers are shown the AI's answers: they must not change while the study is read.
  if (args.target === "STUDY") {
    const study = await db.readerStudy.findUniqueOrThrow({ where: { id: args.studyId }, select: { status: true } });
    if (study.status === "OPEN")
      throw new AppError("CONFLICT", "studyId: the study is open; run the AI before opening it or after closing it", {
        field: "studyId",
      });
  }
  return db.$transaction(async (tx) => {
    const run = await tx.inferenceRun.create({
      data: {
        siteId: model.siteId,
        modelVersionId: model.id,
        target: args.target,
        studyId: args.studyId,
        datasetVersionId: args.datasetVersionId,
        imageIds,
        saliencyMethod: args.saliencyMethod,
        saliencyLayer: args.saliencyLayer,
        saliencyScore: args.saliencyScore,
        requestedById: viewer.userId,
      },
      include: inferenceRunInclude,
    });
    const jobId = await enqueueJob(jobs, tx, "infer", { inferenceRunId: run.id });
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: run.siteId,
      action: "inferenceRun.request",
      entityType: "InferenceRun",
      entityId: run.id,
      after: { ...run, jobId },
      requestId,
    });
    return run;
  });
}

/** Queues the heatmap-vs-region comparison (concordance job) of a finished inference run. */
export async function requestConcordance(
  db: Db,
  jobs: JobQueue,
  viewer: Viewer,
  inferenceRunId: string,
  requestId?: string,
) {
  const run = await getInferenceRun(db, viewer, inferenceRunId);
  if (!hasRole(viewer, run.siteId, "ML_ENGINEER", "COORDINATOR")) throw forbidden();
  if (run.status !== "SUCCEEDED")
    throw new AppError("CONFLICT", "concordance needs a finished inference run (with its heatmaps)");
  return db.$transaction(async (tx) => {
    const jobId = await enqueueJob(jobs, tx, "concordance", { inferenceRunId: run.id });
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: run.siteId,
      action: "inferenceRun.requestConcordance",
      entityType: "InferenceRun",
      entityId: run.id,
      after: { jobId },
      requestId,
    });
    return run;
  });
}

const visibleInferenceRuns = visibleById("inference run", (db, viewer, ids) =>
  db.inferenceRun.findMany({
    where: { AND: [{ id: { in: ids } }, visibleInferenceRunsWhere(viewer)] },
    include: inferenceRunInclude,
  }),
);
export const getInferenceRun = visibleInferenceRuns.get;
export const loadVisibleInferenceRuns = visibleInferenceRuns.load;

const listInput = z.object({
  siteId: z.uuid().optional(),
  modelVersionId: z.uuid().optional(),
  studyId: z.uuid().optional(),
});

export async function listInferenceRuns(db: Db, viewer: Viewer, input: z.input<typeof listInput>, page: CreatedAtPage) {
  const args = parseInput(listInput, input);
  const query = createdAtPageQuery(page);
  return db.inferenceRun.findMany({
    where: {
      AND: [
        visibleInferenceRunsWhere(viewer),
        args.siteId ? { siteId: args.siteId } : {},
        args.modelVersionId ? { modelVersionId: args.modelVersionId } : {},
        args.studyId ? { studyId: args.studyId } : {},
        ...query.where,
      ],
    },
    orderBy: query.orderBy,
    take: query.take,
    include: inferenceRunInclude,
  });
}

export const predictionInclude = {
  modelVersion: { select: { classNames: true } },
  image: { select: { caseId: true } },
} satisfies Prisma.PredictionInclude;
export type PredictionRow = Prisma.PredictionGetPayload<{ include: typeof predictionInclude }>;

/** A page of an inference run's predictions that the viewer may see. Caller has authorised the run. */
export async function listRunPredictions(db: Db, viewer: Viewer, inferenceRunId: string, page: CreatedAtPage) {
  const query = createdAtPageQuery(page);
  return db.prediction.findMany({
    where: { AND: [{ inferenceRunId }, visiblePredictionsWhere(viewer), ...query.where] },
    orderBy: query.orderBy,
    take: query.take,
    include: predictionInclude,
  });
}

/** Predictions of one image that the viewer may see, newest first. */
export async function listImagePredictions(db: Db, viewer: Viewer, imageId: string) {
  const id = parseInput(z.uuid(), imageId);
  return db.prediction.findMany({
    where: { AND: [{ imageId: id }, visiblePredictionsWhere(viewer)] },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    include: predictionInclude,
  });
}

/** Heatmaps of many predictions (data loader). Caller has authorised the predictions. */
export async function loadSaliencyMapsByPredictionIds(db: Db, ids: readonly string[]) {
  const maps = await db.saliencyMap.findMany({
    where: { predictionId: { in: [...ids] } },
    orderBy: [{ classIndex: "asc" }, { method: "asc" }],
    include: { prediction: { select: { modelVersion: { select: { classNames: true } } } } },
  });
  return ids.map((id) =>
    maps
      .filter((m) => m.predictionId === id)
      .map(({ prediction, ...map }) => ({ ...map, classNames: prediction.modelVersion.classNames })),
  );
}

/**
 * Concordance rows of many heatmaps (data loader; caller has authorised the heatmaps). Rows
 * measured against a reader's ROI describe that reader's answer: they are shown only once the
 * read's study is closed.
 */
export async function loadConcordanceBySaliencyMapIds(db: Db, ids: readonly string[]) {
  const rows = await db.concordanceResult.findMany({
    where: {
      saliencyMapId: { in: [...ids] },
      OR: [{ source: "ANNOTATION" }, { source: "READ", read: { studyCase: { study: { status: "CLOSED" } } } }],
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return ids.map((id) => rows.filter((r) => r.saliencyMapId === id));
}

/**
 * The heatmap behind the saliency route, if the viewer may see it:
 * 1. its prediction is visible (visiblePredictionsWhere: model and case visible, blinding kept);
 * 2. or the viewer reads, in the AIDED arm of a study of that model version, the case the map
 *    belongs to, and has submitted their own unaided read of it;
 * 3. or the viewer coordinates a CLOSED study of that model version that includes the case.
 */
export async function getVisibleSaliencyMap(db: Db, viewer: Viewer, saliencyMapId: string) {
  const id = parseInput(z.uuid(), saliencyMapId);
  const map = await db.saliencyMap.findUnique({
    where: { id },
    include: { prediction: { select: { id: true, modelVersionId: true, image: { select: { caseId: true } } } } },
  });
  if (!map) throw notFound("heatmap");
  const { modelVersionId } = map.prediction;
  const { caseId } = map.prediction.image;
  const [asPrediction, asAidedReader, asCoordinator] = await Promise.all([
    db.prediction.count({ where: { AND: [{ id: map.prediction.id }, visiblePredictionsWhere(viewer)] } }),
    siteIdsWithRole(viewer, "READER").length === 0
      ? 0
      : db.read.count({
          where: {
            phase: "UNAIDED",
            studyCase: { caseId },
            studyReader: {
              userId: viewer.userId,
              arm: { kind: "AIDED" },
              study: { modelVersionId, status: { in: ["OPEN", "CLOSED"] } },
            },
          },
        }),
    db.studyCase.count({
      where: {
        caseId,
        study: { status: "CLOSED", modelVersionId, siteId: { in: siteIdsWithRole(viewer, "COORDINATOR") } },
      },
    }),
  ]);
  if (asPrediction + asAidedReader + asCoordinator === 0) throw notFound("heatmap");
  return map;
}

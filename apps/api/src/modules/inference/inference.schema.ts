import { ConcordanceSource, InferenceTarget, type ConcordanceResult, type SaliencyMap, type Subtype } from "@mammo/db";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { builder } from "../../graphql/builder.ts";
import { requireViewer } from "../../graphql/context.ts";
import { SaliencyMethodEnum, SaliencyScoreEnum, SubtypeEnum } from "../../graphql/enums.ts";
import { ImageRef } from "../cases/case.schema.ts";
import { loadVisibleImages } from "../cases/case.service.ts";
import { ModelVersionRef } from "../models/model-version.schema.ts";
import { loadVisibleModelVersions } from "../models/model-version.service.ts";
import { loadSitesByIds } from "../sites/site.service.ts";
import { SiteRef } from "../sites/site.schema.ts";
import { resolveCreatedAtConnection } from "../studies/created-at-page.ts";
import { ReaderStudyRef } from "../studies/study.schema.ts";
import { RunStatusEnum } from "../training/training-run.schema.ts";
import {
  getInferenceRun,
  listImagePredictions,
  listInferenceRuns,
  listRunPredictions,
  loadConcordanceBySaliencyMapIds,
  loadSaliencyMapsByPredictionIds,
  loadVisibleInferenceRuns,
  requestConcordance,
  requestInference,
  type InferenceRunRow,
  type PredictionRow,
} from "./inference.service.ts";

export const InferenceTargetEnum = builder.enumType(InferenceTarget, { name: "InferenceTarget" });

export const ConcordanceSourceEnum = builder.enumType(ConcordanceSource, {
  name: "ConcordanceSource",
  description:
    "READ: a radiologist's ROI mark in a reader study; ANNOTATION: a pathology lesion outline or an annotator's ROI",
});

const ConcordanceResultRef = builder.objectRef<ConcordanceResult>("ConcordanceResult").implement({
  description: "A heatmap compared with one region (DOMAIN.md: pointing game, energy inside, IoU, pixel AUC)",
  fields: (t) => ({
    id: t.string({ resolve: (c) => encodeGlobalID("ConcordanceResult", c.id) }),
    source: t.expose("source", { type: ConcordanceSourceEnum }),
    annotationId: t.string({
      nullable: true,
      resolve: (c) => (c.annotationId ? encodeGlobalID("Annotation", c.annotationId) : null),
    }),
    readId: t.string({
      nullable: true,
      description: "Only for reads of closed studies",
      resolve: (c) => (c.readId ? encodeGlobalID("Read", c.readId) : null),
    }),
    isPointingHit: t.exposeBoolean("isPointingHit"),
    energyInside: t.exposeFloat("energyInside"),
    iou: t.exposeFloat("iou"),
    iouThreshold: t.exposeFloat("iouThreshold"),
    pixelAuc: t.exposeFloat("pixelAuc", { nullable: true }),
    uniformHitChance: t.exposeFloat("uniformHitChance", {
      nullable: true,
      description: "A uniformly random peak's chance to hit this region (null on older comparisons)",
    }),
    uniformEnergyInside: t.exposeFloat("uniformEnergyInside", { nullable: true }),
    centreBiasHit: t.exposeBoolean("centreBiasHit", { nullable: true }),
    centreBiasEnergyInside: t.exposeFloat("centreBiasEnergyInside", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

type MapShape = SaliencyMap & { classNames: string[] };
const SaliencyMapRef = builder.objectRef<MapShape>("SaliencyMap").implement({
  description: "A Grad-CAM heatmap of one prediction for one class",
  fields: (t) => ({
    id: t.string({ resolve: (m) => encodeGlobalID("SaliencyMap", m.id) }),
    method: t.expose("method", { type: SaliencyMethodEnum }),
    layerName: t.exposeString("layerName"),
    score: t.expose("score", { type: SaliencyScoreEnum, description: "The class score differentiated" }),
    classIndex: t.exposeInt("classIndex", { description: "The class whose evidence the map shows" }),
    subtype: t.field({
      type: SubtypeEnum,
      nullable: true,
      resolve: (m) => (m.classNames[m.classIndex] as Subtype | undefined) ?? null,
    }),
    widthPx: t.exposeInt("widthPx"),
    heightPx: t.exposeInt("heightPx"),
    url: t.string({
      description: "8-bit PNG on the API server (send the same credentials)",
      resolve: (m) => `/saliency-maps/${m.id}/heatmap.png`,
    }),
    concordance: t.loadableList({
      type: ConcordanceResultRef,
      complexity: { field: 1, multiplier: 3 },
      load: (ids: string[], ctx) => loadConcordanceBySaliencyMapIds(ctx.db, ids),
      resolve: (m) => m.id,
    }),
  }),
});

const PredictionClassRef = builder.objectRef<{ subtype: Subtype; probability: number }>("PredictionClass").implement({
  fields: (t) => ({ subtype: t.expose("subtype", { type: SubtypeEnum }), probability: t.exposeFloat("probability") }),
});

const PredictionRef = builder.objectRef<PredictionRow>("Prediction").implement({
  description: "One image through one model version",
  fields: (t) => ({
    id: t.string({ resolve: (p) => encodeGlobalID("Prediction", p.id) }),
    image: t.loadable({
      type: ImageRef,
      nullable: true,
      load: (ids: string[], ctx) => loadVisibleImages(ctx.db, ctx.viewer, ids),
      resolve: (p) => p.imageId,
    }),
    caseId: t.string({ resolve: (p) => encodeGlobalID("Case", p.image.caseId) }),
    predictedClass: t.expose("predictedClass", { type: SubtypeEnum }),
    probabilities: t.field({
      type: [PredictionClassRef],
      complexity: { field: 1, multiplier: 6 },
      resolve: (p) =>
        p.modelVersion.classNames.map((name, k) => ({
          subtype: name as Subtype,
          probability: p.probabilities[k] ?? 0,
        })),
    }),
    saliencyMaps: t.loadableList({
      type: SaliencyMapRef,
      complexity: { field: 1, multiplier: 3 },
      load: (ids: string[], ctx) => loadSaliencyMapsByPredictionIds(ctx.db, ids),
      resolve: (p) => p.id,
    }),
    modelVersion: t.loadable({
      type: ModelVersionRef,
      nullable: true,
      load: (ids: string[], ctx) => loadVisibleModelVersions(ctx.db, ctx.viewer, ids),
      resolve: (p) => p.modelVersionId,
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});
export const InferenceRunRef = builder.objectRef<InferenceRunRow>("InferenceRun");
builder.node(InferenceRunRef, {
  id: { resolve: (r) => r.id },
  loadMany: (ids, ctx) => loadVisibleInferenceRuns(ctx.db, ctx.viewer, ids),
  fields: (t) => ({
    site: t.loadable({
      type: SiteRef,
      load: (ids: string[], ctx) => loadSitesByIds(ctx.db, ids),
      resolve: (r) => r.siteId,
    }),
    modelVersion: t.loadable({
      type: ModelVersionRef,
      nullable: true,
      load: (ids: string[], ctx) => loadVisibleModelVersions(ctx.db, ctx.viewer, ids),
      resolve: (r) => r.modelVersionId,
    }),
    target: t.expose("target", { type: InferenceTargetEnum }),
    studyId: t.string({
      nullable: true,
      resolve: (r) => (r.studyId ? encodeGlobalID("ReaderStudy", r.studyId) : null),
    }),
    datasetVersionId: t.string({
      nullable: true,
      resolve: (r) => (r.datasetVersionId ? encodeGlobalID("DatasetVersion", r.datasetVersionId) : null),
    }),
    imageCount: t.int({ description: "Chosen images (target IMAGES)", resolve: (r) => r.imageIds.length }),
    saliencyMethod: t.expose("saliencyMethod", { type: SaliencyMethodEnum }),
    saliencyLayer: t.exposeString("saliencyLayer"),
    saliencyScore: t.expose("saliencyScore", { type: SaliencyScoreEnum }),
    status: t.expose("status", { type: RunStatusEnum }),
    error: t.exposeString("error", { nullable: true }),
    requestedByName: t.string({ resolve: (r) => r.requestedBy.name }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    startedAt: t.expose("startedAt", { type: "DateTime", nullable: true }),
    finishedAt: t.expose("finishedAt", { type: "DateTime", nullable: true }),
    predictions: t.connection({
      type: PredictionRef,
      description: "Predictions on images the viewer may see",
      complexity: (args) => ({ field: 1, multiplier: Math.min(args.first ?? args.last ?? 20, 100) }),
      resolve: (run, args, ctx) =>
        resolveCreatedAtConnection(args, (page) => listRunPredictions(ctx.db, requireViewer(ctx), run.id, page)),
    }),
  }),
});

builder.queryField("inferenceRuns", (t) =>
  t.connection({
    type: InferenceRunRef,
    authScopes: { authenticated: true },
    description: "Inference runs of the sites where the viewer is ML_ENGINEER or COORDINATOR, newest first",
    args: {
      siteId: t.arg.globalID({ required: false, for: SiteRef }),
      modelVersionId: t.arg.globalID({ required: false, for: ModelVersionRef }),
      studyId: t.arg.globalID({ required: false, for: ReaderStudyRef }),
    },
    complexity: (args) => ({ field: 1, multiplier: Math.min(args.first ?? args.last ?? 20, 100) }),
    resolve: (_root, args, ctx) =>
      resolveCreatedAtConnection(args, (page) =>
        listInferenceRuns(
          ctx.db,
          requireViewer(ctx),
          { siteId: args.siteId?.id, modelVersionId: args.modelVersionId?.id, studyId: args.studyId?.id },
          page,
        ),
      ),
  }),
);

builder.queryField("inferenceRun", (t) =>
  t.field({
    type: InferenceRunRef,
    authScopes: { authenticated: true },
    args: { id: t.arg.globalID({ required: true, for: InferenceRunRef }) },
    resolve: (_root, args, ctx) => getInferenceRun(ctx.db, requireViewer(ctx), args.id.id),
  }),
);

builder.queryField("imagePredictions", (t) =>
  t.field({
    type: [PredictionRef],
    authScopes: { authenticated: true },
    description: "Every model version's prediction of an image the viewer may see",
    args: { imageId: t.arg.globalID({ required: true, for: ImageRef }) },
    resolve: (_root, args, ctx) => listImagePredictions(ctx.db, requireViewer(ctx), args.imageId.id),
  }),
);

const RequestInferenceInput = builder.inputType("RequestInferenceInput", {
  fields: (t) => ({
    modelVersionId: t.globalID({ required: true }),
    target: t.field({ type: InferenceTargetEnum, required: true }),
    studyId: t.globalID({ required: false, description: "target STUDY: every image of the study's cases" }),
    datasetVersionId: t.globalID({ required: false, description: "target DATASET_VERSION" }),
    imageIds: t.globalIDList({ required: false, description: "target IMAGES" }),
    saliencyMethod: t.field({ type: SaliencyMethodEnum, required: false, description: "Default GRAD_CAM" }),
    saliencyLayer: t.string({ required: false, description: "Default block5_conv3" }),
    saliencyScore: t.field({ type: SaliencyScoreEnum, required: false, description: "Default LOGIT" }),
  }),
});

builder.mutationField("requestInference", (t) =>
  t.field({
    type: InferenceRunRef,
    authScopes: { authenticated: true },
    description: "Queues inference (predictions and heatmaps) of a model version",
    args: { input: t.arg({ type: RequestInferenceInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      requestInference(
        ctx.db,
        ctx.jobs,
        requireViewer(ctx),
        {
          modelVersionId: input.modelVersionId.id,
          target: input.target,
          studyId: input.studyId?.id,
          datasetVersionId: input.datasetVersionId?.id,
          imageIds: input.imageIds?.map((i) => i.id),
          saliencyMethod: input.saliencyMethod ?? undefined,
          saliencyLayer: input.saliencyLayer ?? undefined,
          saliencyScore: input.saliencyScore ?? undefined,
        },
        ctx.requestId,
      ),
  }),
);

builder.mutationField("requestConcordance", (t) =>
  t.field({
    type: InferenceRunRef,
    authScopes: { authenticated: true },
    description:
      "Queues the comparison of a finished run's heatmaps with the regions (lesion outlines, readers' marks)",
    args: { inferenceRunId: t.arg.globalID({ required: true, for: InferenceRunRef }) },
    resolve: (_root, args, ctx) =>
      requestConcordance(ctx.db, ctx.jobs, requireViewer(ctx), args.inferenceRunId.id, ctx.requestId),
  }),
);

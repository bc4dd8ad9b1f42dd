import { RunStatus } from "@mammo/db";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { builder } from "../../graphql/builder.ts";
import { requireViewer } from "../../graphql/context.ts";
import { ModelVersionRef, WeightsLineageRef } from "../models/model-version.schema.ts";
import { loadVisibleModelVersions } from "../models/model-version.service.ts";
import { loadSitesByIds } from "../sites/site.service.ts";
import { SiteRef } from "../sites/site.schema.ts";
import { resolveCreatedAtConnection } from "../studies/created-at-page.ts";
import {
  cancelTrainingRun,
  getTrainingRun,
  listTrainingRuns,
  loadMetricSeries,
  loadModelVersionIdsByRunIds,
  loadVisibleTrainingRuns,
  requestTrainingRun,
  type MetricSeries,
  type TrainingRunWithDataset,
} from "./training-run.service.ts";

export const RunStatusEnum = builder.enumType(RunStatus, {
  name: "RunStatus",
  description:
    "QUEUED -> RUNNING -> SUCCEEDED | FAILED; cancel: QUEUED -> CANCELLED, RUNNING -> CANCELLING -> CANCELLED",
});

const MetricPointRef = builder.objectRef<MetricSeries["points"][number]>("MetricPoint").implement({
  fields: (t) => ({
    id: t.string({
      description: "Pass the last one as afterId to poll for newer points",
      resolve: (p) => p.id.toString(),
    }),
    epoch: t.exposeInt("epoch"),
    batch: t.exposeInt("batch", { description: "-1: an epoch-level value" }),
    value: t.exposeFloat("value"),
    recordedAt: t.expose("recordedAt", { type: "DateTime" }),
  }),
});

const MetricSeriesRef = builder.objectRef<MetricSeries>("MetricSeries").implement({
  fields: (t) => ({
    name: t.exposeString("name", { description: "loss, accuracy, val_loss, val_accuracy, ..." }),
    fold: t.exposeInt("fold", { description: "-1: the run as a whole (e.g. the ensemble)" }),
    points: t.field({ type: [MetricPointRef], resolve: (s) => s.points }),
  }),
});

export const TrainingRunRef = builder.objectRef<TrainingRunWithDataset>("TrainingRun");
builder.node(TrainingRunRef, {
  id: { resolve: (r) => r.id },
  loadMany: (ids, ctx) => loadVisibleTrainingRuns(ctx.db, ctx.viewer, ids),
  fields: (t) => ({
    site: t.loadable({
      type: SiteRef,
      load: (ids: string[], ctx) => loadSitesByIds(ctx.db, ids),
      resolve: (r) => r.siteId,
    }),
    status: t.expose("status", { type: RunStatusEnum }),
    preset: t.exposeString("preset"),
    params: t.expose("params", {
      type: "JSON",
      description: "The requested overrides; the complete parameters once the worker has resolved them",
    }),
    seed: t.exposeInt("seed"),
    pretrainedWeights: t.field({
      type: WeightsLineageRef,
      nullable: true,
      description: "The registered ImageNet weights it starts from (null: random weights)",
      resolve: (r) => r.pretrainedWeights,
    }),
    backend: t.exposeString("backend", { nullable: true }),
    codeRevision: t.exposeString("codeRevision", { nullable: true }),
    progress: t.expose("progress", {
      type: "JSON",
      nullable: true,
      description: "Latest {fold, epoch, batch, ...} for live display",
    }),
    error: t.exposeString("error", { nullable: true }),
    datasetVersionId: t.string({ resolve: (r) => encodeGlobalID("DatasetVersion", r.datasetVersionId) }),
    datasetName: t.string({ resolve: (r) => r.datasetVersion.dataset.name }),
    datasetVersion: t.int({ resolve: (r) => r.datasetVersion.version }),
    datasetDigest: t.string({ resolve: (r) => r.datasetVersion.digest }),
    requestedByName: t.string({ resolve: (r) => r.requestedBy.name }),
    cancelRequestedAt: t.expose("cancelRequestedAt", { type: "DateTime", nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    startedAt: t.expose("startedAt", { type: "DateTime", nullable: true }),
    finishedAt: t.expose("finishedAt", { type: "DateTime", nullable: true }),
    metricSeries: t.field({
      type: [MetricSeriesRef],
      description: "Metric series for live curves, one per (name, fold)",
      args: {
        names: t.arg.stringList({ required: false }),
        fold: t.arg.int({ required: false }),
        epochLevelOnly: t.arg.boolean({ required: false }),
        afterId: t.arg.string({ required: false, description: "Only points recorded after this metric id" }),
      },
      resolve: (run, args, ctx) =>
        loadMetricSeries(ctx.db, run.id, {
          names: args.names ?? undefined,
          fold: args.fold ?? undefined,
          epochLevelOnly: args.epochLevelOnly ?? undefined,
          afterId: args.afterId ?? undefined,
        }),
    }),
    modelVersion: t.loadable({
      type: ModelVersionRef,
      nullable: true,
      description: "The model version the run published",
      load: async (runIds: string[], ctx) => {
        const modelIds = await loadModelVersionIdsByRunIds(ctx.db, runIds);
        const models = await loadVisibleModelVersions(
          ctx.db,
          ctx.viewer,
          modelIds.filter((id): id is string => id !== null),
        );
        return modelIds.map((id) => models.find((m) => m?.id === id) ?? null);
      },
      resolve: (r) => r.id,
    }),
  }),
});

builder.objectField(ModelVersionRef, "trainingRun", (t) =>
  t.loadable({
    type: TrainingRunRef,
    nullable: true,
    description: "The run that trained it (visible to ML engineers of its site)",
    load: (ids: string[], ctx) => loadVisibleTrainingRuns(ctx.db, ctx.viewer, ids),
    resolve: (m) => m.trainingRunId,
  }),
);

builder.queryField("trainingRuns", (t) =>
  t.connection({
    type: TrainingRunRef,
    authScopes: { authenticated: true },
    description: "Training runs of the sites where the viewer is ML_ENGINEER, newest first",
    args: {
      siteId: t.arg.globalID({ required: false, for: SiteRef }),
      datasetVersionId: t.arg.globalID({ required: false }),
      status: t.arg({ type: RunStatusEnum, required: false }),
    },
    complexity: (args) => ({ field: 1, multiplier: Math.min(args.first ?? args.last ?? 20, 100) }),
    resolve: (_root, args, ctx) =>
      resolveCreatedAtConnection(args, (page) =>
        listTrainingRuns(
          ctx.db,
          requireViewer(ctx),
          { siteId: args.siteId?.id, datasetVersionId: args.datasetVersionId?.id, status: args.status ?? undefined },
          page,
        ),
      ),
  }),
);

builder.queryField("trainingRun", (t) =>
  t.field({
    type: TrainingRunRef,
    authScopes: { authenticated: true },
    args: { id: t.arg.globalID({ required: true, for: TrainingRunRef }) },
    resolve: (_root, args, ctx) => getTrainingRun(ctx.db, requireViewer(ctx), args.id.id),
  }),
);

const RequestTrainingRunInput = builder.inputType("RequestTrainingRunInput", {
  fields: (t) => ({
    datasetVersionId: t.globalID({
      required: true,
      description: "A frozen dataset version of a site where the viewer is ML_ENGINEER",
    }),
    preset: t.string({ required: true, description: "ueda-2020 | quick" }),
    params: t.field({
      type: "JSON",
      required: false,
      description: "Overrides of the preset's parameters, e.g. {epochs: 10, optimizer: {learningRate: 0.0001}}",
    }),
    seed: t.int({ required: false }),
  }),
});

builder.mutationField("requestTrainingRun", (t) =>
  t.field({
    type: TrainingRunRef,
    authScopes: { authenticated: true },
    description: "Queues a training run (a trainer worker runs it)",
    args: { input: t.arg({ type: RequestTrainingRunInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      requestTrainingRun(
        ctx.db,
        ctx.jobs,
        requireViewer(ctx),
        {
          datasetVersionId: input.datasetVersionId.id,
          preset: input.preset,
          params: (input.params ?? undefined) as Record<string, unknown> | undefined,
          seed: input.seed ?? undefined,
        },
        ctx.requestId,
      ),
  }),
);

builder.mutationField("cancelTrainingRun", (t) =>
  t.field({
    type: TrainingRunRef,
    authScopes: { authenticated: true },
    description: "Queued: cancelled at once. Running: CANCELLING; the worker stops at its next batch",
    args: { id: t.arg.globalID({ required: true, for: TrainingRunRef }) },
    resolve: (_root, args, ctx) => cancelTrainingRun(ctx.db, ctx.jobs, requireViewer(ctx), args.id.id, ctx.requestId),
  }),
);

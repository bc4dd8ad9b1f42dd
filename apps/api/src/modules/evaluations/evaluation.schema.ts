import { encodeGlobalID } from "@pothos/plugin-relay";
import { builder } from "../../graphql/builder.ts";
import { requireViewer } from "../../graphql/context.ts";
import { DatasetSplitEnum } from "../datasets/dataset.schema.ts";
import { ModelVersionRef } from "../models/model-version.schema.ts";
import { loadVisibleModelVersions } from "../models/model-version.service.ts";
import { resolveCreatedAtConnection } from "../studies/created-at-page.ts";
import { RunStatusEnum } from "../training/training-run.schema.ts";
import {
  getEvaluation,
  listEvaluations,
  loadEvaluationsByModelVersionIds,
  loadVisibleEvaluations,
  requestEvaluation,
  type EvaluationRow,
} from "./evaluation.service.ts";

export const EvaluationRef = builder.objectRef<EvaluationRow>("Evaluation");
builder.node(EvaluationRef, {
  description: "A model version measured on one split of a frozen dataset version",
  id: { resolve: (e) => e.id },
  loadMany: (ids, ctx) => loadVisibleEvaluations(ctx.db, ctx.viewer, ids),
  fields: (t) => ({
    modelVersion: t.loadable({
      type: ModelVersionRef,
      nullable: true,
      load: (ids: string[], ctx) => loadVisibleModelVersions(ctx.db, ctx.viewer, ids),
      resolve: (e) => e.modelVersionId,
    }),
    datasetVersionId: t.string({ resolve: (e) => encodeGlobalID("DatasetVersion", e.datasetVersionId) }),
    datasetName: t.string({ resolve: (e) => e.datasetVersion.dataset.name }),
    datasetVersion: t.int({ resolve: (e) => e.datasetVersion.version }),
    datasetDigest: t.string({ resolve: (e) => e.datasetVersion.digest }),
    split: t.expose("split", { type: DatasetSplitEnum }),
    status: t.expose("status", { type: RunStatusEnum }),
    metrics: t.expose("metrics", { type: "JSON", nullable: true }),
    error: t.exposeString("error", { nullable: true }),
    requestedByName: t.string({ resolve: (e) => e.requestedBy.name }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    finishedAt: t.expose("finishedAt", { type: "DateTime", nullable: true }),
  }),
});

builder.objectField(ModelVersionRef, "evaluations", (t) =>
  t.loadableList({
    type: EvaluationRef,
    load: (ids: string[], ctx) => loadEvaluationsByModelVersionIds(ctx.db, ids),
    resolve: (m) => m.id,
  }),
);

builder.queryField("evaluations", (t) =>
  t.connection({
    type: EvaluationRef,
    authScopes: { authenticated: true },
    description: "Evaluations of the model versions the viewer may see, newest first",
    args: {
      modelVersionId: t.arg.globalID({ required: false, for: ModelVersionRef }),
      datasetVersionId: t.arg.globalID({ required: false }),
    },
    complexity: (args) => ({ field: 1, multiplier: Math.min(args.first ?? args.last ?? 20, 100) }),
    resolve: (_root, args, ctx) =>
      resolveCreatedAtConnection(args, (page) =>
        listEvaluations(
          ctx.db,
          requireViewer(ctx),
          { modelVersionId: args.modelVersionId?.id, datasetVersionId: args.datasetVersionId?.id },
          page,
        ),
      ),
  }),
);

builder.queryField("evaluation", (t) =>
  t.field({
    type: EvaluationRef,
    authScopes: { authenticated: true },
    args: { id: t.arg.globalID({ required: true, for: EvaluationRef }) },
    resolve: (_root, args, ctx) => getEvaluation(ctx.db, requireViewer(ctx), args.id.id),
  }),
);

const RequestEvaluationInput = builder.inputType("RequestEvaluationInput", {
  fields: (t) => ({
    modelVersionId: t.globalID({ required: true }),
    datasetVersionId: t.globalID({ required: true }),
    split: t.field({ type: DatasetSplitEnum, required: false, description: "Default TEST" }),
  }),
});

builder.mutationField("requestEvaluation", (t) =>
  t.field({
    type: EvaluationRef,
    authScopes: { authenticated: true },
    description: "Queues the evaluation of a model version on a split of a frozen dataset version",
    args: { input: t.arg({ type: RequestEvaluationInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      requestEvaluation(
        ctx.db,
        ctx.jobs,
        requireViewer(ctx),
        {
          modelVersionId: input.modelVersionId.id,
          datasetVersionId: input.datasetVersionId.id,
          split: input.split ?? undefined,
        },
        ctx.requestId,
      ),
  }),
);

import type { ModelAlias } from "@mammo/db";
import { type FlaggedMetrics, type ModelFlag, modelQualityFlags } from "@mammo/ml-core/model-flags";
import { encodeGlobalID } from "@pothos/plugin-relay";
import { builder } from "../../graphql/builder.ts";
import { requireViewer } from "../../graphql/context.ts";
import { loadSitesByIds } from "../sites/site.service.ts";
import { SiteRef } from "../sites/site.schema.ts";
import { resolveCreatedAtConnection } from "../studies/created-at-page.ts";
import { ReaderStudyRef } from "../studies/study.schema.ts";
import {
  getModelVersion,
  listModelAliases,
  listModelVersions,
  loadAliasesByModelVersionIds,
  loadVisibleModelVersions,
  removeModelAlias,
  setModelAlias,
  type ModelVersionWithLineage,
} from "./model-version.service.ts";

export const ModelAliasRef = builder.objectRef<ModelAlias>("ModelAlias").implement({
  description: "A movable name (e.g. production) for one version of a model family at a site",
  fields: (t) => ({
    id: t.string({ resolve: (a) => encodeGlobalID("ModelAlias", a.id) }),
    alias: t.exposeString("alias"),
    modelName: t.exposeString("modelName"),
    modelVersionId: t.string({ resolve: (a) => encodeGlobalID("ModelVersion", a.modelVersionId) }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

export const WeightsLineageRef = builder
  .objectRef<NonNullable<ModelVersionWithLineage["pretrainedWeights"]>>("WeightsLineage")
  .implement({
    description: "Registered weights as lineage records them: by digest, with their source and licence",
    fields: (t) => ({
      weightsId: t.exposeString("id"),
      name: t.exposeString("name"),
      fileName: t.exposeString("fileName"),
      sha256: t.exposeString("sha256"),
      source: t.exposeString("source"),
      licence: t.exposeString("licence"),
    }),
  });

const ModelFlagRef = builder.objectRef<ModelFlag>("ModelFlag").implement({
  description: "A warning about a model's results (ACCURACY_AT_CHANCE, BEST_EPOCH_FIRST)",
  fields: (t) => ({ code: t.exposeString("code"), message: t.exposeString("message") }),
});

const ModelLineageRef = builder.objectRef<ModelVersionWithLineage>("ModelLineage").implement({
  description: "Where a model version came from: enough to reproduce it",
  fields: (t) => ({
    datasetId: t.string({ resolve: (m) => encodeGlobalID("Dataset", m.datasetVersion.dataset.id) }),
    datasetName: t.string({ resolve: (m) => m.datasetVersion.dataset.name }),
    datasetVersionId: t.string({ resolve: (m) => encodeGlobalID("DatasetVersion", m.datasetVersionId) }),
    datasetVersion: t.int({ resolve: (m) => m.datasetVersion.version }),
    datasetDigest: t.exposeString("datasetDigest", {
      description: "sha256 content digest of the frozen dataset version trained on",
    }),
    datasetItemCount: t.int({ resolve: (m) => m.datasetVersion.itemCount }),
    trainingRunId: t.string({
      nullable: true,
      resolve: (m) => (m.trainingRunId ? encodeGlobalID("TrainingRun", m.trainingRunId) : null),
    }),
    preset: t.exposeString("preset"),
    params: t.expose("params", { type: "JSON", description: "Every resolved training parameter" }),
    codeRevision: t.exposeString("codeRevision"),
    backend: t.exposeString("backend", { description: "TensorFlow.js backend that trained it" }),
    seed: t.exposeInt("seed"),
    trainingStartedAt: t.expose("trainingStartedAt", { type: "DateTime" }),
    trainingFinishedAt: t.expose("trainingFinishedAt", { type: "DateTime" }),
    pretrainedWeights: t.field({
      type: WeightsLineageRef,
      nullable: true,
      description: "The registered ImageNet weights training started from (null: random weights)",
      resolve: (m) => m.pretrainedWeights,
    }),
  }),
});

export const ModelVersionRef = builder.objectRef<ModelVersionWithLineage>("ModelVersion");
builder.node(ModelVersionRef, {
  description: "A published, immutable trained model",
  id: { resolve: (m) => m.id },
  loadMany: (ids, ctx) => loadVisibleModelVersions(ctx.db, ctx.viewer, ids),
  fields: (t) => ({
    name: t.exposeString("name", { description: "Model family, e.g. idc-subtype" }),
    version: t.exposeInt("version"),
    site: t.loadable({
      type: SiteRef,
      load: (ids: string[], ctx) => loadSitesByIds(ctx.db, ids),
      resolve: (m) => m.siteId,
    }),
    classNames: t.exposeStringList("classNames", { description: "Output order of the class probabilities" }),
    inputSizePx: t.exposeInt("inputSizePx"),
    artifactSha256: t.exposeString("artifactSha256"),
    metrics: t.expose("metrics", { type: "JSON", description: "Per fold and for the ensemble on the test split" }),
    warnings: t.field({
      type: [ModelFlagRef],
      description:
        "Flags on its results: a test accuracy whose 95% interval reaches chance, a fold whose best epoch is the first",
      resolve: (m) => modelQualityFlags(m.metrics as FlaggedMetrics),
    }),
    lineage: t.field({ type: ModelLineageRef, resolve: (m) => m }),
    aliases: t.loadableList({
      type: ModelAliasRef,
      load: (ids: string[], ctx) => loadAliasesByModelVersionIds(ctx.db, ids),
      resolve: (m) => m.id,
    }),
    createdByName: t.string({ resolve: (m) => m.createdBy.name }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

builder.objectField(ReaderStudyRef, "modelVersion", (t) =>
  t.loadable({
    type: ModelVersionRef,
    nullable: true,
    description: "The AI compared with the readers (shown in the AIDED arm)",
    load: (ids: string[], ctx) => loadVisibleModelVersions(ctx.db, ctx.viewer, ids),
    resolve: (study) => study.modelVersionId,
  }),
);

builder.queryField("modelVersions", (t) =>
  t.connection({
    type: ModelVersionRef,
    authScopes: { authenticated: true },
    description: "Model versions of the sites where the viewer is ML_ENGINEER or COORDINATOR, newest first",
    args: { siteId: t.arg.globalID({ required: false, for: SiteRef }), name: t.arg.string({ required: false }) },
    complexity: (args) => ({ field: 1, multiplier: Math.min(args.first ?? args.last ?? 20, 100) }),
    resolve: (_root, args, ctx) =>
      resolveCreatedAtConnection(args, (page) =>
        listModelVersions(ctx.db, requireViewer(ctx), { siteId: args.siteId?.id, name: args.name ?? undefined }, page),
      ),
  }),
);

builder.queryField("modelVersion", (t) =>
  t.field({
    type: ModelVersionRef,
    authScopes: { authenticated: true },
    args: { id: t.arg.globalID({ required: true, for: ModelVersionRef }) },
    resolve: (_root, args, ctx) => getModelVersion(ctx.db, requireViewer(ctx), args.id.id),
  }),
);

builder.queryField("modelAliases", (t) =>
  t.field({
    type: [ModelAliasRef],
    authScopes: { authenticated: true },
    args: { siteId: t.arg.globalID({ required: false, for: SiteRef }), modelName: t.arg.string({ required: false }) },
    resolve: (_root, args, ctx) =>
      listModelAliases(ctx.db, requireViewer(ctx), { siteId: args.siteId?.id, modelName: args.modelName ?? undefined }),
  }),
);

builder.mutationField("setModelAlias", (t) =>
  t.field({
    type: ModelAliasRef,
    authScopes: { authenticated: true },
    description: "Creates the alias for the version's model family, or moves it to this version",
    args: {
      modelVersionId: t.arg.globalID({ required: true, for: ModelVersionRef }),
      alias: t.arg.string({ required: true }),
    },
    resolve: (_root, args, ctx) =>
      setModelAlias(
        ctx.db,
        requireViewer(ctx),
        { modelVersionId: args.modelVersionId.id, alias: args.alias },
        ctx.requestId,
      ),
  }),
);

builder.mutationField("removeModelAlias", (t) =>
  t.field({
    type: ModelAliasRef,
    authScopes: { authenticated: true },
    args: {
      siteId: t.arg.globalID({ required: true, for: SiteRef }),
      modelName: t.arg.string({ required: true }),
      alias: t.arg.string({ required: true }),
    },
    resolve: (_root, args, ctx) =>
      removeModelAlias(
        ctx.db,
        requireViewer(ctx),
        { siteId: args.siteId.id, modelName: args.modelName, alias: args.alias },
        ctx.requestId,
      ),
  }),
);

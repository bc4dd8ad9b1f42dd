import {
  DatasetSplit,
  DatasetUnit,
  type Dataset,
  type DatasetItem,
  type DatasetVersion,
  type Subtype,
} from "@mammo/db";
import { encodeGlobalID, resolveCursorConnection, type ResolveCursorConnectionArgs } from "@pothos/plugin-relay";
import { AppError } from "../../errors/app-error.ts";
import { builder } from "../../graphql/builder.ts";
import { requireViewer, type GraphQLContext } from "../../graphql/context.ts";
import { LateralityEnum, SubtypeEnum, ViewPositionEnum } from "../../graphql/enums.ts";
import { requestLoader } from "../../graphql/request-loader.ts";
import { ImageRef, visibleImages } from "../cases/case.schema.ts";
import { FindingRef, visibleFindings } from "../pathology/finding.schema.ts";
import type { SelectionCount } from "./dataset-selection.ts";
import { loadSitesByIds } from "../sites/site.service.ts";
import { SiteRef } from "../sites/site.schema.ts";
import { userSummaries, UserSummaryRef } from "../users/user.schema.ts";
import {
  freezeDatasetVersion,
  getVisibleVersion,
  listVersionItems,
  loadVersionsByDatasetIds,
  loadVisibleItemCounts,
  loadVisibleVersions,
  previewDataset,
  versionCounts,
} from "./dataset-version.service.ts";
import {
  createDataset,
  getVisibleDataset,
  listDatasets,
  loadVisibleDatasets,
  parseStoredFilter,
  updateDataset,
  type DatasetCursor,
  type DatasetFilter,
  type DatasetFilterInput,
} from "./dataset.service.ts";

export const DatasetSplitEnum = builder.enumType(DatasetSplit, { name: "DatasetSplit" });
export const DatasetUnitEnum = builder.enumType(DatasetUnit, {
  name: "DatasetUnit",
  description:
    "What one item is. FINDING: a finding with the images of its breast; BREAST: a breast with its images; IMAGE: one image with its breast's truth; CASE: a whole case (versions frozen before findings existed)",
});

const visibleDatasets = (ctx: GraphQLContext) =>
  requestLoader(ctx, "visibleDatasets", (ids: readonly string[]) => loadVisibleDatasets(ctx.db, ctx.viewer, ids));

const DatasetFilterRef = builder.objectRef<DatasetFilter>("DatasetFilter").implement({
  description:
    "Which units a dataset takes: findings, breasts or images of these sites, views and lateralities whose truth is one of the classes",
  fields: (t) => ({
    unit: t.field({ type: DatasetUnitEnum, resolve: (f) => f.unit }),
    siteIds: t.idList({ resolve: (f) => f.siteIds.map((id) => encodeGlobalID("Site", id)) }),
    subtypes: t.field({
      type: [SubtypeEnum],
      description: "The classes, in class-index order",
      resolve: (f) => f.subtypes,
    }),
    views: t.field({ type: [ViewPositionEnum], nullable: true, resolve: (f) => f.views ?? null }),
    lateralities: t.field({ type: [LateralityEnum], nullable: true, resolve: (f) => f.lateralities ?? null }),
    requireConsensus: t.boolean({ resolve: (f) => f.requireConsensus ?? false }),
  }),
});

const DatasetCountRef = builder.objectRef<SelectionCount>("DatasetCount").implement({
  fields: (t) => ({
    site: t.loadable({
      type: SiteRef,
      load: (ids: string[], ctx) => loadSitesByIds(ctx.db, ids),
      resolve: (c) => c.siteId,
    }),
    subtype: t.expose("subtype", { type: SubtypeEnum }),
    split: t.expose("split", { type: DatasetSplitEnum }),
    images: t.exposeInt("images"),
    units: t.exposeInt("units", { description: "Findings, breasts or images, per the dataset's unit" }),
    cases: t.exposeInt("cases"),
    patients: t.exposeInt("patients"),
  }),
});

const SplitFractionsRef = builder
  .objectRef<{ train: number; validation: number; test: number }>("SplitFractions")
  .implement({
    fields: (t) => ({
      train: t.exposeFloat("train"),
      validation: t.exposeFloat("validation"),
      test: t.exposeFloat("test"),
    }),
  });

const versionsOfDataset = (ctx: GraphQLContext) =>
  requestLoader(ctx, "versionsByDataset", (ids: readonly string[]) =>
    loadVersionsByDatasetIds(ctx.db, ctx.viewer, ids),
  );

export const DatasetRef = builder.objectRef<Dataset>("Dataset");
export const DatasetVersionRef = builder.objectRef<DatasetVersion>("DatasetVersion");

builder.node(DatasetRef, {
  id: { resolve: (d) => d.id },
  loadMany: (ids, ctx) => loadVisibleDatasets(ctx.db, ctx.viewer, ids),
  fields: (t) => ({
    name: t.exposeString("name"),
    description: t.exposeString("description", { nullable: true }),
    filter: t.field({ type: DatasetFilterRef, resolve: (d) => parseStoredFilter(d.filter) }),
    site: t.loadable({
      type: SiteRef,
      load: (ids: string[], ctx) => loadSitesByIds(ctx.db, ids),
      resolve: (d) => d.siteId,
    }),
    createdBy: t.field({ type: UserSummaryRef, resolve: (d, _args, ctx) => userSummaries(ctx).load(d.createdById) }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    versions: t.field({
      type: [DatasetVersionRef],
      description: "Frozen versions, newest first",
      resolve: (d, _args, ctx) => versionsOfDataset(ctx).load(d.id),
    }),
  }),
});

const DatasetItemRef = builder.objectRef<DatasetItem>("DatasetItem").implement({
  description: "One image of one unit of a frozen version, with the unit's truth, split and fold it was frozen with",
  fields: (t) => ({
    id: t.id({ resolve: (i) => encodeGlobalID("DatasetItem", i.id) }),
    unitId: t.id({
      description: "The unit it is part of (items of one unit share it): a finding, breast, image or case id",
      resolve: (i) => i.unitId,
    }),
    imageId: t.id({ resolve: (i) => encodeGlobalID("Image", i.imageId) }),
    caseId: t.id({ resolve: (i) => encodeGlobalID("Case", i.caseId) }),
    laterality: t.expose("laterality", { type: LateralityEnum, nullable: true, description: "The breast" }),
    finding: t.field({
      type: FindingRef,
      nullable: true,
      description: "FINDING units: the finding, where the viewer may see it in the case browser",
      resolve: async (i, _args, ctx) => (i.findingId ? visibleFindings(ctx).load(i.findingId) : null),
    }),
    image: t.field({
      type: ImageRef,
      nullable: true,
      description: "The image, where the viewer may see it in the case browser",
      resolve: (i, _args, ctx) => visibleImages(ctx).load(i.imageId),
    }),
    site: t.loadable({
      type: SiteRef,
      load: (ids: string[], ctx) => loadSitesByIds(ctx.db, ids),
      resolve: (i) => i.siteId,
    }),
    subtype: t.expose("subtype", { type: SubtypeEnum }),
    split: t.expose("split", { type: DatasetSplitEnum }),
    fold: t.exposeInt("fold", { nullable: true }),
  }),
});

builder.node(DatasetVersionRef, {
  id: { resolve: (v) => v.id },
  description: "An immutable, content-digested snapshot of a dataset, split by patient",
  loadMany: (ids, ctx) => loadVisibleVersions(ctx.db, ctx.viewer, ids),
  fields: (t) => ({
    version: t.exposeInt("version"),
    digest: t.exposeString("digest", {
      description: "sha256 over the sorted items (image content, image, unit, truth, split, fold)",
    }),
    unit: t.expose("unit", { type: DatasetUnitEnum }),
    seed: t.exposeInt("seed"),
    foldCount: t.exposeInt("foldCount"),
    splitFractions: t.field({
      type: SplitFractionsRef,
      resolve: (v) => v.splitFractions as { train: number; validation: number; test: number },
    }),
    classNames: t.field({ type: [SubtypeEnum], resolve: (v) => v.classNames as Subtype[] }),
    itemCount: t.int({
      description: "Items the viewer may see (all of them unless they read an open study with some of its cases)",
      resolve: (v, _args, ctx) =>
        requestLoader(ctx, "visibleItemCounts", (ids: readonly string[]) =>
          loadVisibleItemCounts(ctx.db, ctx.viewer, ids),
        ).load(v.id),
    }),
    note: t.exposeString("note", { nullable: true }),
    frozenAt: t.expose("frozenAt", { type: "DateTime" }),
    createdBy: t.field({ type: UserSummaryRef, resolve: (v, _args, ctx) => userSummaries(ctx).load(v.createdById) }),
    dataset: t.field({
      type: DatasetRef,
      // Whoever sees a version sees its dataset.
      resolve: async (v, _args, ctx) => (await visibleDatasets(ctx).load(v.datasetId))!,
    }),
    counts: t.field({
      type: [DatasetCountRef],
      description:
        "Images, units, cases and patients per site, class and split (blinded cases left out, as from items)",
      resolve: (v, _args, ctx) => versionCounts(ctx.db, requireViewer(ctx), v.id),
    }),
    items: t.connection({
      type: DatasetItemRef,
      args: { split: t.arg({ type: DatasetSplitEnum, required: false }), fold: t.arg.int({ required: false }) },
      complexity: (args) => ({ field: 1, multiplier: Math.min(args.first ?? args.last ?? 100, 500) }),
      resolve: (v, args, ctx) =>
        resolveCursorConnection(
          { args, toCursor: (i: DatasetItem) => i.id, defaultSize: 100, maxSize: 500 },
          ({ before, after, limit, inverted }: ResolveCursorConnectionArgs) =>
            listVersionItems(ctx.db, requireViewer(ctx), {
              versionId: v.id,
              split: args.split ?? undefined,
              fold: args.fold ?? undefined,
              limit,
              inverted,
              after: after ?? undefined,
              before: before ?? undefined,
            }),
        ),
    }),
  }),
});

type ExcludedShape = PreviewShape["excluded"];
const ExcludedUnitsRef = builder.objectRef<ExcludedShape>("ExcludedUnits").implement({
  description: "Units of the filter's sites and views that do not enter, and why (each counted once, first reason)",
  fields: (t) => ({
    unlabelled: t.exposeInt("unlabelled"),
    conflict: t.exposeInt("conflict", {
      description: "Current labels disagree and no consensus was decided; or a breast labelled NORMAL has a lesion",
    }),
    mixed: t.exposeInt("mixed", { description: "Breasts whose findings have two classes of the same severity" }),
    otherClass: t.exposeInt("otherClass"),
    withoutConsensus: t.exposeInt("withoutConsensus", {
      description: "Labelled but not adjudicated, when the filter requires a consensus",
    }),
    unknownBreast: t.exposeInt("unknownBreast", { description: "Case-level findings: place them on a breast" }),
    otherFindingInBreast: t.exposeInt("otherFindingInBreast", {
      description: "Findings whose breast holds a finding of another class (its images would carry two labels)",
    }),
  }),
});

type PreviewShape = Awaited<ReturnType<typeof previewDataset>>;
const DatasetPreviewRef = builder.objectRef<PreviewShape>("DatasetPreview").implement({
  description: "What freezing with these options would produce now",
  fields: (t) => ({
    unit: t.field({ type: DatasetUnitEnum, resolve: (p) => p.unit }),
    itemCount: t.exposeInt("itemCount", { description: "Items: one per image of each unit" }),
    unitCount: t.exposeInt("unitCount"),
    caseCount: t.exposeInt("caseCount"),
    patientCount: t.exposeInt("patientCount"),
    classNames: t.field({ type: [SubtypeEnum], resolve: (p) => p.classNames }),
    counts: t.field({
      type: [DatasetCountRef],
      description: "Images, units, cases and patients per site, class and split",
      resolve: (p) => p.counts,
    }),
    excluded: t.field({ type: ExcludedUnitsRef, resolve: (p) => p.excluded }),
    digest: t.exposeString("digest"),
  }),
});

const SplitFractionsInput = builder.inputType("SplitFractionsInput", {
  fields: (t) => ({
    train: t.float({ required: true }),
    validation: t.float({ required: true }),
    test: t.float({ required: true }),
  }),
});
const SplitOptionsInput = builder.inputType("SplitOptionsInput", {
  fields: (t) => ({
    seed: t.int({ required: false, description: "42 when left out" }),
    fractions: t.field({ type: SplitFractionsInput, required: false, description: "0.7 / 0.1 / 0.2 when left out" }),
    folds: t.int({
      required: false,
      description: "Cross-validation folds of TRAIN and VALIDATION patients; 4 when left out",
    }),
  }),
});
const DatasetFilterInput = builder.inputType("DatasetFilterInput", {
  fields: (t) => ({
    unit: t.field({ type: DatasetUnitEnum, required: false, description: "FINDING when left out" }),
    siteIds: t.globalIDList({ required: true, for: SiteRef }),
    subtypes: t.field({
      type: [SubtypeEnum],
      required: true,
      description: "The classes, in class-index order (at least two)",
    }),
    views: t.field({ type: [ViewPositionEnum], required: false }),
    lateralities: t.field({ type: [LateralityEnum], required: false }),
    requireConsensus: t.boolean({ required: false }),
  }),
});

type FilterArg = {
  unit?: DatasetUnit | null;
  siteIds: { id: string }[];
  subtypes: Subtype[];
  views?: DatasetFilter["views"] | null;
  lateralities?: DatasetFilter["lateralities"] | null;
  requireConsensus?: boolean | null;
};
const toFilter = (f: FilterArg): DatasetFilterInput => ({
  ...(f.unit ? { unit: f.unit as DatasetFilterInput["unit"] } : {}),
  siteIds: f.siteIds.map((s) => s.id),
  subtypes: f.subtypes,
  ...(f.views ? { views: f.views } : {}),
  ...(f.lateralities ? { lateralities: f.lateralities } : {}),
  ...(f.requireConsensus ? { requireConsensus: true } : {}),
});
type OptionsArg =
  | {
      seed?: number | null;
      fractions?: { train: number; validation: number; test: number } | null;
      folds?: number | null;
    }
  | null
  | undefined;
const toOptions = (o: OptionsArg) => ({
  seed: o?.seed ?? undefined,
  fractions: o?.fractions ?? undefined,
  folds: o?.folds ?? undefined,
});

const encodeCursor = (d: DatasetCursor) => Buffer.from(JSON.stringify([d.name, d.id])).toString("base64url");
function decodeCursor(cursor: string): DatasetCursor {
  try {
    const [name, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [string, string];
    if (typeof name !== "string" || typeof id !== "string") throw new Error();
    return { name, id };
  } catch {
    throw new AppError("VALIDATION", "cursor: not a cursor this API issued", { field: "cursor" });
  }
}

builder.queryField("datasets", (t) =>
  t.connection({
    type: DatasetRef,
    authScopes: { authenticated: true },
    description: "Datasets of the viewer's sites (admins, coordinators, ML engineers), by name",
    args: { siteId: t.arg.globalID({ required: false, for: SiteRef }) },
    complexity: (args) => ({ field: 1, multiplier: Math.min(args.first ?? args.last ?? 20, 100) }),
    resolve: (_root, args, ctx) =>
      resolveCursorConnection(
        { args, toCursor: (d: Dataset) => encodeCursor(d), defaultSize: 20, maxSize: 100 },
        ({ before, after, limit, inverted }: ResolveCursorConnectionArgs) =>
          listDatasets(ctx.db, requireViewer(ctx), {
            siteId: args.siteId?.id,
            limit,
            inverted,
            after: after ? decodeCursor(after) : undefined,
            before: before ? decodeCursor(before) : undefined,
          }),
      ),
  }),
);

builder.queryField("dataset", (t) =>
  t.field({
    type: DatasetRef,
    authScopes: { authenticated: true },
    args: { id: t.arg.globalID({ required: true, for: DatasetRef }) },
    resolve: (_root, args, ctx) => getVisibleDataset(ctx.db, requireViewer(ctx), args.id.id),
  }),
);

builder.queryField("datasetVersion", (t) =>
  t.field({
    type: DatasetVersionRef,
    authScopes: { authenticated: true },
    args: { id: t.arg.globalID({ required: true, for: DatasetVersionRef }) },
    resolve: (_root, args, ctx) => getVisibleVersion(ctx.db, requireViewer(ctx), args.id.id),
  }),
);

builder.queryField("previewDataset", (t) =>
  t.field({
    type: DatasetPreviewRef,
    authScopes: { authenticated: true },
    description: "Class balance and split per site of what freezing would produce now (writes nothing)",
    args: {
      datasetId: t.arg.globalID({ required: true, for: DatasetRef }),
      options: t.arg({ type: SplitOptionsInput, required: false }),
    },
    resolve: (_root, args, ctx) =>
      previewDataset(ctx.db, requireViewer(ctx), { datasetId: args.datasetId.id, options: toOptions(args.options) }),
  }),
);

const CreateDatasetInput = builder.inputType("CreateDatasetInput", {
  fields: (t) => ({
    siteId: t.globalID({ required: true, for: SiteRef, description: "The coordinating site" }),
    name: t.string({ required: true }),
    description: t.string({ required: false }),
    filter: t.field({ type: DatasetFilterInput, required: true }),
  }),
});
const UpdateDatasetInput = builder.inputType("UpdateDatasetInput", {
  fields: (t) => ({
    datasetId: t.globalID({ required: true, for: DatasetRef }),
    name: t.string({ required: false }),
    description: t.string({ required: false }),
    filter: t.field({ type: DatasetFilterInput, required: false }),
  }),
});
const FreezeDatasetInput = builder.inputType("FreezeDatasetInput", {
  fields: (t) => ({
    datasetId: t.globalID({ required: true, for: DatasetRef }),
    options: t.field({ type: SplitOptionsInput, required: false }),
    note: t.string({ required: false }),
  }),
});

builder.mutationField("createDataset", (t) =>
  t.field({
    type: DatasetRef,
    authScopes: { authenticated: true },
    description: "Defines a dataset by filters (coordinators of its site and of every site it draws from)",
    args: { input: t.arg({ type: CreateDatasetInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createDataset(
        ctx.db,
        requireViewer(ctx),
        {
          siteId: input.siteId.id,
          name: input.name,
          description: input.description ?? undefined,
          filter: toFilter(input.filter),
        },
        { requestId: ctx.requestId },
      ),
  }),
);

builder.mutationField("updateDataset", (t) =>
  t.field({
    type: DatasetRef,
    authScopes: { authenticated: true },
    description: "Changes a dataset's definition; frozen versions keep what they froze",
    args: { input: t.arg({ type: UpdateDatasetInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      updateDataset(
        ctx.db,
        requireViewer(ctx),
        {
          datasetId: input.datasetId.id,
          name: input.name ?? undefined,
          description: input.description ?? undefined,
          filter: input.filter ? toFilter(input.filter) : undefined,
        },
        { requestId: ctx.requestId },
      ),
  }),
);

builder.mutationField("freezeDatasetVersion", (t) =>
  t.field({
    type: DatasetVersionRef,
    authScopes: { authenticated: true },
    description: "Freezes the dataset's current selection into its next immutable version",
    args: { input: t.arg({ type: FreezeDatasetInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      freezeDatasetVersion(
        ctx.db,
        requireViewer(ctx),
        { datasetId: input.datasetId.id, options: toOptions(input.options), note: input.note ?? undefined },
        { requestId: ctx.requestId },
      ),
  }),
);

import type { Case, Image } from "@mammo/db";
import { resolveCursorConnection, type ResolveCursorConnectionArgs } from "@pothos/plugin-relay";
import { AppError } from "../../errors/app-error.ts";
import { builder } from "../../graphql/builder.ts";
import { requireViewer, type GraphQLContext } from "../../graphql/context.ts";
import {
  ImageStatusEnum,
  LateralityEnum,
  PhotometricEnum,
  PresentationIntentEnum,
  SourceFormatEnum,
  SubtypeEnum,
  ViewModifierEnum,
  ViewPositionEnum,
} from "../../graphql/enums.ts";
import { requestLoader } from "../../graphql/request-loader.ts";
import { LABEL_STATUSES } from "../pathology/case-truth.ts";
import { loadSitesByIds } from "../sites/site.service.ts";
import { SiteRef } from "../sites/site.schema.ts";
import {
  caseNeighbours,
  getCase,
  listCases,
  loadImagesByCaseIds,
  loadVisibleCases,
  loadVisibleImages,
  selectImages,
  type CaseCursor,
} from "./case.service.ts";

type CaseShape = Case & { patient: { pseudonym: string } };

/** The images of a case, one query per request for all cases of a page. */
export const imagesOfCase = (ctx: GraphQLContext) =>
  requestLoader(ctx, "imagesByCase", (ids: readonly string[]) => loadImagesByCaseIds(ctx.db, ctx.viewer, ids));

/**
 * Cases and images by id as the viewer may see them (null where not), batched: one query for the
 * ids one level of the query asks.
 */
export const visibleCases = (ctx: GraphQLContext) =>
  requestLoader(ctx, "visibleCases", (ids: readonly string[]) => loadVisibleCases(ctx.db, ctx.viewer, ids));
export const visibleImages = (ctx: GraphQLContext) =>
  requestLoader(ctx, "visibleImages", (ids: readonly string[]) => loadVisibleImages(ctx.db, ctx.viewer, ids));

export const ImageRef = builder.objectRef<Image>("Image");
builder.node(ImageRef, {
  id: { resolve: (image) => image.id },
  loadMany: (ids, ctx) => loadVisibleImages(ctx.db, ctx.viewer, ids),
  fields: (t) => ({
    laterality: t.expose("laterality", { type: LateralityEnum }),
    view: t.expose("view", { type: ViewPositionEnum }),
    viewCode: t.exposeString("viewCode", { nullable: true }),
    viewModifiers: t.expose("viewModifiers", { type: [ViewModifierEnum] }),
    presentationIntent: t.expose("presentationIntent", { type: PresentationIntentEnum }),
    widthPx: t.exposeInt("widthPx"),
    heightPx: t.exposeInt("heightPx"),
    pixelSpacingRowMm: t.exposeFloat("pixelSpacingRowMm", { nullable: true }),
    pixelSpacingColMm: t.exposeFloat("pixelSpacingColMm", { nullable: true }),
    bitsStored: t.exposeInt("bitsStored"),
    photometric: t.expose("photometric", { type: PhotometricEnum }),
    sourceFormat: t.expose("sourceFormat", { type: SourceFormatEnum }),
    status: t.expose("status", { type: ImageStatusEnum }),
    quarantineReason: t.exposeString("quarantineReason", { nullable: true }),
    displayUrl: t.string({
      description: "Path (on the API server) of the 8-bit display rendering; send the same credentials",
      resolve: (image) => `/images/${image.id}/display.png`,
    }),
  }),
});

export const CaseRef = builder.objectRef<CaseShape>("Case");
builder.node(CaseRef, {
  id: { resolve: (c) => c.id },
  loadMany: (ids, ctx) => loadVisibleCases(ctx.db, ctx.viewer, ids),
  fields: (t) => ({
    accessionKey: t.exposeString("accessionKey"),
    patientPseudonym: t.string({ resolve: (c) => c.patient.pseudonym }),
    examDate: t.expose("examDate", { type: "Date", nullable: true }),
    note: t.exposeString("note", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    site: t.loadable({
      type: SiteRef,
      load: (ids: string[], ctx) => loadSitesByIds(ctx.db, ids),
      resolve: (c) => c.siteId,
    }),
    images: t.field({
      type: [ImageRef],
      description:
        "The case's images in hanging order (R before L, CC before MLO), optionally one laterality and/or view",
      args: {
        laterality: t.arg({ type: LateralityEnum, required: false }),
        view: t.arg({ type: ViewPositionEnum, required: false }),
      },
      complexity: { field: 1, multiplier: 4 },
      resolve: async (c, args, ctx) =>
        selectImages(await imagesOfCase(ctx).load(c.id), {
          laterality: args.laterality ?? undefined,
          view: args.view ?? undefined,
        }),
    }),
  }),
});

type Neighbours = { previous: CaseShape | null; next: CaseShape | null; nextUnlabelled: CaseShape | null };
const CaseNeighboursRef = builder.objectRef<Neighbours>("CaseNeighbours").implement({
  description: "The cases around this one in the case list (accession key order), among those the viewer sees",
  fields: (t) => ({
    previous: t.field({ type: CaseRef, nullable: true, resolve: (n) => n.previous }),
    next: t.field({ type: CaseRef, nullable: true, resolve: (n) => n.next }),
    nextUnlabelled: t.field({
      type: CaseRef,
      nullable: true,
      description: "The next case without a pathology label (from the first again past the last)",
      resolve: (n) => n.nextUnlabelled,
    }),
  }),
});
builder.objectField(CaseRef, "neighbours", (t) =>
  t.field({
    type: CaseNeighboursRef,
    description: "Previous, next and next unlabelled case, for working through cases in order",
    // Three or four queries of its own (and their patients): priced so, so that the neighbours of a
    // page of cases' neighbours go over the complexity limit while one case's or one page's do not.
    complexity: 50,
    resolve: (c, _args, ctx) => caseNeighbours(ctx.db, requireViewer(ctx), c),
  }),
);

export const CaseLabelStatusEnum = builder.enumType("CaseLabelStatus", {
  description:
    "ADJUDICATED: a current consensus decision; LABELLED: current labels all agree; CONFLICT: they disagree; UNLABELLED: none (retracted and corrected labels are not current)",
  values: LABEL_STATUSES,
});

const CaseFilterInput = builder.inputType("CaseFilter", {
  fields: (t) => ({
    siteId: t.globalID({ required: false, for: SiteRef }),
    subtype: t.field({ type: SubtypeEnum, required: false, description: "The case's truth (see Case.truth)" }),
    labelStatus: t.field({ type: CaseLabelStatusEnum, required: false }),
    datasetVersionId: t.globalID({ required: false, description: "Cases with images in this frozen dataset version" }),
    studyId: t.globalID({ required: false, description: "Cases of this reader study" }),
    search: t.string({ required: false, description: "Part of the case's accession key (any case)" }),
  }),
});

const encodeCursor = (c: CaseCursor) => Buffer.from(JSON.stringify([c.accessionKey, c.id])).toString("base64url");
function decodeCursor(cursor: string): CaseCursor {
  try {
    const [accessionKey, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as [string, string];
    if (typeof accessionKey !== "string" || typeof id !== "string") throw new Error();
    return { accessionKey, id };
  } catch {
    throw new AppError("VALIDATION", "cursor: not a cursor this API issued", { field: "cursor" });
  }
}

function idOfType(
  id: { typename: string; id: string } | null | undefined,
  typename: string,
  field: string,
): string | undefined {
  if (!id) return undefined;
  if (id.typename !== typename) throw new AppError("VALIDATION", `${field}: not the id of a ${typename}`, { field });
  return id.id;
}

builder.queryField("cases", (t) =>
  t.connection({
    type: CaseRef,
    authScopes: { authenticated: true },
    description:
      "Cases the viewer may see (non-reader roles at the case's site; not the cases of an open study they read), by accession key",
    args: {
      siteId: t.arg.globalID({ required: false, for: SiteRef, description: "Shorthand for filter.siteId" }),
      filter: t.arg({ type: CaseFilterInput, required: false }),
    },
    complexity: (args) => ({ field: 1, multiplier: Math.min(args.first ?? args.last ?? 20, 100) }),
    resolve: (_root, args, ctx) => {
      const filter = {
        siteId: args.filter?.siteId?.id ?? args.siteId?.id,
        subtype: args.filter?.subtype ?? undefined,
        labelStatus: args.filter?.labelStatus ?? undefined,
        datasetVersionId: idOfType(args.filter?.datasetVersionId, "DatasetVersion", "filter.datasetVersionId"),
        studyId: idOfType(args.filter?.studyId, "ReaderStudy", "filter.studyId"),
        search: args.filter?.search ?? undefined,
      };
      return resolveCursorConnection(
        { args, toCursor: (c: CaseShape) => encodeCursor(c), defaultSize: 20, maxSize: 100 },
        ({ before, after, limit, inverted }: ResolveCursorConnectionArgs) =>
          listCases(ctx.db, requireViewer(ctx), {
            filter,
            limit,
            inverted,
            after: after ? decodeCursor(after) : undefined,
            before: before ? decodeCursor(before) : undefined,
          }),
      );
    },
  }),
);

builder.queryField("case", (t) =>
  t.field({
    type: CaseRef,
    authScopes: { authenticated: true },
    args: { id: t.arg.globalID({ required: true, for: CaseRef }) },
    resolve: (_root, args, ctx) => getCase(ctx.db, requireViewer(ctx), args.id.id),
  }),
);

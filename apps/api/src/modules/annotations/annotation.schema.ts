import { AnnotationPurpose, type Annotation } from "@mammo/db";
import { builder } from "../../graphql/builder.ts";
import { requireViewer, type GraphQLContext } from "../../graphql/context.ts";
import { requestLoader } from "../../graphql/request-loader.ts";
import { ImageRef, visibleImages } from "../cases/case.schema.ts";
import { FindingRef, visibleFindings } from "../pathology/finding.schema.ts";
import { RoiShapeEnum } from "../reading/reading.schema.ts";
import { userSummaries, UserSummaryRef } from "../users/user.schema.ts";
import {
  createAnnotation,
  deleteAnnotation,
  loadAnnotationsByFindingIds,
  loadAnnotationsByImageIds,
  loadVisibleAnnotations,
  updateAnnotation,
} from "./annotation.service.ts";

export const AnnotationPurposeEnum = builder.enumType(AnnotationPurpose, { name: "AnnotationPurpose" });

const annotationsOfImage = (ctx: GraphQLContext) =>
  requestLoader(ctx, "annotationsByImage", (ids: readonly string[]) =>
    loadAnnotationsByImageIds(ctx.db, ctx.viewer, ids),
  );

export const AnnotationRef = builder.objectRef<Annotation>("Annotation");
builder.node(AnnotationRef, {
  id: { resolve: (a) => a.id },
  description: "A region of interest in the image's pixel coordinates (origin top-left, x right, y down)",
  loadMany: (ids, ctx) => loadVisibleAnnotations(ctx.db, ctx.viewer, ids),
  fields: (t) => ({
    purpose: t.expose("purpose", { type: AnnotationPurposeEnum }),
    shape: t.expose("shape", { type: RoiShapeEnum }),
    geometry: t.expose("geometry", {
      type: "JSON",
      description:
        "POINT {x,y}; BOX {x,y,width,height}; ELLIPSE {cx,cy,rx,ry,rotationRad}; POLYGON {points:[[x,y],...]}",
    }),
    note: t.exposeString("note", { nullable: true }),
    author: t.field({ type: UserSummaryRef, resolve: (a, _args, ctx) => userSummaries(ctx).load(a.authorId) }),
    image: t.field({
      type: ImageRef,
      resolve: async (a, _args, ctx) => (await visibleImages(ctx).load(a.imageId))!,
    }),
    finding: t.field({
      type: FindingRef,
      nullable: true,
      description: "The finding this region outlines (the same lesion may be outlined in CC and MLO)",
      resolve: async (a, _args, ctx) => (a.findingId ? ((await visibleFindings(ctx).load(a.findingId)) ?? null) : null),
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    deletedAt: t.expose("deletedAt", { type: "DateTime", nullable: true }),
  }),
});

builder.objectFields(ImageRef, (t) => ({
  annotations: t.field({
    type: [AnnotationRef],
    description: "The image's regions of interest (deleted ones left out), oldest first",
    complexity: { field: 1, multiplier: 5 },
    resolve: (image, _args, ctx) => annotationsOfImage(ctx).load(image.id),
  }),
}));

builder.objectFields(FindingRef, (t) => ({
  regions: t.field({
    type: [AnnotationRef],
    description: "The regions outlining this finding on its breast's images (deleted ones left out), oldest first",
    complexity: { field: 1, multiplier: 4 },
    resolve: (f, _args, ctx) =>
      requestLoader(ctx, "annotationsByFinding", (ids: readonly string[]) =>
        loadAnnotationsByFindingIds(ctx.db, ctx.viewer, ids),
      ).load(f.id),
  }),
}));

const CreateAnnotationInput = builder.inputType("CreateAnnotationInput", {
  fields: (t) => ({
    imageId: t.globalID({ required: true, for: ImageRef }),
    purpose: t.field({ type: AnnotationPurposeEnum, required: true }),
    shape: t.field({ type: RoiShapeEnum, required: true }),
    geometry: t.field({ type: "JSON", required: true }),
    findingId: t.globalID({ required: false, for: FindingRef, description: "The finding it outlines" }),
    note: t.string({ required: false }),
  }),
});

const UpdateAnnotationInput = builder.inputType("UpdateAnnotationInput", {
  fields: (t) => ({
    annotationId: t.globalID({ required: true, for: AnnotationRef }),
    purpose: t.field({ type: AnnotationPurposeEnum, required: false }),
    shape: t.field({ type: RoiShapeEnum, required: false, description: "With geometry" }),
    geometry: t.field({ type: "JSON", required: false, description: "With shape" }),
    findingId: t.globalID({ required: false, for: FindingRef, description: "null unlinks" }),
    note: t.string({ required: false }),
  }),
});

builder.mutationField("createAnnotation", (t) =>
  t.field({
    type: AnnotationRef,
    authScopes: { authenticated: true },
    description: "Draws a region on an image (annotators of the case's site)",
    args: { input: t.arg({ type: CreateAnnotationInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createAnnotation(
        ctx.db,
        requireViewer(ctx),
        {
          imageId: input.imageId.id,
          purpose: input.purpose,
          shape: input.shape,
          geometry: input.geometry,
          findingId: input.findingId?.id,
          note: input.note ?? undefined,
        },
        { requestId: ctx.requestId },
      ),
  }),
);

builder.mutationField("updateAnnotation", (t) =>
  t.field({
    type: AnnotationRef,
    authScopes: { authenticated: true },
    description: "Changes one's own region",
    args: { input: t.arg({ type: UpdateAnnotationInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      updateAnnotation(
        ctx.db,
        requireViewer(ctx),
        {
          annotationId: input.annotationId.id,
          purpose: input.purpose ?? undefined,
          shape: input.shape ?? undefined,
          geometry: input.geometry ?? undefined,
          findingId: input.findingId === null ? null : input.findingId?.id,
          note: input.note,
        },
        { requestId: ctx.requestId },
      ),
  }),
);

builder.mutationField("deleteAnnotation", (t) =>
  t.field({
    type: AnnotationRef,
    authScopes: { authenticated: true },
    description: "Removes one's own region (kept as history, hidden from lists)",
    args: { id: t.arg.globalID({ required: true, for: AnnotationRef }) },
    resolve: (_root, args, ctx) =>
      deleteAnnotation(ctx.db, requireViewer(ctx), args.id.id, { requestId: ctx.requestId }),
  }),
);

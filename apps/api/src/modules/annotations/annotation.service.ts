import { AnnotationPurpose, RoiShape, type Db, type Prisma, type Tx } from "@mammo/db";
import { z } from "zod";
import { hasRole, type Viewer } from "../../auth/viewer.ts";
import { AppError, forbidden, notFound } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { visibleCasesWhere } from "../cases/case.service.ts";
import { parseRoiGeometry, type RoiGeometry } from "../reading/roi-geometry.ts";

// Regions of interest in the stored image's pixel coordinates (origin at the top-left pixel's
// corner, x right, y down; see Annotation in schema.prisma). Annotators of the case's site draw
// them; only the author edits or deletes (softly: `deletedAt`) their own.

/**
 * The reading module's shape check (the same convention), plus what an outline on the image
 * itself needs: an ellipse wholly inside the image (its rotated extent, not only its centre) and
 * a polygon that encloses an area.
 */
export function parseAnnotationGeometry(
  shape: RoiShape,
  geometry: unknown,
  image: { widthPx: number; heightPx: number },
): RoiGeometry {
  const g = parseRoiGeometry(shape, geometry, image, "geometry");
  const outside = () =>
    new AppError("VALIDATION", `geometry: the region lies outside the ${image.widthPx}x${image.heightPx} image`, {
      field: "geometry",
    });
  if (shape === "ELLIPSE") {
    const { cx, cy, rx, ry, rotationRad } = g as {
      cx: number;
      cy: number;
      rx: number;
      ry: number;
      rotationRad: number;
    };
    const [c, s] = [Math.cos(rotationRad), Math.sin(rotationRad)];
    const halfWidth = Math.hypot(rx * c, ry * s);
    const halfHeight = Math.hypot(rx * s, ry * c);
    if (cx - halfWidth < 0 || cy - halfHeight < 0 || cx + halfWidth > image.widthPx || cy + halfHeight > image.heightPx)
      throw outside();
  }
  if (shape === "POLYGON") {
    const points = (g as { points: [number, number][] }).points;
    const twiceArea = points.reduce((sum, [x, y], i) => {
      const [nx, ny] = points[(i + 1) % points.length]!;
      return sum + x * ny - nx * y;
    }, 0);
    if (Math.abs(twiceArea) < 1e-9)
      throw new AppError("VALIDATION", "geometry.points: the polygon encloses no area", { field: "geometry" });
  }
  return g;
}

const createInput = z.object({
  imageId: z.uuid(),
  purpose: z.enum(AnnotationPurpose),
  shape: z.enum(RoiShape),
  geometry: z.unknown(),
  findingId: z.uuid().optional(),
  note: z.string().trim().max(2000).optional(),
});

async function visibleImage(tx: Tx, viewer: Viewer, imageId: string) {
  const image = await tx.image.findFirst({
    where: { id: imageId, case: visibleCasesWhere(viewer) },
    include: { case: { select: { siteId: true } } },
  });
  if (!image) throw notFound("image");
  return image;
}

/** A region of a finding lies on an image of the finding's own breast. */
async function assertFindingOfImage(
  tx: Tx,
  findingId: string | undefined,
  image: { caseId: string; laterality: "R" | "L" },
) {
  if (!findingId) return;
  const finding = await tx.finding.findFirst({ where: { id: findingId, caseId: image.caseId } });
  if (!finding)
    throw new AppError("VALIDATION", "findingId: not a finding of this image's case", { field: "findingId" });
  if (finding.laterality && finding.laterality !== image.laterality)
    throw new AppError(
      "VALIDATION",
      `findingId: finding ${finding.key} is in the ${finding.laterality} breast, the image shows the ${image.laterality}`,
      { field: "findingId" },
    );
}

export async function createAnnotation(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof createInput>,
  audit: { requestId?: string } = {},
) {
  const args = parseInput(createInput, input);
  return db.$transaction(async (tx) => {
    const image = await visibleImage(tx, viewer, args.imageId);
    if (!hasRole(viewer, image.case.siteId, "ANNOTATOR"))
      throw forbidden("only annotators of the case's site can draw regions");
    const geometry = parseAnnotationGeometry(args.shape, args.geometry, image);
    await assertFindingOfImage(tx, args.findingId, image);
    const annotation = await tx.annotation.create({
      data: {
        imageId: image.id,
        authorId: viewer.userId,
        purpose: args.purpose,
        shape: args.shape,
        geometry: geometry as Prisma.InputJsonValue,
        findingId: args.findingId,
        note: args.note || null,
      },
    });
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: image.case.siteId,
      action: "annotation.create",
      entityType: "Annotation",
      entityId: annotation.id,
      after: annotation,
      requestId: audit.requestId,
    });
    return annotation;
  });
}

const updateInput = z
  .object({
    annotationId: z.uuid(),
    purpose: z.enum(AnnotationPurpose).optional(),
    shape: z.enum(RoiShape).optional(),
    geometry: z.unknown().optional(),
    findingId: z.uuid().nullable().optional(),
    note: z.string().trim().max(2000).nullable().optional(),
  })
  .refine((a) => (a.shape === undefined) === (a.geometry === undefined), {
    message: "give shape and geometry together",
    path: ["geometry"],
  });

/** The author's own, not deleted annotation, locked for the change. */
async function ownAnnotation(tx: Tx, viewer: Viewer, annotationId: string) {
  const annotation = await tx.annotation.findFirst({
    where: { id: annotationId, deletedAt: null, image: { case: visibleCasesWhere(viewer) } },
    include: { image: { include: { case: { select: { siteId: true } } } } },
  });
  if (!annotation) throw notFound("annotation");
  if (annotation.authorId !== viewer.userId || !hasRole(viewer, annotation.image.case.siteId, "ANNOTATOR")) {
    throw forbidden("only the annotator who drew a region can change it");
  }
  await tx.$queryRaw`SELECT 1 FROM "Annotation" WHERE id = ${annotation.id}::uuid FOR UPDATE`;
  return annotation;
}

export async function updateAnnotation(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof updateInput>,
  audit: { requestId?: string } = {},
) {
  const args = parseInput(updateInput, input);
  return db.$transaction(async (tx) => {
    const { image, ...before } = await ownAnnotation(tx, viewer, args.annotationId);
    const geometry = args.shape ? parseAnnotationGeometry(args.shape, args.geometry, image) : undefined;
    if (args.findingId) await assertFindingOfImage(tx, args.findingId, image);
    const after = await tx.annotation.update({
      where: { id: before.id },
      data: {
        purpose: args.purpose,
        shape: args.shape,
        geometry: geometry as Prisma.InputJsonValue | undefined,
        findingId: args.findingId,
        note: args.note === undefined ? undefined : args.note || null,
      },
    });
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: image.case.siteId,
      action: "annotation.update",
      entityType: "Annotation",
      entityId: after.id,
      before,
      after,
      requestId: audit.requestId,
    });
    return after;
  });
}

/** Soft delete: the row stays (history, concordance results refer to it), hidden from lists. */
export async function deleteAnnotation(
  db: Db,
  viewer: Viewer,
  annotationId: string,
  audit: { requestId?: string } = {},
) {
  const id = parseInput(z.uuid(), annotationId);
  return db.$transaction(async (tx) => {
    const { image, ...before } = await ownAnnotation(tx, viewer, id);
    const after = await tx.annotation.update({ where: { id }, data: { deletedAt: new Date() } });
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: image.case.siteId,
      action: "annotation.delete",
      entityType: "Annotation",
      entityId: id,
      before,
      after,
      requestId: audit.requestId,
    });
    return after;
  });
}

/** Current annotations of many images, oldest first (data loader); visible cases only. */
export async function loadAnnotationsByImageIds(db: Db, viewer: Viewer | null, imageIds: readonly string[]) {
  if (!viewer) return imageIds.map(() => []);
  const rows = await db.annotation.findMany({
    where: { imageId: { in: [...imageIds] }, deletedAt: null, image: { case: visibleCasesWhere(viewer) } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return imageIds.map((id) => rows.filter((a) => a.imageId === id));
}

/** Current regions of many findings, oldest first (data loader); visible cases only. */
export async function loadAnnotationsByFindingIds(db: Db, viewer: Viewer | null, findingIds: readonly string[]) {
  if (!viewer) return findingIds.map(() => []);
  const rows = await db.annotation.findMany({
    where: { findingId: { in: [...findingIds] }, deletedAt: null, image: { case: visibleCasesWhere(viewer) } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  return findingIds.map((id) => rows.filter((a) => a.findingId === id));
}

/** Annotations by id (node lookup; deleted ones too, marked); visible cases only. */
export async function loadVisibleAnnotations(db: Db, viewer: Viewer | null, ids: readonly string[]) {
  if (!viewer) return ids.map(() => null);
  const rows = await db.annotation.findMany({
    where: { id: { in: [...ids] }, image: { case: visibleCasesWhere(viewer) } },
  });
  return ids.map((id) => rows.find((a) => a.id === id) ?? null);
}

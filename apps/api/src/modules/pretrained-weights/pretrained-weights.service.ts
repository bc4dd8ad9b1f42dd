import type { Db, Prisma } from "@mammo/db";
import { PretrainedWeightsError, registerPretrainedWeights } from "@mammo/pretrained-weights";
import type { BlobStore } from "@mammo/storage";
import { z } from "zod";
import { hasRole, siteIdsWithRole, type Viewer } from "../../auth/viewer.ts";
import { AppError } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";

/** Registered weights are the business of the ML engineers of their site. */
export function visiblePretrainedWeightsWhere(viewer: Viewer): Prisma.PretrainedWeightsWhereInput {
  return { siteId: { in: siteIdsWithRole(viewer, "ML_ENGINEER") } };
}

export const pretrainedWeightsInclude = {
  createdBy: { select: { name: true } },
} satisfies Prisma.PretrainedWeightsInclude;
export type PretrainedWeightsRow = Prisma.PretrainedWeightsGetPayload<{ include: typeof pretrainedWeightsInclude }>;

/** The registry's refusals as the API's errors (the field names the upload part or parameter). */
export function toAppError(error: unknown): unknown {
  if (!(error instanceof PretrainedWeightsError)) return error;
  return new AppError(error.code, error.message, { field: error.field });
}

const listInput = z.object({ siteId: z.uuid().optional() });

/** The weights registered at the viewer's sites (where they are ML engineer), newest first. */
export async function listPretrainedWeights(db: Db, viewer: Viewer, input: z.input<typeof listInput>) {
  const args = parseInput(listInput, input);
  return db.pretrainedWeights.findMany({
    where: { AND: [visiblePretrainedWeightsWhere(viewer), args.siteId ? { siteId: args.siteId } : {}] },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    include: pretrainedWeightsInclude,
  });
}

export async function loadVisiblePretrainedWeights(db: Db, viewer: Viewer | null, ids: readonly string[]) {
  if (!viewer) return ids.map(() => null);
  const rows = await db.pretrainedWeights.findMany({
    where: { AND: [{ id: { in: [...ids] } }, visiblePretrainedWeightsWhere(viewer)] },
    include: pretrainedWeightsInclude,
  });
  return ids.map((id) => rows.find((r) => r.id === id) ?? null);
}

/**
 * Who may register weights at a site (POST /pretrained-weights decides it from the query before
 * reading the body): its ML engineers. A site the viewer has no role at answers as an unknown one.
 */
export async function siteForWeightsUpload(db: Db, viewer: Viewer, siteCode: string) {
  const site = siteCode ? await db.site.findUnique({ where: { code: siteCode } }) : null;
  if (!site || !hasRole(viewer, site.id)) throw new AppError("NOT_FOUND", "site not found", { field: "site" });
  if (!hasRole(viewer, site.id, "ML_ENGINEER"))
    throw new AppError("FORBIDDEN", "only ML engineers of the site can register weights");
  return site;
}

/** Registers an uploaded weights file at a site the viewer may register at (siteForWeightsUpload). */
export async function registerUploadedWeights(
  db: Db,
  blobs: BlobStore,
  viewer: Viewer,
  site: { id: string },
  input: { bytes: Uint8Array; fileName: string; name?: string; source: string; licence: string },
  requestId?: string,
) {
  if (!hasRole(viewer, site.id, "ML_ENGINEER"))
    throw new AppError("FORBIDDEN", "only ML engineers of the site can register weights");
  try {
    return await registerPretrainedWeights(db, blobs, { ...input, siteId: site.id, actorId: viewer.userId, requestId });
  } catch (error) {
    throw toAppError(error);
  }
}

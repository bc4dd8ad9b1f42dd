import type { Db, Prisma } from "@mammo/db";
import { z } from "zod";
import { hasRole, siteIdsWithRole, type Viewer } from "../../auth/viewer.ts";
import { AppError, forbidden, notFound } from "../../errors/app-error.ts";
import { parseInput } from "../../errors/parse-input.ts";
import { recordAudit } from "../audit/audit.service.ts";
import { createdAtPageQuery, type CreatedAtPage } from "../studies/created-at-page.ts";
import { MODEL_VIEW_ROLES, visibleModelVersionsWhere } from "./model-access.ts";

export const modelVersionInclude = {
  datasetVersion: {
    select: {
      id: true,
      version: true,
      digest: true,
      itemCount: true,
      frozenAt: true,
      dataset: { select: { id: true, name: true } },
    },
  },
  createdBy: { select: { name: true } },
  pretrainedWeights: { select: { id: true, name: true, sha256: true, source: true, licence: true, fileName: true } },
} satisfies Prisma.ModelVersionInclude;

export type ModelVersionWithLineage = Prisma.ModelVersionGetPayload<{ include: typeof modelVersionInclude }>;

const listInput = z.object({ siteId: z.uuid().optional(), name: z.string().trim().min(1).max(200).optional() });

/** A page of the model versions the viewer may see, newest first. */
export async function listModelVersions(db: Db, viewer: Viewer, input: z.input<typeof listInput>, page: CreatedAtPage) {
  const args = parseInput(listInput, input);
  const query = createdAtPageQuery(page);
  return db.modelVersion.findMany({
    where: {
      AND: [
        visibleModelVersionsWhere(viewer),
        args.siteId ? { siteId: args.siteId } : {},
        args.name ? { name: args.name } : {},
        ...query.where,
      ],
    },
    orderBy: query.orderBy,
    take: query.take,
    include: modelVersionInclude,
  });
}

export async function getModelVersion(db: Db, viewer: Viewer, modelVersionId: string) {
  const id = parseInput(z.uuid(), modelVersionId);
  const found = await db.modelVersion.findFirst({
    where: { AND: [{ id }, visibleModelVersionsWhere(viewer)] },
    include: modelVersionInclude,
  });
  if (!found) throw notFound("model version");
  return found;
}

/** Model versions by id for node lookup and data loaders: invisible ones come back null. */
export async function loadVisibleModelVersions(db: Db, viewer: Viewer | null, ids: readonly string[]) {
  if (!viewer) return ids.map(() => null);
  const rows = await db.modelVersion.findMany({
    where: { AND: [{ id: { in: [...ids] } }, visibleModelVersionsWhere(viewer)] },
    include: modelVersionInclude,
  });
  return ids.map((id) => rows.find((r) => r.id === id) ?? null);
}

/** Aliases of many model versions (data loader). Caller has authorised the model versions. */
export async function loadAliasesByModelVersionIds(db: Db, ids: readonly string[]) {
  const aliases = await db.modelAlias.findMany({
    where: { modelVersionId: { in: [...ids] } },
    orderBy: { alias: "asc" },
  });
  return ids.map((id) => aliases.filter((a) => a.modelVersionId === id));
}

const listAliasesInput = z.object({
  siteId: z.uuid().optional(),
  modelName: z.string().trim().min(1).max(200).optional(),
});

export async function listModelAliases(db: Db, viewer: Viewer, input: z.input<typeof listAliasesInput>) {
  const args = parseInput(listAliasesInput, input);
  const siteIds = siteIdsWithRole(viewer, ...MODEL_VIEW_ROLES);
  return db.modelAlias.findMany({
    where: {
      siteId: { in: args.siteId ? siteIds.filter((s) => s === args.siteId) : siteIds },
      ...(args.modelName ? { modelName: args.modelName } : {}),
    },
    orderBy: [{ modelName: "asc" }, { alias: "asc" }],
  });
}

const aliasName = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9-]{0,39}$/, "lower-case letters, digits and dashes, starting with a letter (e.g. production)");

const setAliasInput = z.object({ modelVersionId: z.uuid(), alias: aliasName });

/**
 * Points an alias ("production", "staging") of a model family at a version, creating or moving
 * it. ML engineers of the model's site only; the audit event keeps where it pointed before.
 */
export async function setModelAlias(db: Db, viewer: Viewer, input: z.input<typeof setAliasInput>, requestId?: string) {
  const args = parseInput(setAliasInput, input);
  return db.$transaction(async (tx) => {
    const model = await tx.modelVersion.findFirst({
      where: { AND: [{ id: args.modelVersionId }, visibleModelVersionsWhere(viewer)] },
    });
    if (!model) throw notFound("model version");
    if (!hasRole(viewer, model.siteId, "ML_ENGINEER"))
      throw forbidden("only ML engineers of the model's site can move its aliases");
    const key = { siteId_modelName_alias: { siteId: model.siteId, modelName: model.name, alias: args.alias } };
    const before = await tx.modelAlias.findUnique({ where: key });
    const after = await tx.modelAlias.upsert({
      where: key,
      create: {
        siteId: model.siteId,
        modelName: model.name,
        alias: args.alias,
        modelVersionId: model.id,
        updatedById: viewer.userId,
      },
      update: { modelVersionId: model.id, updatedById: viewer.userId, updatedAt: new Date() },
    });
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: model.siteId,
      action: before ? "modelAlias.move" : "modelAlias.create",
      entityType: "ModelAlias",
      entityId: after.id,
      before,
      after,
      requestId,
    });
    return after;
  });
}

const removeAliasInput = z.object({ siteId: z.uuid(), modelName: z.string().trim().min(1).max(200), alias: aliasName });

export async function removeModelAlias(
  db: Db,
  viewer: Viewer,
  input: z.input<typeof removeAliasInput>,
  requestId?: string,
) {
  const args = parseInput(removeAliasInput, input);
  return db.$transaction(async (tx) => {
    const alias = await tx.modelAlias.findFirst({
      where: {
        siteId: { in: siteIdsWithRole(viewer, ...MODEL_VIEW_ROLES) },
        AND: [{ siteId: args.siteId }],
        modelName: args.modelName,
        alias: args.alias,
      },
    });
    if (!alias) throw notFound("model alias");
    if (!hasRole(viewer, alias.siteId, "ML_ENGINEER"))
      throw forbidden("only ML engineers of the model's site can remove its aliases");
    await tx.modelAlias.delete({ where: { id: alias.id } });
    await recordAudit(tx, {
      actorId: viewer.userId,
      siteId: alias.siteId,
      action: "modelAlias.delete",
      entityType: "ModelAlias",
      entityId: alias.id,
      before: alias,
      requestId,
    });
    return alias;
  });
}

/** The model version if the viewer may see it (NOT_FOUND naming the input field otherwise); callers check roles. */
export async function getVisibleModelVersion(
  db: Db | Prisma.TransactionClient,
  viewer: Viewer,
  modelVersionId: string,
) {
  const model = await db.modelVersion.findFirst({
    where: { AND: [{ id: modelVersionId }, visibleModelVersionsWhere(viewer)] },
  });
  if (!model) throw new AppError("NOT_FOUND", "modelVersionId: model version not found", { field: "modelVersionId" });
  return model;
}

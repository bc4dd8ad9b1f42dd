import { createHash } from "node:crypto";
import { Prisma, type Db, type PretrainedWeights } from "@mammo/db";
import { MlCoreError } from "@mammo/ml-core/errors";
import { readKerasH5Weights, vgg16ConvWeights } from "@mammo/ml-core/weights-file";
import type { BlobStore } from "@mammo/storage";
import { PretrainedWeightsError } from "./weights-error.ts";

export const WEIGHTS_MEDIA_TYPE = "application/x-hdf5";

export type RegisterWeightsInput = {
  siteId: string;
  actorId: string;
  bytes: Uint8Array;
  /** As uploaded; recorded only (never a path). */
  fileName: string;
  name?: string;
  source: string;
  licence: string;
  requestId?: string;
};

const text = (field: string, value: string | undefined, max: number, required = true): string => {
  const trimmed = (value ?? "").trim();
  if (required && trimmed.length === 0)
    throw new PretrainedWeightsError(
      "VALIDATION",
      `${field}: required (say where the file comes from and its licence)`,
      field,
    );
  if (trimmed.length > max)
    throw new PretrainedWeightsError("VALIDATION", `${field}: at most ${max} characters`, field);
  if (trimmed.includes("\u0000"))
    throw new PretrainedWeightsError("VALIDATION", `${field}: contains a NUL byte`, field);
  return trimmed;
};

/**
 * Registers a weights file at a site: checks that it is a Keras .h5 with VGG-16's 13
 * convolutions in their shapes (the error names the layer and both shapes), stores it
 * content-addressed in the blob store, and records the PretrainedWeights row with its digest,
 * source and licence, and the audit event, in one transaction. The same file twice at a site is
 * refused, naming the registration it already has. The caller has checked the actor's role.
 */
export async function registerPretrainedWeights(
  db: Db,
  blobs: BlobStore,
  input: RegisterWeightsInput,
): Promise<PretrainedWeights> {
  const source = text("source", input.source, 500);
  const licence = text("licence", input.licence, 200);
  const fileName = text("fileName", input.fileName, 255, false) || "weights.h5";
  const name = text("name", input.name ?? fileName.replace(/\.h5$/i, ""), 200);
  let layers: string[];
  try {
    const file = await readKerasH5Weights(input.bytes, fileName);
    layers = vgg16ConvWeights(file, fileName).map((c) => c.layer);
  } catch (error) {
    if (error instanceof MlCoreError) throw new PretrainedWeightsError("VALIDATION", error.message, "file");
    throw error;
  }
  const sha256 = createHash("sha256").update(input.bytes).digest("hex");
  const already = await db.pretrainedWeights.findUnique({ where: { siteId_sha256: { siteId: input.siteId, sha256 } } });
  if (already)
    throw new PretrainedWeightsError(
      "CONFLICT",
      `this file is already registered at the site as "${already.name}" (sha256 ${sha256})`,
      "file",
    );
  const stored = await blobs.put(input.bytes);
  try {
    return await db.$transaction(async (tx) => {
      await tx.blob.upsert({
        where: { sha256: stored.sha256 },
        create: { sha256: stored.sha256, sizeBytes: BigInt(stored.sizeBytes), mediaType: WEIGHTS_MEDIA_TYPE },
        update: {},
      });
      const row = await tx.pretrainedWeights.create({
        data: {
          siteId: input.siteId,
          name,
          architecture: "vgg16",
          format: "keras-h5",
          sha256,
          sizeBytes: BigInt(input.bytes.byteLength),
          fileName,
          source,
          licence,
          layers,
          createdById: input.actorId,
        },
      });
      await tx.auditEvent.create({
        data: {
          actorId: input.actorId,
          siteId: input.siteId,
          action: "pretrainedWeights.register",
          entityType: "PretrainedWeights",
          entityId: row.id,
          after: { ...row, sizeBytes: row.sizeBytes.toString() },
          requestId: input.requestId,
        },
      });
      return row;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002")
      throw new PretrainedWeightsError(
        "CONFLICT",
        `the site already has weights named "${name}" (or this file)`,
        "name",
      );
    throw error;
  }
}

import { Prisma, type Db, type Tx } from "@mammo/db";
import type { BlobStore, PutResult } from "@mammo/storage";
import { dateShiftDaysFor } from "../deid/pseudonyms.ts";
import { describeThrown, ImagingError, isImagingError } from "../errors.ts";
import { ingestFile, type IngestedImage } from "../ingest/ingest-file.ts";
import { DEFAULT_IMAGING_LIMITS, type ImagingLimits } from "../limits.ts";
import { addLabels, addRegion, planFindings, upsertFindings, type PlacedRow } from "./import-findings.ts";
import { parseManifest, roiBounds, type ManifestRow, type RowError } from "./manifest.ts";

export type ImportDeps = { db: Db; blobs: BlobStore; deidSecret: string; limits?: ImagingLimits };

export type ImportInput = {
  actorUserId: string;
  siteId: string;
  source: "cli" | "api" | "pacs";
  manifestName?: string;
  manifestCsv: string | Uint8Array;
  /** Reads a file named in the manifest; throws ImagingError (FILE_NOT_FOUND, INVALID_FILE_NAME...) */
  readFile: (name: string) => Promise<Uint8Array>;
  requestId?: string;
};

export type ImportSummary = {
  batchId: string;
  status: "SUCCEEDED" | "FAILED";
  caseCount: number;
  imageCount: number;
  quarantinedCount: number;
  /** Images already imported (same content in the same case): their rows' new labels and regions still apply. */
  skippedDuplicateCount: number;
  labelCount: number;
  regionCount: number;
  errorCount: number;
  errors: RowError[];
};

/** Roles that may import images into a site. */
export const IMPORT_ROLES = ["ADMIN", "COORDINATOR"] as const;

/**
 * Imports a folder of images described by a manifest into a site, as a user. Each case (exam)
 * is written in its own transaction with its audit event: a case with any bad row or file is
 * skipped whole (no rows, its new blobs removed) and its errors recorded by row in the
 * ImportBatch; the other cases still import. Files are de-identified before anything is stored.
 */
export async function importManifest(deps: ImportDeps, input: ImportInput): Promise<ImportSummary> {
  const { db } = deps;
  const membership = await db.membership.findFirst({
    where: {
      userId: input.actorUserId,
      siteId: input.siteId,
      role: { in: [...IMPORT_ROLES] },
      user: { disabledAt: null },
    },
  });
  if (!membership)
    throw new ImagingError("FORBIDDEN", "importing images needs the ADMIN or COORDINATOR role at the site");
  const { rows, errors, refusedCaseKeys } = parseManifest(input.manifestCsv);

  const batch = await db.$transaction(async (tx) => {
    const created = await tx.importBatch.create({
      data: {
        siteId: input.siteId,
        createdById: input.actorUserId,
        source: input.source,
        manifestName: input.manifestName?.slice(0, 200),
      },
    });
    await audit(tx, input, "importBatch.start", "ImportBatch", created.id, {
      source: input.source,
      manifestName: input.manifestName,
      rowCount: rows.length + errors.length,
    });
    return created;
  });

  const summary: ImportSummary = {
    batchId: batch.id,
    status: "SUCCEEDED",
    caseCount: 0,
    imageCount: 0,
    quarantinedCount: 0,
    skippedDuplicateCount: 0,
    labelCount: 0,
    regionCount: 0,
    errorCount: 0,
    errors: [...errors],
  };
  // A case with a bad manifest row is refused whole, like a case with a bad file.
  for (const [caseKey, caseRows] of groupBy(rows, (r) => r.caseKey)) {
    if (refusedCaseKeys.has(caseKey)) {
      for (const r of caseRows)
        summary.errors.push({
          row: r.row,
          file: r.file,
          code: "CASE_REFUSED",
          message: `case ${caseKey} has an invalid row; none of its rows were imported`,
        });
      continue;
    }
    const result = await importCase(deps, input, batch.id, caseKey, caseRows);
    if ("errors" in result) summary.errors.push(...result.errors);
    else {
      summary.caseCount++;
      summary.imageCount += result.imageCount;
      summary.quarantinedCount += result.quarantinedCount;
      summary.skippedDuplicateCount += result.skippedDuplicateCount;
      summary.labelCount += result.labelCount;
      summary.regionCount += result.regionCount;
    }
  }

  summary.errors.sort((a, b) => a.row - b.row);
  summary.errorCount = summary.errors.length;
  summary.status = summary.caseCount === 0 && summary.errorCount > 0 ? "FAILED" : "SUCCEEDED";
  await db.$transaction(async (tx) => {
    await tx.importBatch.update({
      where: { id: batch.id },
      data: {
        status: summary.status,
        imageCount: summary.imageCount,
        errorCount: summary.errorCount,
        errors: summary.errors as unknown as Prisma.InputJsonValue,
        finishedAt: new Date(),
      },
    });
    await audit(tx, input, "importBatch.finish", "ImportBatch", batch.id, {
      status: summary.status,
      caseCount: summary.caseCount,
      imageCount: summary.imageCount,
      labelCount: summary.labelCount,
      regionCount: summary.regionCount,
      errorCount: summary.errorCount,
    });
  });
  return summary;
}

type Prepared = {
  file: string;
  rows: ManifestRow[];
  image: IngestedImage;
  laterality: "R" | "L";
  view: "CC" | "MLO" | "OTHER";
  viewCode?: string;
};
type CaseResult =
  | {
      imageCount: number;
      quarantinedCount: number;
      skippedDuplicateCount: number;
      labelCount: number;
      regionCount: number;
    }
  | { errors: RowError[] };

async function importCase(
  deps: ImportDeps,
  input: ImportInput,
  batchId: string,
  caseKey: string,
  rows: ManifestRow[],
): Promise<CaseResult> {
  const { db, blobs } = deps;
  const errors: RowError[] = [];
  const patientKey = rows[0]!.patientKey;
  const otherPatient = rows.find((r) => r.patientKey !== patientKey);
  if (otherPatient)
    return {
      errors: rows.map((r) => ({
        row: r.row,
        file: r.file,
        code: "INVALID_MANIFEST",
        message: `case ${caseKey} lists two patients (${patientKey}, ${otherPatient.patientKey})`,
      })),
    };

  const existingPatient = await db.patient.findUnique({
    where: { siteId_pseudonym: { siteId: input.siteId, pseudonym: patientKey } },
  });
  const dateShiftDays = existingPatient?.dateShiftDays ?? dateShiftDaysFor(deps.deidSecret, input.siteId, patientKey);

  // 1. Read, check and de-identify every file of the case before anything is stored.
  const prepared: Prepared[] = [];
  for (const [file, fileRows] of groupBy(rows, (r) => r.file)) {
    const rowError = (code: string, message: string) =>
      errors.push(...fileRows.map((r) => ({ row: r.row, file, code, message })));
    try {
      const bytes = await input.readFile(file);
      const image = await ingestFile(
        bytes,
        { secret: deps.deidSecret, patientPseudonym: patientKey, dateShiftDays },
        deps.limits ?? DEFAULT_IMAGING_LIMITS,
      );
      const placement = resolvePlacement(image, fileRows);
      for (const r of fileRows) {
        if (!r.roi) continue;
        const b = roiBounds(r.roi.geometry);
        if (b.minX < 0 || b.minY < 0 || b.maxX > image.widthPx || b.maxY > image.heightPx) {
          throw new ImagingError(
            "INVALID_MANIFEST",
            `row ${r.row}: roi lies outside the ${image.widthPx}x${image.heightPx} image`,
          );
        }
      }
      prepared.push({ file, rows: fileRows, image, ...placement });
    } catch (error) {
      if (!isImagingError(error)) throw error;
      rowError(error.code, error.message);
    }
  }
  if (errors.length) return { errors: withCaseRefusal(rows, errors, caseKey) };
  const placedRows: PlacedRow[] = prepared.flatMap((p) => p.rows.map((r) => ({ ...r, laterality: p.laterality })));
  const findings = planFindings(placedRows);
  if (findings.errors.length) return { errors: withCaseRefusal(rows, findings.errors, caseKey) };

  // 2. Store the de-identified bytes (content-addressed), remembering which blobs are new here.
  const stored: PutResult[] = [];
  for (const p of prepared) stored.push(await blobs.put(p.image.storedBytes));

  // 3. All rows of the case in one transaction, with its audit event.
  try {
    return await db.$transaction(async (tx) => {
      const patient = await tx.patient.upsert({
        where: { siteId_pseudonym: { siteId: input.siteId, pseudonym: patientKey } },
        update: {},
        create: { siteId: input.siteId, pseudonym: patientKey, dateShiftDays },
      });
      const examDate = prepared.map((p) => p.image.examDate).find((d) => d !== undefined);
      let exam = await tx.case.findUnique({
        where: { siteId_accessionKey: { siteId: input.siteId, accessionKey: caseKey } },
      });
      if (exam && exam.patientId !== patient.id)
        throw new ImagingError("CONFLICT", `case ${caseKey} already exists for another patient`);
      exam ??= await tx.case.create({
        data: {
          siteId: input.siteId,
          patientId: patient.id,
          accessionKey: caseKey,
          examDate: examDate ? new Date(`${examDate}T00:00:00Z`) : null,
        },
      });

      const findingIds = await upsertFindings(tx, input.actorUserId, exam.id, caseKey, findings.plan);
      const labelCount = await addLabels(tx, input.actorUserId, findingIds, patient.dateShiftDays, placedRows);
      let imageCount = 0;
      let quarantinedCount = 0;
      let skippedDuplicateCount = 0;
      let regionCount = 0;
      for (const [i, p] of prepared.entries()) {
        const blob = stored[i]!;
        await tx.blob.createMany({
          data: [{ sha256: blob.sha256, sizeBytes: BigInt(blob.sizeBytes), mediaType: p.image.mediaType }],
          skipDuplicates: true,
        });
        const duplicate = await tx.image.findUnique({
          where: { caseId_contentSha256: { caseId: exam.id, contentSha256: blob.sha256 } },
        });
        if (duplicate) assertSamePlacement(duplicate, p);
        const image =
          duplicate ??
          (await tx.image.create({
            data: {
              caseId: exam.id,
              laterality: p.laterality,
              view: p.view,
              viewCode: p.viewCode,
              widthPx: p.image.widthPx,
              heightPx: p.image.heightPx,
              pixelSpacingRowMm: p.image.pixelSpacingRowMm,
              pixelSpacingColMm: p.image.pixelSpacingColMm,
              bitsStored: p.image.bitsStored,
              photometric: p.image.photometric,
              presentationIntent: p.image.presentationIntent,
              windowCenter: p.image.windowCenter,
              windowWidth: p.image.windowWidth,
              sourceFormat: p.image.sourceFormat,
              contentSha256: blob.sha256,
              storageKey: blob.key,
              sopInstanceUid: p.image.sopInstanceUid,
              status: p.image.quarantineReason ? "QUARANTINED" : "ACTIVE",
              quarantineReason: p.image.quarantineReason,
              importBatchId: batchId,
            },
          }));
        if (duplicate) skippedDuplicateCount++;
        else imageCount++;
        if (!duplicate && p.image.quarantineReason) quarantinedCount++;
        for (const r of p.rows)
          regionCount += await addRegion(tx, input.actorUserId, image.id, findingIds, {
            ...r,
            laterality: p.laterality,
          });
      }
      await audit(tx, input, "import.case", "Case", exam.id, {
        batchId,
        caseKey,
        imageCount,
        quarantinedCount,
        skippedDuplicateCount,
        findingCount: findingIds.size,
        labelCount,
        regionCount,
        rows: rows.map((r) => r.row),
      });
      return { imageCount, quarantinedCount, skippedDuplicateCount, labelCount, regionCount };
    });
  } catch (error) {
    await removeOrphans(db, blobs, stored);
    const code = isImagingError(error)
      ? error.code
      : error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002"
        ? "CONFLICT"
        : "WRITE_FAILED";
    const message = isImagingError(error)
      ? error.message
      : code === "CONFLICT"
        ? "an image of this case was already imported elsewhere (same SOP Instance UID)"
        : `could not save the case: ${describeThrown(error)}`;
    if (code === "WRITE_FAILED") console.error("[import] case write failed", error);
    return { errors: rows.map((r) => ({ row: r.row, file: r.file, code, message })) };
  }
}

// Laterality and view: the manifest's, else the DICOM header's; when both are there they must agree.
// The rows of one file must name one placement: the image is stored once (import defect 3).
function resolvePlacement(
  image: IngestedImage,
  rows: ManifestRow[],
): Pick<Prepared, "laterality" | "view" | "viewCode"> {
  for (const field of ["laterality", "view"] as const) {
    const named = [...new Set(rows.map((r) => r[field]).filter((v) => v !== undefined))];
    if (named.length > 1)
      throw new ImagingError(
        "INVALID_MANIFEST",
        `the file is listed with two placements (${field} ${named.join(" and ")} on rows ${rows.map((r) => r.row).join(", ")}); one file is one image`,
      );
  }
  const given = rows.find((r) => r.laterality || r.view);
  const laterality = given?.laterality ?? image.laterality;
  if (!laterality)
    throw new ImagingError("INVALID_MANIFEST", "laterality is missing (not in the manifest, not in the file)");
  if (given?.laterality && image.laterality && given.laterality !== image.laterality) {
    throw new ImagingError(
      "INVALID_MANIFEST",
      `laterality ${given.laterality} in the manifest contradicts ${image.laterality} in the DICOM header`,
    );
  }
  const code = given?.view;
  if (code) {
    const view = code === "CC" || code === "MLO" ? code : "OTHER";
    if (image.view && (image.view !== view || (view === "OTHER" && image.viewCode && image.viewCode !== code))) {
      throw new ImagingError(
        "INVALID_MANIFEST",
        `view ${code} in the manifest contradicts ${image.viewCode ?? image.view} in the DICOM header`,
      );
    }
    return { laterality, view, viewCode: view === "OTHER" ? code : undefined };
  }
  if (!image.view) throw new ImagingError("INVALID_MANIFEST", "view is missing (not in the manifest, not in the file)");
  return { laterality, view: image.view, viewCode: image.viewCode };
}

/** A file imported before must be imported again with the placement it was stored with. */
function assertSamePlacement(stored: { laterality: string; view: string; viewCode: string | null }, p: Prepared) {
  if (stored.laterality !== p.laterality || stored.view !== p.view || (stored.viewCode ?? undefined) !== p.viewCode)
    throw new ImagingError(
      "CONFLICT",
      `this image was imported as ${stored.laterality} ${stored.viewCode ?? stored.view}; the manifest now says ${p.laterality} ${p.viewCode ?? p.view}`,
    );
}

// Blobs this import created and no image references (another case may share the same bytes).
async function removeOrphans(db: Db, blobs: BlobStore, stored: PutResult[]) {
  for (const blob of stored) {
    if (!blob.isNew) continue;
    const used = await db.image.count({ where: { contentSha256: blob.sha256 } });
    if (used === 0) {
      await blobs.delete(blob.key);
      await db.blob.deleteMany({ where: { sha256: blob.sha256 } });
    }
  }
}

function withCaseRefusal(rows: ManifestRow[], errors: RowError[], caseKey: string): RowError[] {
  const failed = new Set(errors.map((e) => e.row));
  return [
    ...errors,
    ...rows
      .filter((r) => !failed.has(r.row))
      .map((r) => ({
        row: r.row,
        file: r.file,
        code: "CASE_REFUSED",
        message: `another file of case ${caseKey} failed; the case was not imported`,
      })),
  ];
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}

async function audit(tx: Tx, input: ImportInput, action: string, entityType: string, entityId: string, after: unknown) {
  await tx.auditEvent.create({
    data: {
      actorId: input.actorUserId,
      siteId: input.siteId,
      action,
      entityType,
      entityId,
      after: after as Prisma.InputJsonValue,
      requestId: input.requestId,
    },
  });
}

import type { Db, Prisma, Tx } from "@mammo/db";
import type { BlobStore, PutResult } from "@mammo/storage";
import { dateShiftDaysFor } from "../deid/pseudonyms.ts";
import { ImagingError, isImagingError } from "../errors.ts";
import type { IngestedImage } from "../ingest/ingest-file.ts";
import { fullDepthKey } from "../derived/full-depth-levels.ts";
import { sharedIngestPool, type IngestPool } from "../ingest/ingest-pool.ts";
import { DEFAULT_IMAGING_LIMITS, type ImagingLimits } from "../limits.ts";
import { caseWriteErrors, groupBy, refuseFilesUnderTwoPatients, withCaseRefusal } from "./case-rows.ts";
import { checkImageIdentity, lockImageIdentities } from "./image-identity.ts";
import { addLabels, addRegion, planFindings, upsertFindings, type PlacedRow } from "./import-findings.ts";
import { parseManifest, roiBounds, type ManifestRow, type RowError } from "./manifest.ts";
import { resolvePlacement, type Placement } from "./placement.ts";
import { inOrderWithReadAhead } from "./read-ahead.ts";

export type ImportDeps = {
  db: Db;
  blobs: BlobStore;
  deidSecret: string;
  limits?: ImagingLimits;
  /** Where files are decoded and de-identified; default: the process's worker pool (INGEST_WORKERS). */
  ingestPool?: IngestPool;
};

export type ImportInput = {
  actorUserId: string;
  siteId: string;
  source: "cli" | "api" | "pacs";
  /** A label the importing program chooses; never the user's file name (it may identify a patient). */
  manifestName?: string;
  manifestCsv: string | Uint8Array;
  /** Reads a file named in the manifest; throws ImagingError (FILE_NOT_FOUND, INVALID_FILE_NAME...) */
  readFile: (name: string) => Promise<Uint8Array>;
  requestId?: string;
};

export type ImportSummary = {
  batchId: string;
  status: "SUCCEEDED" | "FAILED";
  /** Cases this import created or added to; a case already there as it was is not counted. */
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

/**
 * Imports a folder of images described by a manifest into a site, as a user. Each case (exam)
 * is written in its own transaction with its audit event: a case with any bad row or file is
 * skipped whole (no rows, its new blobs removed) and its errors recorded by row in the
 * ImportBatch; the other cases still import. Files are de-identified before anything is stored,
 * in parallel in the ingest pool's worker threads; cases are written one at a time, in manifest
 * order. The batch keeps errors by row and code only: file names stay in the importer's output.
 * Ingest makes no permission decision: the caller (the API's POST /imports, the import CLI) has
 * authorised `actorUserId` to import into `siteId` (@mammo/access `authorizeImport`).
 */
export async function importManifest(deps: ImportDeps, input: ImportInput): Promise<ImportSummary> {
  const { db } = deps;
  const { rows, errors, refusedCaseKeys } = parseManifest(input.manifestCsv);
  refuseFilesUnderTwoPatients(rows, errors, refusedCaseKeys);

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
  const cases = [...groupBy(rows, (r) => r.caseKey)];
  for (const [caseKey, caseRows] of cases.filter(([key]) => refusedCaseKeys.has(key)))
    for (const r of caseRows)
      summary.errors.push({
        row: r.row,
        file: r.file,
        code: "CASE_REFUSED",
        message: `case ${caseKey} has an invalid row; none of its rows were imported`,
      });
  const pool = deps.ingestPool ?? sharedIngestPool();
  await inOrderWithReadAhead(
    cases.filter(([key]) => !refusedCaseKeys.has(key)),
    pool.workers + 1,
    ([caseKey, caseRows]) => prepareCase(deps, pool, input, caseKey, caseRows),
    async (prepared) => {
      const result = "errors" in prepared ? prepared : await commitCase(deps, input, batch.id, prepared);
      if ("errors" in result) summary.errors.push(...result.errors);
      else {
        if (result.isChanged) summary.caseCount++;
        summary.imageCount += result.imageCount;
        summary.quarantinedCount += result.quarantinedCount;
        summary.skippedDuplicateCount += result.skippedDuplicateCount;
        summary.labelCount += result.labelCount;
        summary.regionCount += result.regionCount;
      }
    },
  );

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
        errors: summary.errors.map(({ row, code, message }) => ({ row, code, message })) as Prisma.InputJsonValue,
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

type Prepared = Placement & { file: string; rows: ManifestRow[]; image: IngestedImage };
type PreparedCase = {
  caseKey: string;
  patientKey: string;
  dateShiftDays: number;
  rows: ManifestRow[];
  prepared: Prepared[];
  placedRows: PlacedRow[];
  findings: ReturnType<typeof planFindings>["plan"];
};
type CaseResult =
  | {
      imageCount: number;
      quarantinedCount: number;
      skippedDuplicateCount: number;
      labelCount: number;
      regionCount: number;
      isChanged: boolean;
    }
  | { errors: RowError[] };

// Read, check and de-identify every file of the case (in the pool, in parallel) before anything is stored.
async function prepareCase(
  deps: ImportDeps,
  pool: IngestPool,
  input: ImportInput,
  caseKey: string,
  rows: ManifestRow[],
): Promise<PreparedCase | { errors: RowError[] }> {
  const { db } = deps;
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

  const files = await Promise.all(
    [...groupBy(rows, (r) => r.file)].map(async ([file, fileRows]): Promise<Prepared | RowError[]> => {
      try {
        const bytes = await input.readFile(file);
        const image = await pool.ingest(
          bytes,
          { secret: deps.deidSecret, patientPseudonym: patientKey, dateShiftDays },
          deps.limits ?? DEFAULT_IMAGING_LIMITS,
        );
        const placement = resolvePlacement(image, fileRows);
        for (const r of fileRows) {
          if (!r.roi) continue;
          const b = roiBounds(r.roi.geometry);
          if (b.minX < 0 || b.minY < 0 || b.maxX > image.widthPx || b.maxY > image.heightPx)
            throw new ImagingError("INVALID_MANIFEST", `roi lies outside the ${image.widthPx}x${image.heightPx} image`);
        }
        return { file, rows: fileRows, image, ...placement };
      } catch (error) {
        if (!isImagingError(error)) throw error;
        return fileRows.map((r) => ({ row: r.row, file, code: error.code, message: error.message }));
      }
    }),
  );
  for (const f of files) if (Array.isArray(f)) errors.push(...f);
  if (errors.length) return { errors: withCaseRefusal(rows, errors, caseKey) };
  const prepared = files as Prepared[];
  const placedRows: PlacedRow[] = prepared.flatMap((p) => p.rows.map((r) => ({ ...r, laterality: p.laterality })));
  const findings = planFindings(placedRows);
  if (findings.errors.length) return { errors: withCaseRefusal(rows, findings.errors, caseKey) };
  return { caseKey, patientKey, dateShiftDays, rows, prepared, placedRows, findings: findings.plan };
}

async function commitCase(
  deps: ImportDeps,
  input: ImportInput,
  batchId: string,
  { caseKey, patientKey, dateShiftDays, rows, prepared, placedRows, findings }: PreparedCase,
): Promise<CaseResult> {
  const { db, blobs } = deps;
  // 2. Store the de-identified bytes (content-addressed), remembering which blobs are new here.
  const stored: PutResult[] = [];
  for (const p of prepared) stored.push(await blobs.put(p.image.storedBytes));

  // 3. All rows of the case in one transaction, with its audit event.
  let result: CaseResult;
  try {
    result = await db.$transaction(async (tx) => {
      await lockImageIdentities(
        tx,
        prepared.map((p) => p.image),
      );
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
      const isNewCase = !exam;
      exam ??= await tx.case.create({
        data: {
          siteId: input.siteId,
          patientId: patient.id,
          accessionKey: caseKey,
          examDate: examDate ? new Date(`${examDate}T00:00:00Z`) : null,
        },
      });

      const findingIds = await upsertFindings(tx, input.actorUserId, exam.id, caseKey, findings);
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
        const at = { siteId: input.siteId, caseId: exam.id, patientId: patient.id };
        const known =
          duplicate ??
          ((await checkImageIdentity(tx, at, p.file, p.image, blob.sha256)) === "ALREADY_THERE"
            ? await tx.image.findFirstOrThrow({ where: { caseId: exam.id, OR: sameImage(p.image) } })
            : null);
        if (known) assertSamePlacement(known, p);
        const image = known ?? (await tx.image.create({ data: imageRow(p, blob, exam.id, batchId) }));
        if (known) skippedDuplicateCount++;
        else imageCount++;
        if (!known && p.image.quarantineReason) quarantinedCount++;
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
      return {
        imageCount,
        quarantinedCount,
        skippedDuplicateCount,
        labelCount,
        regionCount,
        isChanged: isNewCase || imageCount > 0 || labelCount > 0 || regionCount > 0,
      };
    });
  } catch (error) {
    await removeOrphans(db, blobs, stored);
    return { errors: caseWriteErrors(error, rows, caseKey) };
  }
  // 4. The viewer's screen levels, once the case is committed (a cache: never an orphan).
  for (const [i, p] of prepared.entries())
    for (const { level, bytes } of p.image.screenLevels ?? [])
      await blobs.putAt(fullDepthKey(stored[i]!.sha256, level), bytes);
  return result;
}

function imageRow(p: Prepared, blob: PutResult, caseId: string, batchId: string): Prisma.ImageUncheckedCreateInput {
  return {
    caseId,
    laterality: p.laterality,
    view: p.view,
    viewCode: p.viewCode,
    viewModifiers: p.viewModifiers,
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
    pixelSha256: p.image.pixelSha256,
    studyInstanceUid: p.image.studyInstanceUid,
    storageKey: blob.key,
    sopInstanceUid: p.image.sopInstanceUid,
    status: p.image.quarantineReason ? "QUARANTINED" : "ACTIVE",
    quarantineReason: p.image.quarantineReason,
    importBatchId: batchId,
  };
}

/** The image of this case that a file is already (same instance or same pixels). */
const sameImage = (image: IngestedImage): Prisma.ImageWhereInput[] => [
  { pixelSha256: image.pixelSha256 },
  ...(image.sopInstanceUid ? [{ sopInstanceUid: image.sopInstanceUid }] : []),
];

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

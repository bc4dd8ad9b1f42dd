import { Prisma, type DatasetSplit, type DatasetUnit, type Subtype, type Tx } from "@mammo/db";
import type { DatasetFilter } from "./dataset.service.ts";

/*
 * What a dataset filter selects, computed in SQL over the whole selection (no row ever passes
 * through the API, no bind parameter per row): each unit of the filter's sites with its images
 * and the kept truth of the unit (Finding, Breast: see case-truth.ts), the reason it is left out,
 * and for the units that enter, the split by patient. Written into a temporary table of the
 * transaction, from which preview sums up and freeze copies with one INSERT ... SELECT.
 *
 * Units: FINDING (a finding with the images of its breast), BREAST (a breast with its images),
 * IMAGE (one image with its breast's truth). Left out, in this order: UNLABELLED, CONFLICT and
 * MIXED units, units whose truth is not one of the classes, units without a consensus when the
 * filter requires one, case-level findings (breast unknown), and findings that share a breast
 * with a finding of another class (the breast's images would carry two labels).
 *
 * The split (split.ts has the same rule in memory): each patient takes the majority class of her
 * items (ties to the first class name); within a class, patients are ordered by
 * md5("<seed>:<class>:<patient id>"); the first round(n * test) go to TEST, the next
 * round(n * validation) to VALIDATION, the rest to TRAIN, and TRAIN/VALIDATION patients get fold
 * (index - test count) mod folds.
 */

export type SplitOptions = {
  seed: number;
  fractions: { train: number; validation: number; test: number };
  folds: number;
};
export type SelectionFilter = DatasetFilter & { unit: Exclude<DatasetUnit, "CASE"> };

export const EXCLUSION_REASONS = [
  "unlabelled",
  "conflict",
  "mixed",
  "otherClass",
  "withoutConsensus",
  "unknownBreast",
  "otherFindingInBreast",
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

const SELECTION_TABLE = Prisma.raw(`"dataset_selection"`);

/**
 * Blinding in SQL (blindedCasesWhere of @mammo/access): `caseId` is a case of an OPEN study that
 * `userId` reads. Whatever counts a viewer's rows must leave these out, as the rows do.
 * `caseId` must name its table (a bare "caseId" would be StudyCase's own inside the subquery).
 */
export function blindedCase(userId: string, caseId: Prisma.Sql) {
  return Prisma.sql`EXISTS (
    SELECT 1 FROM "StudyCase" sc JOIN "ReaderStudy" s ON s.id = sc."studyId"
      JOIN "StudyReader" r ON r."studyId" = s.id
    WHERE sc."caseId" = ${caseId} AND s.status = 'OPEN' AND r."userId" = ${userId}::uuid)`;
}

/**
 * The filter's active images (never FOR PROCESSING ones: raw detector data is not for reading),
 * without the cases `blindedFor` (a previewing reader) is blinded to.
 */
function selectedImages(filter: SelectionFilter, blindedFor?: string) {
  return Prisma.sql`
    SELECT i.id, i."caseId", i.laterality, i."contentSha256", c."patientId", c."siteId"
    FROM "Image" i JOIN "Case" c ON c.id = i."caseId"
    WHERE c."siteId" = ANY (${filter.siteIds}::uuid[]) AND i.status = 'ACTIVE'
      AND i."presentationIntent" IS DISTINCT FROM 'FOR_PROCESSING'
      ${blindedFor ? Prisma.sql`AND NOT ${blindedCase(blindedFor, Prisma.sql`c.id`)}` : Prisma.empty}
      ${filter.views ? Prisma.sql`AND i.view = ANY (${filter.views}::"ViewPosition"[])` : Prisma.empty}
      ${filter.lateralities ? Prisma.sql`AND i.laterality = ANY (${filter.lateralities}::"Laterality"[])` : Prisma.empty}`;
}

/** Every unit of the selection with each of its images and the unit's truth. */
function unitImages(unit: SelectionFilter["unit"]) {
  const columns = Prisma.sql`i.id AS "imageId", i."caseId", i."patientId", i."siteId", i."contentSha256"`;
  switch (unit) {
    case "FINDING":
      return Prisma.sql`
        SELECT f.id::text AS "unitKey", f.id AS "unitId", ${columns}, f.laterality, f.id AS "findingId",
          f."truthStatus" AS status, f."truthSubtype" AS subtype
        FROM "Finding" f JOIN selected_image i ON i."caseId" = f."caseId" AND (f.laterality IS NULL OR i.laterality = f.laterality)`;
    case "BREAST":
    case "IMAGE":
      return Prisma.sql`
        SELECT ${unit === "BREAST" ? Prisma.sql`i."caseId"::text || ':' || i.laterality` : Prisma.sql`i.id::text`} AS "unitKey",
          ${unit === "BREAST" ? Prisma.sql`b.id` : Prisma.sql`i.id`} AS "unitId", ${columns}, i.laterality, NULL::uuid AS "findingId",
          coalesce(b."truthStatus", 'UNLABELLED') AS status, b."truthSubtype" AS subtype
        FROM selected_image i LEFT JOIN "Breast" b ON b."caseId" = i."caseId" AND b.laterality = i.laterality`;
  }
}

/** The CTEs up to `judged` (every unit image with its reason to be left out, null when it enters). */
function judgedUnits(filter: SelectionFilter, blindedFor?: string) {
  return Prisma.sql`
    selected_image AS (${selectedImages(filter, blindedFor)}),
    unit_image AS (${unitImages(filter.unit)}),
    judged AS (
      SELECT u.*, CASE
        WHEN u.status = 'UNLABELLED' THEN 'unlabelled'
        WHEN u.status = 'CONFLICT' THEN 'conflict'
        WHEN u.status = 'MIXED' THEN 'mixed'
        WHEN NOT (u.subtype = ANY (${filter.subtypes}::"Subtype"[])) THEN 'otherClass'
        WHEN ${filter.requireConsensus ?? false}::boolean AND u.status <> 'ADJUDICATED' THEN 'withoutConsensus'
        WHEN u.laterality IS NULL THEN 'unknownBreast'
      END AS reason
      FROM unit_image u
    ),
    clash AS (
      SELECT j.*, CASE WHEN min(j.subtype) OVER breast <> max(j.subtype) OVER breast THEN 'otherFindingInBreast' END AS clash
      FROM judged j WHERE j.reason IS NULL
      WINDOW breast AS (PARTITION BY j."caseId", j.laterality)
    )`;
}

/** The split of the entering units' patients (see the comment at the top), from the selection table. */
function patientSplit(options: SplitOptions) {
  const { train, validation, test } = options.fractions;
  const total = train + validation + test;
  return Prisma.sql`
    candidate AS (SELECT * FROM ${SELECTION_TABLE} WHERE reason IS NULL),
    patient_class AS (
      SELECT DISTINCT ON ("patientId") "patientId", subtype
      FROM (SELECT "patientId", subtype, count(*) AS n FROM candidate GROUP BY "patientId", subtype) per_class
      ORDER BY "patientId", n DESC, subtype::text COLLATE "C"
    ),
    ranked AS (
      SELECT "patientId", subtype, count(*) OVER (PARTITION BY subtype) AS n,
        row_number() OVER (PARTITION BY subtype ORDER BY md5(${String(options.seed)}::text || ':' || subtype::text || ':' || "patientId"::text) COLLATE "C", "patientId") - 1 AS position
      FROM patient_class
    ),
    counted AS (
      SELECT *, floor(n * ${test}::float8 / ${total}::float8 + 0.5) AS n_test,
        floor(n * ${validation}::float8 / ${total}::float8 + 0.5) AS n_validation
      FROM ranked
    ),
    assigned AS (
      SELECT "patientId",
        CASE WHEN position < n_test THEN 'TEST' WHEN position < n_test + n_validation THEN 'VALIDATION' ELSE 'TRAIN' END AS split,
        CASE WHEN position < n_test THEN NULL ELSE ((position - n_test)::bigint % ${options.folds}::int)::int END AS fold
      FROM counted
    )`;
}

/**
 * Fills the transaction's temporary table with the selection: every unit image with its reason
 * to be left out, then the split and fold of those that enter. Bounded memory, nothing per row.
 * `blindedFor`: a previewing viewer's id, whose blinded cases are left out altogether.
 *
 * Two statements with an ANALYZE between them: in one, the planner estimated the CTEs' rows
 * without statistics (a few hundred) and joined 40 000 unit images to 40 000 patients' splits in
 * a nested loop, 1.6 billion comparisons, past the transaction's two minutes (the archive-scale
 * test). Analysed, the table's rows are known and the split joins by hash.
 */
export async function selectIntoTemporaryTable(
  tx: Tx,
  filter: SelectionFilter,
  options: SplitOptions,
  blindedFor?: string,
) {
  await tx.$executeRaw`DROP TABLE IF EXISTS pg_temp.${SELECTION_TABLE}`;
  await tx.$executeRaw`
    CREATE TEMPORARY TABLE ${SELECTION_TABLE} (
      "unitKey" text NOT NULL, "unitId" uuid, "imageId" uuid NOT NULL, "caseId" uuid NOT NULL, "patientId" uuid NOT NULL,
      "siteId" uuid NOT NULL, "contentSha256" text NOT NULL, laterality "Laterality", "findingId" uuid,
      subtype "Subtype", reason text, split "DatasetSplit", fold int
    ) ON COMMIT DROP`;
  await tx.$executeRaw`
    INSERT INTO ${SELECTION_TABLE} ("unitKey", "unitId", "imageId", "caseId", "patientId", "siteId", "contentSha256",
      laterality, "findingId", subtype, reason)
    WITH ${judgedUnits(filter, blindedFor)}
    SELECT c."unitKey", c."unitId", c."imageId", c."caseId", c."patientId", c."siteId", c."contentSha256", c.laterality,
      c."findingId", c.subtype, coalesce(c.reason, c.clash)
    FROM (SELECT j.*, NULL AS clash FROM judged j WHERE j.reason IS NOT NULL UNION ALL SELECT * FROM clash) c`;
  await tx.$executeRaw`ANALYZE ${SELECTION_TABLE}`;
  await tx.$executeRaw`
    UPDATE ${SELECTION_TABLE} s SET split = a.split::"DatasetSplit", fold = a.fold
    FROM (WITH ${patientSplit(options)} SELECT * FROM assigned) a
    WHERE s."patientId" = a."patientId" AND s.reason IS NULL`;
}

export type SelectionCount = {
  siteId: string;
  subtype: Subtype;
  split: DatasetSplit;
  images: number;
  units: number;
  cases: number;
  patients: number;
};
/** The count columns of a group of items: images, units, cases, patients (the preview's and a version's). */
export const ITEM_COUNTS = Prisma.sql`count(*)::int AS images, count(DISTINCT "unitId")::int AS units,
  count(DISTINCT "caseId")::int AS cases, count(DISTINCT "patientId")::int AS patients`;

export type SelectionSummary = {
  itemCount: number;
  unitCount: number;
  caseCount: number;
  patientCount: number;
  subtypes: Subtype[];
  counts: SelectionCount[];
  excluded: Record<ExclusionReason, number>;
  /** sha256 over the sorted items (image content, image, unit, truth, split, fold): split.ts' datasetDigest. */
  digest: string;
};

/** Totals, counts per site, class and split, the units left out by reason, and the digest. */
export async function summarizeSelection(tx: Tx): Promise<SelectionSummary> {
  const [row] = await tx.$queryRaw<
    (Omit<SelectionSummary, "excluded" | "subtypes"> & {
      subtypes: Subtype[] | null;
      excluded: Partial<Record<ExclusionReason, number>> | null;
    })[]
  >`
    WITH item AS (SELECT * FROM ${SELECTION_TABLE} WHERE reason IS NULL)
    SELECT
      (SELECT count(*) FROM item)::int AS "itemCount",
      (SELECT count(DISTINCT "unitId") FROM item)::int AS "unitCount",
      (SELECT count(DISTINCT "caseId") FROM item)::int AS "caseCount",
      (SELECT count(DISTINCT "patientId") FROM item)::int AS "patientCount",
      (SELECT array_agg(DISTINCT subtype::text) FROM item) AS subtypes,
      (SELECT coalesce(json_agg(g ORDER BY g."siteId", g.subtype::text, g.split::text), '[]'::json) FROM (
        SELECT "siteId", subtype, split, ${ITEM_COUNTS} FROM item GROUP BY "siteId", subtype, split) g) AS counts,
      (SELECT json_object_agg(reason, n) FROM (
        SELECT reason, count(DISTINCT "unitKey")::int AS n FROM ${SELECTION_TABLE} WHERE reason IS NOT NULL GROUP BY reason) e) AS excluded,
      (SELECT encode(sha256(convert_to(coalesce(string_agg(line, E'\n' ORDER BY line COLLATE "C"), ''), 'UTF8')), 'hex')
        FROM (SELECT concat_ws(E'\t', "contentSha256", "imageId"::text, "unitId"::text, subtype::text, split::text, coalesce(fold::text, '')) AS line
              FROM item) lines) AS digest`;
  const excluded = Object.fromEntries(EXCLUSION_REASONS.map((r) => [r, row!.excluded?.[r] ?? 0])) as Record<
    ExclusionReason,
    number
  >;
  return { ...row!, subtypes: row!.subtypes ?? [], excluded };
}

/** Copies the selection's items into a frozen version (one INSERT ... SELECT). */
export async function insertSelectedItems(tx: Tx, datasetVersionId: string): Promise<number> {
  return tx.$executeRaw`
    INSERT INTO "DatasetItem" ("datasetVersionId", "unitId", "imageId", "caseId", laterality, "findingId", "patientId", "siteId", subtype, split, fold)
    SELECT ${datasetVersionId}::uuid, "unitId", "imageId", "caseId", laterality, "findingId", "patientId", "siteId", subtype, split, fold
    FROM ${SELECTION_TABLE} WHERE reason IS NULL`;
}
